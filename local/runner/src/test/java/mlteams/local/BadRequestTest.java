package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mlteams.common.Json;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.LocalStepFunctions.Execution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request in events/invalid-requests.json, through the real workflow: refused first, nothing created. Its plan
 * is refused the same way, by the same step, before any plan step runs.
 */
class BadRequestTest extends EndToEndTest {


    static Stream<Arguments> invalidRequests() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) Json.readMap(Events.read("invalid-requests.json"))
                .get("cases");
        return cases.stream().map(c -> Arguments.of(c.get("name"), c.get("field"), Json.write(c.get("request"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void aBadRequestFailsInValidationAndCreatesNothing(String name, String field, String request) {
        try (LocalWorkflow workflow = account.workflow(account.clients, account.env)) {
            Execution execution = workflow.onboard(request, event -> { });

            assertEquals("FAILED", execution.status(), name);
            assertEquals("mlteams.common.InvalidRequestException", execution.error());
            assertTrue(execution.cause().contains(field), execution.cause());
            assertEquals(List.of("ValidateRequest"), workflow.lambda().invocations().stream()
                    .map(LocalLambda.Invocation::function).distinct().toList());

            Execution plan = workflow.plan(request, event -> { });
            assertEquals("FAILED", plan.status(), name);
            assertEquals(execution.error(), plan.error());
            assertEquals(execution.cause(), plan.cause());
            assertEquals(List.of("ValidateRequest"), workflow.lambda().invocations().stream()
                    .map(LocalLambda.Invocation::function).distinct().toList());
        }
        account.assertNothingOfAnyTeamExists();
    }
}
