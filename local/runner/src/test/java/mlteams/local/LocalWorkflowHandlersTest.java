package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import mlteams.common.ClientSettings;
import mlteams.publish.PublishOutputsHandler;
import mlteams.validate.ValidateOffboardRequestHandler;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/** How {@link LocalWorkflow} builds a handler from the class template.yaml names (no AWS call is made). */
class LocalWorkflowHandlersTest {

    @Test
    void clientsResolveByTypeAndSettingsThroughFrom() {
        try (Clients clients = Clients.connect(ClientSettings.emulator(URI.create("http://127.0.0.1:9"), Region.US_EAST_1))) {
            assertTrue(clients.ofType(SsmClient.class).isPresent());
            assertTrue(clients.ofType(String.class).isEmpty());
            assertInstanceOf(PublishOutputsHandler.class, LocalWorkflow.handler("PublishOutputs",
                    PublishOutputsHandler.class.getName(), clients, Map.of()));
            assertInstanceOf(ValidateOffboardRequestHandler.class, LocalWorkflow.handler("ValidateOffboardRequest",
                    ValidateOffboardRequestHandler.class.getName(), clients, Map.of()));
        }
    }

    @Test
    void aHandlerThatCannotBeBuiltIsNamedWithTheParameterType() {
        try (Clients clients = Clients.connect(ClientSettings.emulator(URI.create("http://127.0.0.1:9"), Region.US_EAST_1))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LocalWorkflow.handler("Unbuildable", Unbuildable.class.getName(), clients, Map.of()));
            assertEquals("Unbuildable: " + Unbuildable.class.getName() + " has no public constructor LocalWorkflow can"
                    + " build; unresolved parameter types: [java.lang.String] (neither an SDK client of Clients nor a"
                    + " settings type with a public static from(Map<String, String>))", e.getMessage());
        }
    }

    /** A handler whose only constructor with parameters takes a type that does not resolve. */
    public static final class Unbuildable {
        public Unbuildable(SsmClient ssm, String prefix) {
        }
    }
}
