package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import mlteams.common.ClientSettings;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.MotoServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Against moto as it ships (no user profiles), as someone's own endpoint given to run-local.sh --endpoint: a team
 * without members still onboards, and one with members fails naming the operation that endpoint lacks.
 */
class PlainMotoTest {

    @Test
    void withoutTheFillATeamWithoutMembersOnboardsAndOneWithMembersFailsNamingTheMissingOperation() {
        try (MotoServer plain = MotoServer.startWithoutFill()) {
            Map<String, String> env = LocalStack.deploy(ClientSettings.emulator(plain.endpoint(), Region.US_EAST_1));
            try (MotoGaps gaps = MotoGaps.inFrontOf(plain.endpoint());
                    Clients clients = Clients.connect(ClientSettings.emulator(gaps.endpoint(), Region.US_EAST_1));
                    LocalWorkflow workflow = new LocalWorkflow(clients, env, System.err, WorkflowFixture.NO_WAITING)) {
                Execution without = workflow.onboard(WorkflowFixture.sampleEventWithMembers(), e -> { });
                assertTrue(without.succeeded(), without.error() + ": " + without.cause());

                Execution with = workflow.onboard(Events.read("team-onboarded.json"), e -> { });

                assertEquals("mlteams.common.TransientAwsException", with.error());
                assertTrue(with.cause().contains("ListUserProfiles"), with.cause());
            }
        }
    }
}
