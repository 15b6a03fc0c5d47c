package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mlteams.common.ClientSettings;
import mlteams.common.Json;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.MotoServer;
import mlteams.local.peers.SdkStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.model.Trail;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainResponse;
import software.amazon.awssdk.services.sagemaker.model.DomainDetails;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * The whole onboarding: statemachine/onboard-team.asl.json executed by aws-local-stepfunctions, each Task
 * served by the real Java handler, the handlers talking to moto through the real SDK. What exists afterwards
 * is read back through the SDK.
 */
class OnboardingWorkflowTest {

    private static final List<String> TASKS = List.of("ValidateRequest", "EnsureTrail", "EnsureLogGroup",
            "EnsureLogStream", "EnsureDomain", "CheckDomain", "PublishOutputs");
    /** Real waits and retry intervals would only slow the tests; the interpreter skips them. */
    private static final Map<String, Object> NO_WAITING = Map.of(
            "waitTimeOverrides", Map.of("WaitForDomain", 0),
            "retryIntervalOverrides", TASKS.stream().collect(Collectors.toMap(t -> t, t -> 0)));

    private final MotoServer moto = MotoServer.shared();
    private final ClientSettings settings = ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1);
    private Map<String, String> env;
    private Clients clients;

    @BeforeEach
    void deployTheStackIntoAnEmptyAccount() {
        moto.reset();
        env = LocalStack.deploy(settings);
        clients = Clients.connect(settings);
    }

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void onboardsATeamAndPublishesItsOutputs() {
        Execution execution = onboard(clients, env, Events.read("team-onboarded.json"));

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
        assertEquals(List.of("user-activity"), clients.logs().describeLogStreams(r -> r.logGroupName(group.logGroupName()))
                .logStreams().stream().map(s -> s.logStreamName()).toList());

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

        assertEquals(Map.of(
                "/ml-teams/computer-vision/sagemaker-domain-url", output.get("sagemakerDomainUrl"),
                "/ml-teams/computer-vision/sagemaker-domain-id", domain.domainId(),
                "/ml-teams/computer-vision/cloudtrail-arn", trail.trailARN(),
                "/ml-teams/computer-vision/log-group-name", "/ml-teams/computer-vision/activity",
                "/ml-teams/computer-vision/log-stream-name", "user-activity"), parameterValues());
        assertTrue(((String) output.get("sagemakerDomainUrl")).startsWith("https://"));
    }

    @Test
    void aSecondRunOfTheSameEventAddsNothingAndGivesTheSameOutput() {
        Execution first = onboard(clients, env, Events.read("team-onboarded.json"));
        Map<String, Long> versionsBefore = parameterVersions();

        Execution second = onboard(clients, env, Events.read("team-onboarded.json"));

        assertTrue(second.succeeded(), second.error() + ": " + second.cause());
        assertEquals(output(first), output(second));
        assertEquals(1, clients.cloudTrail().describeTrails().trailList().size());
        assertEquals(1, teamLogGroups().size());
        assertEquals(1, domains().size());
        assertEquals(versionsBefore, parameterVersions());
        assertEquals(0, second.entered("WaitForDomain"), "an adopted InService domain needs no polling");
    }

    @Test
    void aSecondTeamSentAsABareDetailObjectReusesTheSharedTrail() {
        Execution cv = onboard(clients, env, Events.read("team-onboarded.json"));
        Execution nlp = onboard(clients, env, Events.read("team-onboarded-minimal.json"));

        assertTrue(nlp.succeeded(), nlp.error() + ": " + nlp.cause());
        assertEquals(output(cv).get("cloudTrailArn"), output(nlp).get("cloudTrailArn"));
        assertEquals(1, clients.cloudTrail().describeTrails().trailList().size());
        assertEquals(List.of("ml-team-computer-vision", "ml-team-nlp-research"),
                domains().stream().map(DomainDetails::domainName).sorted().toList());
        assertEquals(List.of("/ml-teams/computer-vision/activity", "/ml-teams/nlp-research/activity"),
                teamLogGroups().stream().map(LogGroup::logGroupName).sorted().toList());
        DescribeDomainResponse nlpDomain = clients.sageMaker().describeDomain(
                r -> r.domainId((String) output(nlp).get("sagemakerDomainId")));
        assertEquals(env.get("DEFAULT_VPC_ID"), nlpDomain.vpcId(), "the platform default applies");
    }

    static Stream<Arguments> invalidRequests() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) Json.readMap(Events.read("invalid-requests.json"))
                .get("cases");
        return cases.stream().map(c -> Arguments.of(c.get("name"), c.get("field"), Json.write(c.get("request"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void aBadRequestFailsInValidationAndCreatesNothing(String name, String field, String request) {
        try (LocalWorkflow workflow = new LocalWorkflow(clients, env, System.err, NO_WAITING)) {
            Execution execution = workflow.onboard(request, event -> { });

            assertEquals("FAILED", execution.status(), name);
            assertEquals("mlteams.common.InvalidRequestException", execution.error());
            assertTrue(execution.cause().contains(field), execution.cause());
            assertEquals(List.of("ValidateRequest"), workflow.lambda().invocations().stream()
                    .map(LocalLambda.Invocation::function).distinct().toList());
        }
        assertNothingOfAnyTeamExists();
    }

    @Test
    void aPendingDomainIsPolledWithBackoffUntilInService() {
        Clients pending = clients.withSageMaker(domainStatuses("Pending", "Pending", "Pending", "InService"));
        try (LocalWorkflow workflow = new LocalWorkflow(pending, env, System.err, NO_WAITING)) {
            Execution execution = workflow.onboard(Events.read("team-onboarded.json"), event -> { });

            assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
            assertEquals(4, execution.entered("WaitForDomain"));
            assertEquals(4, execution.entered("CheckDomain"));
            List<Object> waits = workflow.lambda().invocations().stream()
                    .filter(i -> i.function().equals("CheckDomain"))
                    .map(i -> (Object) ((Map<?, ?>) Json.readMap(i.input()).get("poll")).get("waitSeconds"))
                    .toList();
            assertEquals(List.of(60, 120, 240, 240), waits, "each Wait doubles, capped at 240 s");
            assertEquals(5, parameterValues().size());
        }
    }

    @Test
    void aFailedDomainFailsTheExecutionWithItsReasonAndPublishesNothing() {
        Clients failing = clients.withSageMaker(domainStatuses("Pending", "Failed"));
        try (LocalWorkflow workflow = new LocalWorkflow(failing, env, System.err, NO_WAITING)) {
            Execution execution = workflow.onboard(Events.read("team-onboarded.json"), event -> { });

            assertEquals("FAILED", execution.status());
            assertEquals("mlteams.domain.DomainFailedException", execution.error());
            assertTrue(execution.cause().contains("subnet-0a1b2c3d4e5f60718 has no free IP addresses"),
                    execution.cause());
            assertFalse(workflow.lambda().invocations().stream().anyMatch(i -> i.function().equals("PublishOutputs")));
            assertEquals(Map.of(), parameterValues());
        }
    }

    @Test
    void aDomainThatNeverComesUpFailsAfterTheBoundedWait() {
        Map<String, String> shortWait = new HashMap<>(env);
        shortWait.put("POLL_TIMEOUT_SECONDS", "600");
        Clients stuck = clients.withSageMaker(domainStatuses("Pending"));
        try (LocalWorkflow workflow = new LocalWorkflow(stuck, shortWait, System.err, NO_WAITING)) {
            Execution execution = workflow.onboard(Events.read("team-onboarded.json"), event -> { });

            assertEquals("mlteams.domain.DomainWaitTimeoutException", execution.error());
            assertTrue(execution.cause().contains("limit 600 s"), execution.cause());
        }
    }

    @Test
    void throttlingThatOutlastsTheSdkRetriesIsRetriedByTheStateMachine() {
        int[] throttles = {2};
        SsmClient throttled = SdkStub.of(SsmClient.class, clients.ssm(), (operation, request) -> {
            if (operation.equals("putParameter") && throttles[0]-- > 0) {
                throw SsmException.builder().statusCode(400).message("Rate exceeded")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
            }
            return SdkStub.PASS;
        });
        try (LocalWorkflow workflow = new LocalWorkflow(clients.withSsm(throttled), env, System.err, NO_WAITING)) {
            Execution execution = workflow.onboard(Events.read("team-onboarded.json"), event -> { });

            assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
            assertEquals(2, execution.events().stream().filter(e -> "StateRetried".equals(e.get("type"))
                    && "PublishOutputs".equals(e.get("state"))).count());
            assertEquals(List.of("mlteams.common.TransientAwsException", "mlteams.common.TransientAwsException"),
                    workflow.lambda().invocations().stream().filter(i -> i.errorType() != null)
                            .map(LocalLambda.Invocation::errorType).toList());
            assertEquals(5, parameterValues().size());
        }
    }

    private Execution onboard(Clients with, Map<String, String> environment, String input) {
        try (LocalWorkflow workflow = new LocalWorkflow(with, environment, System.err, NO_WAITING)) {
            return workflow.onboard(input, event -> { });
        }
    }

    /** moto's real answers, with DescribeDomain's status replaced by the next scripted one (the last repeats). */
    private SageMakerClient domainStatuses(String... statuses) {
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
    private static Map<String, Object> output(Execution execution) {
        return (Map<String, Object>) execution.output();
    }

    private Trail onlyTrail() {
        List<Trail> trails = clients.cloudTrail().describeTrails().trailList();
        assertEquals(1, trails.size(), trails.toString());
        return clients.cloudTrail().getTrail(r -> r.name(trails.get(0).name())).trail();
    }

    private List<LogGroup> teamLogGroups() {
        return clients.logs().describeLogGroups(r -> r.logGroupNamePrefix("/ml-teams/")).logGroups();
    }

    private List<DomainDetails> domains() {
        return clients.sageMaker().listDomains(r -> { }).domains();
    }

    private Map<String, String> parameterValues() {
        return parameters().stream().collect(Collectors.toMap(Parameter::name, Parameter::value));
    }

    private Map<String, Long> parameterVersions() {
        return parameters().stream().collect(Collectors.toMap(Parameter::name, Parameter::version,
                (a, b) -> a, LinkedHashMap::new));
    }

    private List<Parameter> parameters() {
        return clients.ssm().getParametersByPathPaginator(r -> r.path("/ml-teams").recursive(true)).stream()
                .flatMap(page -> page.parameters().stream()).toList();
    }

    private void assertNothingOfAnyTeamExists() {
        assertEquals(List.of(), clients.cloudTrail().describeTrails().trailList());
        assertEquals(List.of(), teamLogGroups());
        assertEquals(List.of(), domains());
        assertEquals(List.of(), parameters());
    }
}
