package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.SdkStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * The first two steps of each workflow, run by the real definitions with the real handlers against moto.
 * Onboarding and offboarding are rare, so their functions' SnapStart versions are often Inactive (not invoked
 * for 14 days): the first invocation then fails with Lambda.SnapStartNotReadyException until the version is
 * Active again, which must be waited out. A permanent failure must end the execution in its own failure path.
 */
class WorkflowStartTest extends EndToEndTest {

    private static final String NOT_READY = "Lambda.SnapStartNotReadyException";

    @ParameterizedTest
    @ValueSource(strings = {"onboard", "offboard"})
    void aFirstStepWhoseVersionIsStillReactivatingIsWaitedOut(String workflowName) {
        boolean onboard = workflowName.equals("onboard");
        String firstStep = onboard ? "ValidateRequest" : "ValidateOffboardRequest";
        Execution execution;
        try (LocalWorkflow workflow = account.workflow(account.clients, account.env)) {
            workflow.lambda().failInvocations(firstStep, NOT_READY, 3);
            execution = onboard ? workflow.onboard(Events.read("team-onboarded.json"), e -> { })
                    : workflow.offboard(Events.read("team-offboarded.json"), e -> { });
        }

        assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
        assertEquals(3, execution.events().stream().filter(e -> "StateRetried".equals(e.get("type"))
                && firstStep.equals(e.get("state"))).count(), "retries of " + firstStep);
        assertNull(account.teamParameter("computer-vision", "lock"));
    }

    /** Any Task may be the first invocation of its function in 14 days, not only the first step. */
    @Test
    void everyTaskOfBothDefinitionsWaitsOutASnapStartReactivation() {
        List<String> tasks = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String definition : List.of(LocalWorkflow.ONBOARD_DEFINITION, LocalWorkflow.OFFBOARD_DEFINITION)) {
            WorkflowBudget.tasks(WorkflowBudget.definition(definition)).forEach((name, task) -> {
                tasks.add(name);
                boolean waits = WorkflowBudget.retriers(task).stream().anyMatch(retrier ->
                        ((List<?>) retrier.get("ErrorEquals")).contains(NOT_READY)
                                && ((Number) retrier.get("IntervalSeconds")).intValue() >= 10
                                && ((Number) retrier.get("MaxAttempts")).intValue() >= 3
                                && retrier.containsKey("MaxDelaySeconds"));
                if (!waits) {
                    missing.add(definition + " " + name);
                }
            });
        }
        assertTrue(tasks.size() > 20, "tasks found: " + tasks);
        assertEquals(List.of(), missing, "Tasks that do not retry " + NOT_READY + " with waits of tens of seconds");
    }

    /**
     * ClaimTeam fails after it has put the claim (its status write is refused): the execution must record the
     * failure and release the team like any later failure, not leave the claim held until its TTL.
     */
    @ParameterizedTest
    @ValueSource(strings = {"onboard", "offboard"})
    void aClaimThatFailsAfterItsWriteIsRecordedAndReleased(String workflowName) {
        AtomicBoolean refused = new AtomicBoolean();
        SsmClient real = account.clients.ssm();
        Clients statusRefusedOnce = account.clients.withSsm(SdkStub.of(SsmClient.class, real, (operation, request) -> {
            if (operation.equals("putParameter") && ((PutParameterRequest) request).name().endsWith("/status")
                    && refused.compareAndSet(false, true)) {
                throw SsmException.builder().statusCode(400).message("User is not authorized to perform: ssm:PutParameter")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build();
            }
            return SdkStub.PASS;
        }));
        Execution execution;
        try (LocalWorkflow workflow = account.workflow(statusRefusedOnce, account.env)) {
            execution = workflowName.equals("onboard") ? workflow.onboard(Events.read("team-onboarded.json"), e -> { })
                    : workflow.offboard(Events.read("team-offboarded.json"), e -> { });
        }

        assertTrue(refused.get(), "the claim's status write was refused");
        assertEquals("FAILED", execution.status());
        assertEquals("software.amazon.awssdk.services.ssm.model.SsmException", execution.error());
        assertNull(account.teamParameter("computer-vision", "lock"), "the claim is released");
        assertEquals("FAILED", account.teamParameter("computer-vision", "status"));
        assertTrue(account.teamParameter("computer-vision", "status-reason").contains("not authorized"),
                account.teamParameter("computer-vision", "status-reason"));
    }

    /** Validation fails before anything exists: the execution ends in its own failure state, with the cause. */
    @ParameterizedTest
    @ValueSource(strings = {"onboard", "offboard"})
    void aRefusedRequestEndsInTheFailureStateWithItsCause(String workflowName) {
        String bad = "{\"teamName\": \"Not A Team\"}";
        Execution execution;
        try (LocalWorkflow workflow = account.workflow(account.clients, account.env)) {
            execution = workflowName.equals("onboard") ? workflow.onboard(bad, e -> { }) : workflow.offboard(bad, e -> { });
        }

        assertEquals("FAILED", execution.status());
        assertEquals("mlteams.common.InvalidRequestException", execution.error());
        assertTrue(execution.cause().contains("teamName"), execution.cause());
        assertEquals(1, execution.entered("ValidationFailed"), "ends in the definition's failure state");
        assertEquals(0, execution.entered("ClaimTeam"));
    }
}
