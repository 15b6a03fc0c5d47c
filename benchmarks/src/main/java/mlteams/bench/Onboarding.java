package mlteams.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mlteams.common.ClientSettings;
import mlteams.common.Env;
import mlteams.common.Json;
import mlteams.common.TeamNames;
import mlteams.domain.CheckDomainHandler;
import mlteams.domain.DomainSettings;
import mlteams.domain.EnsureDomainHandler;
import mlteams.local.Clients;
import mlteams.local.LocalStack;
import mlteams.local.MotoGaps;
import mlteams.local.LocalWorkflow;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.MotoServer;
import mlteams.local.peers.SdkStub;
import mlteams.logs.EnsureLogGroupHandler;
import mlteams.logs.EnsureLogStreamHandler;
import mlteams.logs.LogsSettings;
import mlteams.publish.PublishOutputsHandler;
import mlteams.trail.EnsureTrailHandler;
import mlteams.trail.TrailSettings;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainRequest;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * State transitions and AWS API calls per onboarding, counted from real local executions: the real ASL in
 * aws-local-stepfunctions ({@link LocalWorkflow}), the real handlers, moto. Each function's handler gets its own
 * SDK clients wrapped so that every call it makes is recorded under its name.
 */
final class Onboarding {

    /** Calls each function needs at least, with the reason; fresh account, then a repeat run. */
    record Minimum(String function, int fresh, int repeat, String reason, String whyMore) {
    }

    static final List<Minimum> MINIMUMS = List.of(
            new Minimum("ValidateRequest", 0, 0, "pure validation", ""),
            new Minimum("EnsureTrail", 3, 3, "fresh: GetTrail (never create blind), CreateTrail, StartLogging (a new"
                    + " trail has default selectors, is not logging, and CreateTrail returns its ARN); repeat: GetTrail,"
                    + " GetEventSelectors, GetTrailStatus (drift, selectors and logging can only be read)", ""),
            new Minimum("EnsureLogGroup", 2, 2, "fresh: CreateLogGroup (names are unique, so create-first is safe; the"
                    + " ARN follows from the account id in the Lambda context), PutRetentionPolicy; repeat:"
                    + " DescribeLogGroups (retention, key), ListTagsForResource (tag drift)",
                    "looks the group up before creating it and describes it again for its ARN"),
            new Minimum("EnsureLogStream", 1, 1, "CreateLogStream; ResourceAlreadyExists means adopt",
                    "describes before creating, which keeps repeat runs free of failed CreateLogStream calls in the"
                    + " audit trail"),
            new Minimum("EnsureDomain", 2, 2, "ListDomains (CreateDomain is not idempotent by name), then CreateDomain"
                    + " or DescribeDomain", ""),
            new Minimum("CheckDomain", 1, 0, "one DescribeDomain per poll; an adopted InService domain is not polled",
                    ""),
            new Minimum("PublishOutputs", 6, 1, "GetParametersByPath (skip unchanged values: no new versions), then one"
                    + " PutParameter per changed value (no batch put exists)", ""));

    /** What one counted execution did. */
    record Counted(Execution execution, Map<String, List<String>> calls) {

        int calls(String function) {
            return calls.getOrDefault(function, List.of()).size();
        }

        int totalCalls() {
            return calls.values().stream().mapToInt(List::size).sum();
        }
    }

    /** The 10-minute creation: how many polls and transitions it took. */
    record Polling(Counted counted, List<Integer> waits, int scheduledSeconds) {

        long domainBranchTransitions() {
            Execution e = counted.execution();
            return e.entered("EnsureDomain") + e.entered("IsDomainReady") + e.entered("WaitForDomain")
                    + e.entered("CheckDomain") + e.entered("DomainReady");
        }

        long loopTransitions() {
            Execution e = counted.execution();
            return e.entered("IsDomainReady") + e.entered("WaitForDomain") + e.entered("CheckDomain");
        }
    }

    private static final Map<String, Object> NO_WAITING = LocalWorkflow.pauses(0, 0);
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private final MotoServer moto;
    private final ClientSettings settings;

    Onboarding(MotoServer moto, ClientSettings settings) {
        this.moto = moto;
        this.settings = settings;
    }

    /** As in scripts/run-local.sh: the operations moto lacks (saved queries, for the monitoring step) are filled. */
    private ClientSettings throughGaps(MotoGaps gaps) {
        return ClientSettings.emulator(gaps.endpoint(), settings.region());
    }

    /** A fresh account (the stack deployed, no team), then the same event again. */
    List<Counted> freshThenRepeat() {
        moto.reset();
        Map<String, String> env = LocalStack.deploy(settings);
        try (MotoGaps gaps = MotoGaps.inFrontOf(settings.endpoint());
                Clients clients = Clients.connect(throughGaps(gaps))) {
            Counted fresh = execute(clients, env, null);
            Counted repeat = execute(clients, env, null);
            return List.of(fresh, repeat);
        }
    }

    /**
     * A domain that takes 10 minutes: DescribeDomain says Pending until the waits the state machine scheduled
     * (read from each CheckDomain input, so from the real Wait state's schedule) add up to 600 s or more.
     */
    Polling tenMinuteCreation() {
        moto.reset();
        Map<String, String> env = LocalStack.deploy(settings);
        AtomicInteger scheduled = new AtomicInteger();
        List<Integer> waits = new ArrayList<>();
        try (MotoGaps gaps = MotoGaps.inFrontOf(settings.endpoint());
                Clients clients = Clients.connect(throughGaps(gaps))) {
            SageMakerClient real = clients.sageMaker();
            SageMakerClient slow = SdkStub.of(SageMakerClient.class, real, (operation, request) ->
                    operation.equals("describeDomain")
                            ? real.describeDomain((DescribeDomainRequest) request).toBuilder()
                                    .status(scheduled.get() >= 600 ? "InService" : "Pending").build()
                            : SdkStub.PASS);
            Counted counted = execute(clients.withSageMaker(slow), env, (function, handler) -> {
                if (!function.equals("CheckDomain")) {
                    return handler;
                }
                return (input, output, context) -> {
                    byte[] bytes = input.readAllBytes();
                    Map<String, Object> state = Json.readMap(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
                    int wait = ((Number) ((Map<?, ?>) state.get("poll")).get("waitSeconds")).intValue();
                    synchronized (waits) {
                        waits.add(wait);
                    }
                    scheduled.addAndGet(wait); // the Wait state before this check waited this long
                    handler.handleRequest(new ByteArrayInputStream(bytes), output, context);
                };
            });
            return new Polling(counted, List.copyOf(waits), scheduled.get());
        }
    }

    interface Wrap {
        RequestStreamHandler wrap(String function, RequestStreamHandler handler);
    }

    private Counted execute(Clients clients, Map<String, String> env, Wrap wrap) {
        Map<String, List<String>> calls = new LinkedHashMap<>();
        try (LocalWorkflow workflow = new LocalWorkflow(clients, env, QUIET, NO_WAITING)) {
            Map<String, RequestStreamHandler> handlers = new LinkedHashMap<>();
            handlers.put("EnsureTrail", new EnsureTrailHandler(
                    counted(CloudTrailClient.class, clients.cloudTrail(), "EnsureTrail", calls), TrailSettings.from(env)));
            handlers.put("EnsureLogGroup", new EnsureLogGroupHandler(
                    counted(CloudWatchLogsClient.class, clients.logs(), "EnsureLogGroup", calls), LogsSettings.from(env)));
            handlers.put("EnsureLogStream", new EnsureLogStreamHandler(
                    counted(CloudWatchLogsClient.class, clients.logs(), "EnsureLogStream", calls), LogsSettings.from(env)));
            handlers.put("EnsureDomain", new EnsureDomainHandler(
                    counted(SageMakerClient.class, clients.sageMaker(), "EnsureDomain", calls), DomainSettings.from(env)));
            handlers.put("CheckDomain", new CheckDomainHandler(
                    counted(SageMakerClient.class, clients.sageMaker(), "CheckDomain", calls), DomainSettings.from(env)));
            handlers.put("PublishOutputs", new PublishOutputsHandler(
                    counted(SsmClient.class, clients.ssm(), "PublishOutputs", calls),
                    Env.optional(env, "PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX)));
            handlers.forEach((name, handler) -> workflow.lambda()
                    .register(name, wrap == null ? handler : wrap.wrap(name, handler)));
            Execution execution = workflow.onboard(Events.read("team-onboarded.json"), event -> { });
            if (!execution.succeeded()) {
                throw new IllegalStateException("onboarding failed: " + execution.error() + ": " + execution.cause());
            }
            synchronized (calls) {
                return new Counted(execution, Map.copyOf(calls));
            }
        }
    }

    /** The real client, with every call it makes recorded under the function's name (pages count one each). */
    private static <T> T counted(Class<T> type, T real, String function, Map<String, List<String>> calls) {
        return SdkStub.of(type, real, (operation, request) -> {
            synchronized (calls) {
                calls.computeIfAbsent(function, f -> new ArrayList<>())
                        .add(Character.toUpperCase(operation.charAt(0)) + operation.substring(1));
            }
            return SdkStub.PASS;
        });
    }
}
