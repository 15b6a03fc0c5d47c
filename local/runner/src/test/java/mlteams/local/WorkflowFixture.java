package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import mlteams.common.ClientSettings;
import mlteams.common.DomainRecord;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.MotoServer;
import mlteams.local.peers.SdkStub;
import mlteams.record.TeamClaims;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.model.Trail;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainResponse;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainRequest;
import software.amazon.awssdk.services.sagemaker.model.DomainDetails;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * An emptied moto account with the stack's resources deployed, the SDK clients, the workflow, and what
 * exists afterwards read back through the SDK. Shared by the end-to-end test classes.
 */
final class WorkflowFixture implements AutoCloseable {

    static final List<String> OUTPUT_NAMES = List.of("sagemaker-domain-url", "sagemaker-domain-id",
            "cloudtrail-arn", "log-group-name", "log-stream-name", "members");
    /** Real waits and retry intervals would only slow the tests; the interpreter skips them. */
    static final Map<String, Object> NO_WAITING = LocalWorkflow.pauses(0, 0);

    final MotoServer moto = MotoServer.shared();
    /** As in scripts/run-local.sh: the handlers reach moto through the filler of its gaps. */
    final MotoGaps gaps;
    final Map<String, String> env;
    final Clients clients;

    WorkflowFixture() {
        moto.reset();
        env = LocalStack.deploy(ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1));
        gaps = MotoGaps.inFrontOf(moto.endpoint());
        clients = Clients.connect(ClientSettings.emulator(gaps.endpoint(), Region.US_EAST_1));
    }

    LocalWorkflow workflow(Clients with, Map<String, String> environment) {
        return new LocalWorkflow(with, environment, System.err, NO_WAITING);
    }

    Execution onboard(String input) {
        return onboard(clients, env, input);
    }

    Execution onboard(Clients with, Map<String, String> environment, String input) {
        try (LocalWorkflow workflow = workflow(with, environment)) {
            return workflow.onboard(input, event -> { });
        }
    }

    Execution offboard(Map<String, String> environment, String input) {
        try (LocalWorkflow workflow = workflow(clients, environment)) {
            return workflow.offboard(input, event -> { });
        }
    }

    /** moto's real answers, with DescribeDomain's status replaced by the next scripted one (the last repeats). */
    SageMakerClient domainStatuses(String... statuses) {
        Deque<String> script = new ArrayDeque<>(List.of(statuses));
        SageMakerClient real = clients.sageMaker();
        return SdkStub.of(SageMakerClient.class, real, (operation, request) -> {
            if (!operation.equals("describeDomain")) {
                return SdkStub.PASS;
            }
            String status = script.size() > 1 ? script.pop() : script.peek();
            return real.describeDomain((DescribeDomainRequest) request).toBuilder().status(status)
                    .failureReason("Failed".equals(status) ? "subnet-0a1b2c3d4e5f60718 has no free IP addresses" : "")
                    .build();
        });
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> output(Execution execution) {
        return (Map<String, Object>) execution.output();
    }

    Trail onlyTrail() {
        List<Trail> trails = clients.cloudTrail().describeTrails().trailList();
        assertEquals(1, trails.size(), trails.toString());
        return clients.cloudTrail().getTrail(r -> r.name(trails.get(0).name())).trail();
    }

    List<LogGroup> teamLogGroups() {
        return clients.logs().describeLogGroups(r -> r.logGroupNamePrefix("/ml-teams/")).logGroups();
    }

    List<String> logStreams(String group) {
        return clients.logs().describeLogStreams(r -> r.logGroupName(group)).logStreams().stream()
                .map(s -> s.logStreamName()).toList();
    }

    List<DomainDetails> domains() {
        return clients.sageMaker().listDomains(r -> { }).domains();
    }

    /** The names of a domain's user profiles, sorted. */
    List<String> profiles(String domainId) {
        return clients.sageMaker().listUserProfiles(r -> r.domainIdEquals(domainId)).userProfiles().stream()
                .map(p -> p.userProfileName()).sorted().toList();
    }

    /** The sample onboarding event with its members replaced by these user names (none: the field left out). */
    static String sampleEventWithMembers(String... userNames) {
        Map<String, Object> event = mlteams.common.Json.readMap(mlteams.local.peers.Events.read("team-onboarded.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) event.get("detail");
        if (userNames.length == 0) {
            detail.remove("members");
        } else {
            detail.put("members", java.util.Arrays.stream(userNames).map(n -> Map.of("userName", n)).toList());
        }
        return mlteams.common.Json.write(event);
    }

    /** The published outputs of every team (the status parameters are checked apart). */
    Map<String, String> outputs() {
        return parameters().stream().filter(WorkflowFixture::isOutput)
                .collect(Collectors.toMap(Parameter::name, Parameter::value));
    }

    Map<String, Long> outputVersions() {
        return parameters().stream().filter(WorkflowFixture::isOutput)
                .collect(Collectors.toMap(Parameter::name, Parameter::version, (a, b) -> a, LinkedHashMap::new));
    }

    String teamParameter(String team, String name) {
        return parameters().stream().filter(p -> p.name().equals("/ml-teams/" + team + "/" + name))
                .map(Parameter::value).findFirst().orElse(null);
    }

    /** The execution that holds the team's claim, or null when the team is free. */
    String claimHolder(String team) {
        Map<String, AttributeValue> item = clients.dynamoDb().getItem(r -> r.tableName(env.get("TEAM_CLAIMS_TABLE"))
                .consistentRead(true).key(Map.of(TeamClaims.TEAM, AttributeValue.fromS(team)))).item();
        return item.isEmpty() ? null : item.get(TeamClaims.EXECUTION_ID).s();
    }

    /** The durable record onboarding keeps of a domain (outside every team's folder), or null. */
    DomainRecord domainRecord(String domainId) {
        try {
            return DomainRecord.parse(clients.ssm().getParameter(r -> r.name(DomainRecord.name("/ml-teams", domainId)))
                    .parameter().value());
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }

    List<Parameter> parameters() {
        return clients.ssm().getParametersByPathPaginator(r -> r.path("/ml-teams").recursive(true)).stream()
                .flatMap(page -> page.parameters().stream()).toList();
    }

    /**
     * What onboarding the sample team (events/team-onboarded.json) leaves: the shared trail logging, the team's log
     * group and stream, its Studio domain with the request's settings, its monitoring, its published outputs, the
     * ONBOARDED status, and the claim released.
     */
    void assertSampleTeamOnboarded(Execution execution) {
        assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
        Map<String, Object> output = output(execution);

        Trail trail = onlyTrail();
        assertEquals(output.get("cloudTrailArn"), trail.trailARN());
        assertTrue(trail.isMultiRegionTrail());
        assertTrue(trail.logFileValidationEnabled());
        assertTrue(trail.includeGlobalServiceEvents());
        assertEquals(env.get("TRAIL_LOG_GROUP_ARN"), trail.cloudWatchLogsLogGroupArn());
        assertTrue(clients.cloudTrail().getTrailStatus(r -> r.name(trail.name())).isLogging());

        LogGroup group = teamLogGroups().get(0);
        assertEquals("/ml-teams/computer-vision/activity", group.logGroupName());
        assertEquals(365, group.retentionInDays());
        assertEquals(List.of("user-activity"), logStreams(group.logGroupName()));

        DomainDetails listed = domains().get(0);
        DescribeDomainResponse domain = clients.sageMaker().describeDomain(r -> r.domainId(listed.domainId()));
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
        assertEquals(new DomainRecord("computer-vision", "arn:aws:iam::123456789012:role/ml-platform-studio-execution"),
                domainRecord(domain.domainId()), "the domain's durable record");

        assertEquals(Map.of(
                "/ml-teams/computer-vision/sagemaker-domain-url", output.get("sagemakerDomainUrl"),
                "/ml-teams/computer-vision/sagemaker-domain-id", domain.domainId(),
                "/ml-teams/computer-vision/cloudtrail-arn", trail.trailARN(),
                "/ml-teams/computer-vision/log-group-name", "/ml-teams/computer-vision/activity",
                "/ml-teams/computer-vision/log-stream-name", "user-activity",
                "/ml-teams/computer-vision/members", "[\"alice\",\"bob\",\"carol\"]"), outputs());
        assertEquals(List.of("alice", "bob", "carol"), profiles(domain.domainId()));
        assertEquals(Map.of("added", List.of("alice", "bob", "carol"), "kept", List.of(), "removed", List.of()),
                output.get("members"));
        assertTrue(((String) output.get("sagemakerDomainUrl")).startsWith("https://"));
        assertEquals("ONBOARDED", teamParameter("computer-vision", "status"));
        assertNull(claimHolder("computer-vision"), "the claim is released");

        assertEquals(4, clients.logs().describeMetricFilters(r -> r.logGroupName(group.logGroupName()))
                .metricFilters().size(), "metric filters on the team's log group");
        assertEquals(List.of("ml-team-computer-vision-access-denied-burst", "ml-team-computer-vision-domain-changes"),
                clients.cloudWatch().describeAlarms(r -> r.alarmNamePrefix("ml-team-computer-vision-"))
                        .metricAlarms().stream().map(a -> a.alarmName()).sorted().toList());
        assertEquals(List.of("ml-team-computer-vision"), clients.cloudWatch().listDashboards(r -> { })
                .dashboardEntries().stream().map(d -> d.dashboardName()).toList());
    }

    /** A repeat of an onboarding: the same output, and not one trail, log group, domain or parameter version more. */
    void assertRepeatAddedNothing(Execution first, Execution second, Map<String, Long> outputVersionsBefore) {
        assertTrue(second.succeeded(), second.error() + ": " + second.cause());
        assertEquals(withoutMembers(output(first)), withoutMembers(output(second)));
        assertRepeatKeptEveryMember(first, second);
        assertEquals(1, clients.cloudTrail().describeTrails().trailList().size());
        assertEquals(1, teamLogGroups().size());
        assertEquals(1, domains().size());
        assertEquals(outputVersionsBefore, outputVersions());
        assertEquals(0, second.entered("WaitForDomain"), "an adopted InService domain needs no polling");
    }

    /** The output but its members, which say what this run added, kept and removed. */
    static Map<String, Object> withoutMembers(Map<String, Object> output) {
        Map<String, Object> rest = new LinkedHashMap<>(output);
        rest.remove("members");
        return rest;
    }

    /** A repeat's members: every member of the earlier run kept, none added or removed. */
    @SuppressWarnings("unchecked")
    static void assertRepeatKeptEveryMember(Execution earlier, Execution repeat) {
        Map<String, List<String>> before = (Map<String, List<String>>) output(earlier).get("members");
        List<String> all = new java.util.ArrayList<>(before.get("added"));
        all.addAll(before.get("kept"));
        assertEquals(Map.of("added", List.of(), "kept", all.stream().sorted().toList(), "removed", List.of()),
                output(repeat).get("members"));
    }

    /** After offboarding with everything deleted: nothing of any team but the shared trail. */
    void assertNothingOfTheTeamLeft() {
        assertEquals(List.of(), clients.cloudWatch().describeAlarms(r -> r.alarmNamePrefix("ml-team-"))
                .metricAlarms(), "alarms");
        assertEquals(List.of(), clients.cloudWatch().listDashboards(r -> { }).dashboardEntries(), "dashboards");
        assertEquals(List.of(), domains());
        assertEquals(List.of(), teamLogGroups());
        assertEquals(List.of(), parameters());
        assertNull(claimHolder("computer-vision"), "the claim is released");
        assertEquals(1, clients.cloudTrail().describeTrails().trailList().size(), "the shared trail stays");
    }

    void assertNothingOfAnyTeamExists() {
        assertEquals(List.of(), clients.cloudTrail().describeTrails().trailList());
        assertEquals(List.of(), teamLogGroups());
        assertEquals(List.of(), domains());
        assertEquals(List.of(), parameters());
    }

    private static boolean isOutput(Parameter p) {
        return OUTPUT_NAMES.contains(p.name().substring(p.name().lastIndexOf('/') + 1));
    }

    @Override
    public void close() {
        clients.close();
        gaps.close();
    }
}
