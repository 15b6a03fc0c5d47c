package mlteams.local;

import static mlteams.local.WorkflowFixture.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalStepFunctions.Execution;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainResponse;
import software.amazon.awssdk.services.sagemaker.model.DomainDetails;

/**
 * The whole onboarding: statemachine/onboard-team.asl.json executed by aws-local-stepfunctions, each Task
 * served by the real Java handler, the handlers talking to moto through the real SDK. What exists afterwards
 * is read back through the SDK.
 */
class OnboardingWorkflowTest extends EndToEndTest {


    @Test
    void onboardsATeamAndPublishesItsOutputs() {
        Execution execution = account.onboard(Events.read("team-onboarded.json"));

        account.assertSampleTeamOnboarded(execution);
    }

    @Test
    void aSecondRunOfTheSameEventAddsNothingAndGivesTheSameOutput() {
        Execution first = account.onboard(Events.read("team-onboarded.json"));
        Map<String, Long> versionsBefore = account.outputVersions();

        Execution second;
        List<Map<String, Object>> monitoringWrites;
        try (LocalWorkflow workflow = account.workflow(account.clients, account.env)) {
            second = workflow.onboard(Events.read("team-onboarded.json"), event -> { });
            monitoringWrites = monitoringWrites(workflow);
        }

        account.assertRepeatAddedNothing(first, second, versionsBefore);
        assertEquals(List.of(Map.of("metricFilters", 0, "alarms", 0, "dashboard", 0)), monitoringWrites,
                "the monitoring step writes nothing on a repeat (saved queries: see TeamMonitoringTest)");
    }

    /** What each EnsureTeamMonitoring call wrote, per kind, leaving out saved queries (moto has none). */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> monitoringWrites(LocalWorkflow workflow) {
        return workflow.lambda().invocations().stream().filter(i -> i.function().equals("EnsureTeamMonitoring"))
                .map(i -> (Map<String, Object>) mlteams.common.Json.readMap(i.output()).get("written"))
                .map(written -> written.entrySet().stream().filter(e -> !e.getKey().equals("queries"))
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
                .toList();
    }

    @Test
    void aSecondTeamSentAsABareDetailObjectReusesTheSharedTrail() {
        Execution cv = account.onboard(Events.read("team-onboarded.json"));
        Execution nlp = account.onboard(Events.read("team-onboarded-minimal.json"));

        assertTrue(nlp.succeeded(), nlp.error() + ": " + nlp.cause());
        assertEquals(output(cv).get("cloudTrailArn"), output(nlp).get("cloudTrailArn"));
        assertEquals(1, account.clients.cloudTrail().describeTrails().trailList().size());
        assertEquals(List.of("ml-team-computer-vision", "ml-team-nlp-research"),
                account.domains().stream().map(DomainDetails::domainName).sorted().toList());
        assertEquals(List.of("/ml-teams/computer-vision/activity", "/ml-teams/nlp-research/activity"),
                account.teamLogGroups().stream().map(LogGroup::logGroupName).sorted().toList());
        DescribeDomainResponse nlpDomain = account.clients.sageMaker().describeDomain(
                r -> r.domainId((String) output(nlp).get("sagemakerDomainId")));
        assertEquals(account.env.get("DEFAULT_VPC_ID"), nlpDomain.vpcId(), "the platform default applies");
    }

    @Test
    void aPendingDomainIsPolledWithBackoffUntilInService() {
        Clients pending = account.clients.withSageMaker(account.domainStatuses("Pending", "Pending", "Pending", "InService"));
        try (LocalWorkflow workflow = account.workflow(pending, account.env)) {
            Execution execution = workflow.onboard(Events.read("team-onboarded.json"), event -> { });

            assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
            assertEquals(4, execution.entered("WaitForDomain"));
            assertEquals(4, execution.entered("CheckDomain"));
            List<Object> waits = workflow.lambda().invocations().stream()
                    .filter(i -> i.function().equals("CheckDomain"))
                    .map(i -> (Object) ((Map<?, ?>) mlteams.common.Json.readMap(i.input()).get("poll")).get("waitSeconds"))
                    .toList();
            assertEquals(List.of(60, 120, 240, 240), waits, "each Wait doubles, capped at 240 s");
            assertEquals(6, account.outputs().size());
        }
    }

    @Test
    void aFailedDomainFailsTheExecutionWithItsReasonAndRecordsIt() {
        Clients failing = account.clients.withSageMaker(account.domainStatuses("Pending", "Failed"));
        try (LocalWorkflow workflow = account.workflow(failing, account.env)) {
            Execution execution = workflow.onboard(Events.read("team-onboarded.json"), event -> { });

            assertEquals("FAILED", execution.status());
            assertEquals("mlteams.domain.DomainFailedException", execution.error());
            assertTrue(execution.cause().contains("subnet-0a1b2c3d4e5f60718 has no free IP addresses"),
                    execution.cause());
            assertFalse(workflow.lambda().invocations().stream().anyMatch(i -> i.function().equals("PublishOutputs")));
        }
        assertEquals(Map.of(), account.outputs());
        assertEquals("FAILED", account.teamParameter("computer-vision", "status"));
        String reason = account.teamParameter("computer-vision", "status-reason");
        assertTrue(reason.startsWith("mlteams.domain.DomainFailedException: Domain d-ml-team-computer-vision is Failed: "
                + "subnet-0a1b2c3d4e5f60718 has no free IP addresses"), reason);
        assertNull(account.claimHolder("computer-vision"), "the claim is released");
    }

    @Test
    void aDomainThatNeverComesUpFailsAfterTheBoundedWait() {
        Map<String, String> shortWait = new HashMap<>(account.env);
        shortWait.put("POLL_TIMEOUT_SECONDS", "600");
        Clients stuck = account.clients.withSageMaker(account.domainStatuses("Pending"));

        Execution execution = account.onboard(stuck, shortWait, Events.read("team-onboarded.json"));

        assertEquals("mlteams.domain.DomainWaitTimeoutException", execution.error());
        assertTrue(execution.cause().contains("limit 600 s"), execution.cause());
    }
}
