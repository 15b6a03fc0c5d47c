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
import mlteams.domain.DeleteAppsHandler;
import mlteams.domain.DeleteDomainHandler;
import mlteams.domain.DeleteSpacesHandler;
import mlteams.domain.DeleteUserProfilesHandler;
import mlteams.domain.DomainSettings;
import mlteams.domain.EnsureDomainHandler;
import mlteams.domain.FindDomainHandler;
import mlteams.domain.TeardownSettings;
import mlteams.local.Clients;
import mlteams.local.LocalStack;
import mlteams.local.LocalWorkflow;
import mlteams.local.MotoGaps;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.MotoServer;
import mlteams.local.peers.SdkStub;
import mlteams.logs.DeleteTeamLogGroupHandler;
import mlteams.logs.EnsureLogGroupHandler;
import mlteams.logs.EnsureLogStreamHandler;
import mlteams.logs.LogsSettings;
import mlteams.monitoring.DeleteTeamMonitoringHandler;
import mlteams.monitoring.EnsureTeamMonitoringHandler;
import mlteams.monitoring.MonitoringSettings;
import mlteams.publish.PublishOutputsHandler;
import mlteams.record.ClaimTeamHandler;
import mlteams.record.DeleteTeamParametersHandler;
import mlteams.record.RecordOutcomeHandler;
import mlteams.record.RecordSettings;
import mlteams.trail.EnsureTrailHandler;
import mlteams.trail.TrailSettings;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteQueryDefinitionRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteQueryDefinitionResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeQueryDefinitionsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeQueryDefinitionsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutQueryDefinitionRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutQueryDefinitionResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryDefinition;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * State transitions and AWS API calls per onboarding and per offboarding, counted from real local executions: the
 * real ASL in aws-local-stepfunctions ({@link LocalWorkflow}), the real handlers, moto. Each function's handler gets
 * its own SDK clients wrapped so that every call it makes is recorded under its name.
 */
final class Onboarding {

    /** Calls each function needs at least, with the reason; first run, then a repeat run. */
    record Minimum(String function, int fresh, int repeat, String reason, String whyMore) {
    }

    static final List<Minimum> ONBOARDING_MINIMUMS = List.of(
            new Minimum("ValidateRequest", 0, 0, "pure validation", ""),
            new Minimum("ClaimTeam", 3, 3, "PutItem of the claim, conditional (the atomic claim or takeover), then status"
                    + " and status-reason (no batch put exists)", ""),
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
            new Minimum("EnsureTeamMonitoring", 10, 4, "fresh: 4 PutMetricFilter, 2 PutMetricAlarm, PutDashboard (upserts,"
                    + " none has a batch form), DescribeQueryDefinitions and 2 PutQueryDefinition (a query put without"
                    + " its id is created twice); repeat: one read per kind (DescribeMetricFilters, DescribeAlarms,"
                    + " GetDashboard, DescribeQueryDefinitions), nothing written",
                    "reads each kind before writing it, so that a repeat run writes nothing (3 reads more on a fresh"
                    + " account, 6 writes fewer on every repeat)"),
            new Minimum("EnsureDomain", 2, 2, "ListDomains (CreateDomain is not idempotent by name), then CreateDomain"
                    + " or DescribeDomain", ""),
            new Minimum("CheckDomain", 1, 0, "one DescribeDomain per poll; an adopted InService domain is not polled",
                    ""),
            new Minimum("PublishOutputs", 6, 1, "GetParametersByPath (skip unchanged values: no new versions), then one"
                    + " PutParameter per changed value (no batch put exists)", ""),
            new Minimum("RecordOutcome", 3, 3, "status and status-reason, then DeleteItem of the claim, conditional on this"
                    + " execution still holding it", ""));

    static final List<Minimum> OFFBOARDING_MINIMUMS = List.of(
            new Minimum("ValidateOffboardRequest", 0, 0, "pure validation", ""),
            new Minimum("ClaimTeam", 3, 3, "as in onboarding: the claim, then status and status-reason", ""),
            new Minimum("FindDomain", 1, 1, "ListDomains: the domain is known by its name only, and no call looks a"
                    + " domain up by name", ""),
            new Minimum("DeleteApps", 1, 0, "ListApps, then a DeleteApp per InService app (none here); not run"
                    + " without a domain", ""),
            new Minimum("DeleteSpaces", 1, 0, "ListSpaces, then a DeleteSpace per space (none here)", ""),
            new Minimum("DeleteUserProfiles", 1, 0, "ListUserProfiles, then a DeleteUserProfile per profile (none"
                    + " here)", ""),
            new Minimum("DeleteDomain", 2, 0, "DeleteDomain, then one read per poll until the domain is gone (one poll"
                    + " here: moto deletes at once)",
                    "reads the domain's status before deleting it (a domain already Deleting or DeleteFailed is not"
                    + " deleted again), one ListDomains per sweep"),
            new Minimum("DeleteTeamMonitoring", 9, 4, "first: 4 DeleteMetricFilter (no batch form), DeleteAlarms and"
                    + " DeleteDashboards (one batch call each), DescribeQueryDefinitions and a DeleteQueryDefinition per"
                    + " saved query (2: deleted by id, found by name); again: one call per kind (DescribeMetricFilters,"
                    + " DeleteAlarms, DeleteDashboards, DescribeQueryDefinitions)",
                    "deletes the four metric filters blind, each answered not found on a repeat run, rather than"
                    + " listing them first (which would cost a call more on every first offboarding)"),
            new Minimum("DeleteTeamLogGroup", 0, 0, "the stack's default keeps the team's log group (audit data);"
                    + " with RetainTeamLogGroupOnOffboarding false, one DeleteLogGroup", ""),
            new Minimum("DeleteTeamParameters", 2, 2, "GetParametersByPath (the outputs are found, not listed in"
                    + " code), then DeleteParameters in batches of 10; an offboarding run again still deletes the"
                    + " status and status-reason its own ClaimTeam wrote", ""),
            new Minimum("RecordOutcome", 1, 1, "OFFBOARDED only releases the claim: DeleteItem, conditional on this"
                    + " execution still holding it", ""));

    /** What one counted execution did: its events, the calls of each function, and how often each was invoked. */
    record Counted(Execution execution, Map<String, List<String>> calls, Map<String, Integer> invokes) {

        int calls(String function) {
            return calls.getOrDefault(function, List.of()).size();
        }

        int totalCalls() {
            return calls.values().stream().mapToInt(List::size).sum();
        }
    }

    /** An onboarding on a fresh account and again; then the team's offboarding, and again. */
    record Scenarios(Counted onboardFresh, Counted onboardRepeat, Counted offboard, Counted offboardAgain) {
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

    /** As in scripts/run-local.sh: the operations moto lacks (apps, spaces, profiles, saved queries) are filled. */
    private ClientSettings throughGaps(MotoGaps gaps) {
        return ClientSettings.emulator(gaps.endpoint(), settings.region());
    }

    /** A fresh account (the stack deployed, no team): onboard, onboard again, offboard, offboard again. */
    Scenarios scenarios() {
        moto.reset();
        Map<String, String> env = LocalStack.deploy(settings);
        try (MotoGaps gaps = MotoGaps.inFrontOf(settings.endpoint());
                Clients clients = Clients.connect(throughGaps(gaps))) {
            Clients withQueries = clients.withLogs(savedQueries(clients.logs()));
            String onboard = Events.read("team-onboarded.json");
            String offboard = Events.read("team-offboarded.json");
            Counted fresh = execute(withQueries, env, null, LocalWorkflow.ONBOARD_DEFINITION, onboard);
            Counted repeat = execute(withQueries, env, null, LocalWorkflow.ONBOARD_DEFINITION, onboard);
            Counted off = execute(withQueries, env, null, LocalWorkflow.OFFBOARD_DEFINITION, offboard);
            Counted again = execute(withQueries, env, null, LocalWorkflow.OFFBOARD_DEFINITION, offboard);
            return new Scenarios(fresh, repeat, off, again);
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
            Counted counted = execute(clients.withSageMaker(slow).withLogs(savedQueries(clients.logs())), env,
                    (function, handler) -> {
                        if (!function.equals("CheckDomain")) {
                            return handler;
                        }
                        return (input, output, context) -> {
                            byte[] bytes = input.readAllBytes();
                            Map<String, Object> state = Json.readMap(new String(bytes,
                                    java.nio.charset.StandardCharsets.UTF_8));
                            int wait = ((Number) ((Map<?, ?>) state.get("poll")).get("waitSeconds")).intValue();
                            synchronized (waits) {
                                waits.add(wait);
                            }
                            scheduled.addAndGet(wait); // the Wait state before this check waited this long
                            handler.handleRequest(new ByteArrayInputStream(bytes), output, context);
                        };
                    }, LocalWorkflow.ONBOARD_DEFINITION, Events.read("team-onboarded.json"));
            return new Polling(counted, List.copyOf(waits), scheduled.get());
        }
    }

    interface Wrap {
        RequestStreamHandler wrap(String function, RequestStreamHandler handler);
    }

    private Counted execute(Clients clients, Map<String, String> env, Wrap wrap, String definition, String input) {
        Map<String, List<String>> calls = new LinkedHashMap<>();
        try (LocalWorkflow workflow = new LocalWorkflow(clients, env, QUIET, NO_WAITING)) {
            Map<String, RequestStreamHandler> handlers = handlers(clients, env, calls);
            handlers.forEach((name, handler) -> workflow.lambda()
                    .register(name, wrap == null ? handler : wrap.wrap(name, handler)));
            Execution execution = workflow.run(definition, input, event -> { });
            if (!execution.succeeded()) {
                throw new IllegalStateException(definition + " failed: " + execution.error() + ": " + execution.cause());
            }
            Map<String, Integer> invokes = new LinkedHashMap<>();
            for (LocalLambda.Invocation invocation : workflow.lambda().invocations()) {
                invokes.merge(invocation.function(), 1, Integer::sum);
            }
            synchronized (calls) {
                return new Counted(execution, Map.copyOf(calls), Map.copyOf(invokes));
            }
        }
    }

    /** Every function of both workflows, each with its own counted clients. */
    private static Map<String, RequestStreamHandler> handlers(Clients c, Map<String, String> env,
            Map<String, List<String>> calls) {
        Map<String, RequestStreamHandler> h = new LinkedHashMap<>();
        RecordSettings record = RecordSettings.from(env);
        TeardownSettings teardown = TeardownSettings.from(env);
        h.put("ClaimTeam", new ClaimTeamHandler(ssm(c, "ClaimTeam", calls),
                dynamoDb(c, "ClaimTeam", calls), record));
        h.put("EnsureTrail", new EnsureTrailHandler(
                counted(CloudTrailClient.class, c.cloudTrail(), "EnsureTrail", calls), TrailSettings.from(env)));
        h.put("EnsureLogGroup", new EnsureLogGroupHandler(logs(c, "EnsureLogGroup", calls), LogsSettings.from(env)));
        h.put("EnsureLogStream", new EnsureLogStreamHandler(logs(c, "EnsureLogStream", calls), LogsSettings.from(env)));
        h.put("EnsureTeamMonitoring", new EnsureTeamMonitoringHandler(logs(c, "EnsureTeamMonitoring", calls),
                cloudWatch(c, "EnsureTeamMonitoring", calls), MonitoringSettings.from(env)));
        h.put("EnsureDomain", new EnsureDomainHandler(sageMaker(c, "EnsureDomain", calls), DomainSettings.from(env)));
        h.put("CheckDomain", new CheckDomainHandler(sageMaker(c, "CheckDomain", calls), DomainSettings.from(env)));
        h.put("PublishOutputs", new PublishOutputsHandler(ssm(c, "PublishOutputs", calls),
                Env.optional(env, "PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX)));
        h.put("RecordOutcome", new RecordOutcomeHandler(ssm(c, "RecordOutcome", calls),
                dynamoDb(c, "RecordOutcome", calls), record));
        h.put("FindDomain", new FindDomainHandler(sageMaker(c, "FindDomain", calls), teardown));
        h.put("DeleteApps", new DeleteAppsHandler(sageMaker(c, "DeleteApps", calls), teardown));
        h.put("DeleteSpaces", new DeleteSpacesHandler(sageMaker(c, "DeleteSpaces", calls), teardown));
        h.put("DeleteUserProfiles", new DeleteUserProfilesHandler(sageMaker(c, "DeleteUserProfiles", calls), teardown));
        h.put("DeleteDomain", new DeleteDomainHandler(sageMaker(c, "DeleteDomain", calls), teardown));
        h.put("DeleteTeamMonitoring", new DeleteTeamMonitoringHandler(logs(c, "DeleteTeamMonitoring", calls),
                cloudWatch(c, "DeleteTeamMonitoring", calls), MonitoringSettings.from(env)));
        h.put("DeleteTeamLogGroup", new DeleteTeamLogGroupHandler(logs(c, "DeleteTeamLogGroup", calls),
                LogsSettings.from(env)));
        h.put("DeleteTeamParameters", new DeleteTeamParametersHandler(ssm(c, "DeleteTeamParameters", calls), record));
        // ValidateRequest and ValidateOffboardRequest make no AWS call: LocalWorkflow's own instances serve them.
        return h;
    }

    private static SsmClient ssm(Clients c, String function, Map<String, List<String>> calls) {
        return counted(SsmClient.class, c.ssm(), function, calls);
    }

    private static DynamoDbClient dynamoDb(Clients c, String function, Map<String, List<String>> calls) {
        return counted(DynamoDbClient.class, c.dynamoDb(), function, calls);
    }

    private static CloudWatchLogsClient logs(Clients c, String function, Map<String, List<String>> calls) {
        return counted(CloudWatchLogsClient.class, c.logs(), function, calls);
    }

    private static CloudWatchClient cloudWatch(Clients c, String function, Map<String, List<String>> calls) {
        return counted(CloudWatchClient.class, c.cloudWatch(), function, calls);
    }

    private static SageMakerClient sageMaker(Clients c, String function, Map<String, List<String>> calls) {
        return counted(SageMakerClient.class, c.sageMaker(), function, calls);
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

    /**
     * Saved Logs Insights queries that are remembered, as CloudWatch Logs does: moto has none, and MotoGaps answers
     * statelessly (DescribeQueryDefinitions finds nothing), which would count a repeat onboarding's two query
     * writes that AWS never sees. Kept per scenario; every other Logs call reaches moto.
     */
    private static CloudWatchLogsClient savedQueries(CloudWatchLogsClient real) {
        Map<String, QueryDefinition> byId = new LinkedHashMap<>();
        AtomicInteger ids = new AtomicInteger();
        return SdkStub.of(CloudWatchLogsClient.class, real, (operation, request) -> {
            synchronized (byId) {
                switch (operation) {
                    case "describeQueryDefinitions" -> {
                        String prefix = ((DescribeQueryDefinitionsRequest) request).queryDefinitionNamePrefix();
                        return DescribeQueryDefinitionsResponse.builder().queryDefinitions(byId.values().stream()
                                .filter(q -> prefix == null || q.name().startsWith(prefix)).toList()).build();
                    }
                    case "putQueryDefinition" -> {
                        PutQueryDefinitionRequest put = (PutQueryDefinitionRequest) request;
                        String id = put.queryDefinitionId() != null ? put.queryDefinitionId()
                                : "query-" + ids.incrementAndGet();
                        byId.put(id, QueryDefinition.builder().queryDefinitionId(id).name(put.name())
                                .queryString(put.queryString()).logGroupNames(put.logGroupNames()).build());
                        return PutQueryDefinitionResponse.builder().queryDefinitionId(id).build();
                    }
                    case "deleteQueryDefinition" -> {
                        boolean deleted = byId.remove(((DeleteQueryDefinitionRequest) request).queryDefinitionId()) != null;
                        return DeleteQueryDefinitionResponse.builder().success(deleted).build();
                    }
                    default -> {
                        return SdkStub.PASS;
                    }
                }
            }
        });
    }
}
