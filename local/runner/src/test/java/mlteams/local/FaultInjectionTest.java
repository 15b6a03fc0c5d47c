package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.SdkStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Faults injected at every step of the real workflow. Throttling, 5xx and timeouts are thrown at the SDK
 * boundary, where the handler meets them after the SDK's own retries; Lambda service errors are thrown by the
 * local Lambda host. Each must be retried by the state machine to a complete onboarding. A permanent fault must
 * fail with a recorded cause, and running again must complete.
 */
class FaultInjectionTest extends EndToEndTest {

    /** A step, and an AWS operation that only that step calls in a first onboarding. */
    record Step(String state, String function, String service, String operation) {
    }

    static final List<Step> STEPS = List.of(
            new Step("ClaimTeam", "ClaimTeam", "dynamodb", "putItem"),
            new Step("EnsureTrail", "EnsureTrail", "cloudtrail", "getTrail"),
            new Step("EnsureLogGroup", "EnsureLogGroup", "logs", "describeLogGroups"),
            new Step("EnsureLogStream", "EnsureLogStream", "logs", "describeLogStreams"),
            new Step("EnsureDomain", "EnsureDomain", "sagemaker", "listDomains"),
            new Step("CheckDomain", "CheckDomain", "sagemaker", "describeDomain"),
            new Step("PublishOutputs", "PublishOutputs", "ssm", "getParametersByPath"),
            new Step("RecordSuccess", "RecordOutcome", "dynamodb", "deleteItem"));

    static final List<String> FAULTS = List.of("throttling", "server-error", "timeout", "Lambda.ServiceException");


    static Stream<Arguments> everyFaultAtEveryStep() {
        List<Arguments> cases = new ArrayList<>();
        for (String fault : FAULTS) {
            for (Step step : STEPS) {
                cases.add(Arguments.of(fault, step));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("everyFaultAtEveryStep")
    void aTransientFaultIsRetriedToACompleteOnboarding(String fault, Step step) {
        Execution execution;
        if (fault.startsWith("Lambda.")) {
            try (LocalWorkflow workflow = account.workflow(account.clients, account.env)) {
                workflow.lambda().failInvocations(step.function(), fault, 2);
                execution = workflow.onboard(Events.read("team-onboarded.json"), e -> { });
            }
        } else {
            Clients faulty = failTwice(step.service(), step.operation(), () -> exception(fault));
            execution = account.onboard(faulty, account.env, Events.read("team-onboarded.json"));
        }

        assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
        assertEquals(2, execution.events().stream().filter(e -> "StateRetried".equals(e.get("type"))
                && step.state().equals(e.get("state"))).count(), "retries of " + step.state());
        assertCompletelyOnboarded();
    }

    @Test
    void aPermanentFaultMidwayIsRecordedAndARunAgainCompletes() {
        Clients denied = failAlways("sagemaker", "createDomain", () -> SageMakerException.builder().statusCode(403)
                .message("User is not authorized to perform: sagemaker:CreateDomain")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build());

        Execution failed = account.onboard(denied, account.env, Events.read("team-onboarded.json"));

        assertEquals("FAILED", failed.status());
        assertEquals("software.amazon.awssdk.services.sagemaker.model.SageMakerException", failed.error());
        assertEquals("FAILED", account.teamParameter("computer-vision", "status"));
        assertTrue(account.teamParameter("computer-vision", "status-reason").contains("not authorized to perform: "
                + "sagemaker:CreateDomain"), account.teamParameter("computer-vision", "status-reason"));
        assertNull(account.claimHolder("computer-vision"));

        Execution again = account.onboard(Events.read("team-onboarded.json"));

        assertTrue(again.succeeded(), again.error() + ": " + again.cause());
        assertCompletelyOnboarded();
    }

    @Test
    void throttlingThatNeverEndsFailsWithARecordedCauseAfterBoundedRetries() {
        Clients throttled = failAlways("logs", "describeLogGroups", () -> exception("throttling"));

        Execution failed = account.onboard(throttled, account.env, Events.read("team-onboarded.json"));

        assertEquals("mlteams.common.TransientAwsException", failed.error());
        assertEquals(3, failed.events().stream().filter(e -> "StateRetried".equals(e.get("type"))
                && "EnsureLogGroup".equals(e.get("state"))).count(), "the state machine gives up after 3 retries");
        assertEquals("FAILED", account.teamParameter("computer-vision", "status"));

        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());
        assertCompletelyOnboarded();
    }

    private void assertCompletelyOnboarded() {
        assertEquals(1, account.domains().size());
        assertEquals(1, account.teamLogGroups().size());
        assertEquals(List.of("user-activity"), account.logStreams("/ml-teams/computer-vision/activity"));
        assertEquals(1, account.clients.cloudTrail().describeTrails().trailList().size());
        assertEquals(6, account.outputs().size());
        assertEquals("ONBOARDED", account.teamParameter("computer-vision", "status"));
        assertNull(account.claimHolder("computer-vision"));
    }

    private static RuntimeException exception(String fault) {
        return switch (fault) {
            case "throttling" -> AwsServiceException.builder().statusCode(400).message("Rate exceeded")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
            case "server-error" -> AwsServiceException.builder().statusCode(503).message("Service unavailable")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailable").build()).build();
            case "timeout" -> SdkClientException.builder().message("Unable to execute HTTP request: Read timed out")
                    .cause(new SocketTimeoutException("Read timed out")).build();
            default -> throw new IllegalArgumentException(fault);
        };
    }

    private Clients failTwice(String service, String operation, java.util.function.Supplier<RuntimeException> fault) {
        AtomicInteger left = new AtomicInteger(2);
        return withRule(service, (op, request) -> {
            if (op.equals(operation) && left.getAndDecrement() > 0) {
                throw fault.get();
            }
            return SdkStub.PASS;
        });
    }

    private Clients failAlways(String service, String operation, java.util.function.Supplier<RuntimeException> fault) {
        return withRule(service, (op, request) -> {
            if (op.equals(operation)) {
                throw fault.get();
            }
            return SdkStub.PASS;
        });
    }

    private Clients withRule(String service, SdkStub.Rule rule) {
        Clients real = account.clients;
        return switch (service) {
            case "ssm" -> real.withSsm(SdkStub.of(SsmClient.class, real.ssm(), rule));
            case "dynamodb" -> real.withDynamoDb(SdkStub.of(DynamoDbClient.class, real.dynamoDb(), rule));
            case "cloudtrail" -> real.withCloudTrail(SdkStub.of(CloudTrailClient.class, real.cloudTrail(), rule));
            case "logs" -> real.withLogs(SdkStub.of(CloudWatchLogsClient.class, real.logs(), rule));
            case "sagemaker" -> real.withSageMaker(SdkStub.of(SageMakerClient.class, real.sageMaker(), rule));
            default -> throw new IllegalArgumentException(service);
        };
    }
}
