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
import software.amazon.awssdk.services.cloudtrail.model.Trail;
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

        assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
        Map<String, Object> output = output(execution);

        Trail trail = account.onlyTrail();
        assertEquals(output.get("cloudTrailArn"), trail.trailARN());
        assertTrue(trail.isMultiRegionTrail());
        assertTrue(trail.logFileValidationEnabled());
        assertTrue(trail.includeGlobalServiceEvents());
        assertEquals(account.env.get("TRAIL_LOG_GROUP_ARN"), trail.cloudWatchLogsLogGroupArn());
        assertTrue(account.clients.cloudTrail().getTrailStatus(r -> r.name(trail.name())).isLogging());

        LogGroup group = account.teamLogGroups().get(0);
        assertEquals("/ml-teams/computer-vision/activity", group.logGroupName());
        assertEquals(365, group.retentionInDays());
        assertEquals(List.of("user-activity"), account.logStreams(group.logGroupName()));

        DomainDetails listed = account.domains().get(0);
        DescribeDomainResponse domain = account.clients.sageMaker().describeDomain(r -> r.domainId(listed.domainId()));
        assertEquals("ml-team-computer-vision", domain.domainName());
        assertEquals("IAM", domain.authModeAsString());
        assertEquals("USER_PROFILE_NAME", domain.domainSettings().executionRoleIdentityConfigAsString());
        assertEquals("vpc-0a1b2c3d4e5f60718", domain.vpcId());
        assertEquals(List.of("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"), domain.subnetIds());
        assertEquals(List.of("sg-0a1b2c3d4e5f60718"), domain.defaultUserSettings().securityGroups());
        assertEquals("arn:aws:iam::123456789012:role/ml-platform-studio-execution",
                domain.defaultUserSettings().executionRole());
        assertEquals("alias/aws/sagemaker", domain.defaultUserSettings().sharingSettings().s3KmsKeyId());
        assertEquals(domain.domainId(), output.get("sagemakerDomainId"));

        assertEquals(Map.of(
                "/ml-teams/computer-vision/sagemaker-domain-url", output.get("sagemakerDomainUrl"),
                "/ml-teams/computer-vision/sagemaker-domain-id", domain.domainId(),
                "/ml-teams/computer-vision/cloudtrail-arn", trail.trailARN(),
                "/ml-teams/computer-vision/log-group-name", "/ml-teams/computer-vision/activity",
                "/ml-teams/computer-vision/log-stream-name", "user-activity"), account.outputs());
        assertTrue(((String) output.get("sagemakerDomainUrl")).startsWith("https://"));
        assertEquals("ONBOARDED", account.teamParameter("computer-vision", "status"));
        assertNull(account.teamParameter("computer-vision", "lock"), "the claim is released");

        assertEquals(4, account.clients.logs().describeMetricFilters(r -> r.logGroupName(group.logGroupName()))
                .metricFilters().size(), "metric filters on the team's log group");
        assertEquals(List.of("ml-team-computer-vision-access-denied-burst", "ml-team-computer-vision-domain-changes"),
                account.clients.cloudWatch().describeAlarms(r -> r.alarmNamePrefix("ml-team-computer-vision-"))
                        .metricAlarms().stream().map(a -> a.alarmName()).sorted().toList());
        assertEquals(List.of("ml-team-computer-vision"), account.clients.cloudWatch().listDashboards(r -> { })
                .dashboardEntries().stream().map(d -> d.dashboardName()).toList());
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

        assertTrue(second.succeeded(), second.error() + ": " + second.cause());
        assertEquals(output(first), output(second));
        assertEquals(1, account.clients.cloudTrail().describeTrails().trailList().size());
        assertEquals(1, account.teamLogGroups().size());
        assertEquals(1, account.domains().size());
        assertEquals(versionsBefore, account.outputVersions());
        assertEquals(0, second.entered("WaitForDomain"), "an adopted InService domain needs no polling");
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
            assertEquals(5, account.outputs().size());
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
        assertNull(account.teamParameter("computer-vision", "lock"), "the claim is released");
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
