package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import mlteams.common.ClientSettings;
import mlteams.common.Json;
import mlteams.local.iam.DeployedStack;
import mlteams.local.iam.IamCase;
import mlteams.local.iam.IamRequests;
import mlteams.local.iam.IamSimulator;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.MotoServer;
import mlteams.record.TeamClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/**
 * SnapStart priming, run the way Lambda runs it: a fresh JVM with the function's environment builds every handler
 * with its no-arg constructor, then the CRaC hooks those constructors registered run as before a snapshot. An SDK
 * interceptor records every call the hooks make, handler by handler. Every handler with an SDK client must make
 * SDK calls (or it warms nothing), only read-only ones that its function's deployed role allows for their resources
 * (evaluated by {@link IamSimulator}); priming
 * must change nothing in the account, and never fail the snapshot, even with AWS unreachable.
 */
class SnapStartPrimingTest {

    /** What each handler of template.yaml calls in its hook, in order of the steps; every one is a read. */
    private static final Map<String, Set<String>> EXPECTED_OPERATIONS = expected(
            "mlteams.validate.ValidateRequestHandler", Set.of(),
            "mlteams.record.ClaimTeamHandler", Set.of("GetItem"),
            "mlteams.trail.EnsureTrailHandler", Set.of("GetTrail", "GetEventSelectors", "GetTrailStatus"),
            "mlteams.logs.EnsureLogGroupHandler", Set.of("DescribeLogGroups"),
            "mlteams.logs.EnsureLogStreamHandler", Set.of("DescribeLogStreams"),
            "mlteams.monitoring.EnsureTeamMonitoringHandler",
                    Set.of("DescribeMetricFilters", "DescribeAlarms", "GetDashboard", "DescribeQueryDefinitions"),
            "mlteams.domain.EnsureDomainHandler", Set.of("ListDomains", "DescribeDomain"),
            "mlteams.domain.CheckDomainHandler", Set.of("DescribeDomain"),
            "mlteams.domain.SyncMembersHandler", Set.of("ListUserProfiles", "ListSpaces", "ListApps"),
            "mlteams.publish.PublishOutputsHandler", Set.of("GetParametersByPath"),
            "mlteams.record.RecordOutcomeHandler", Set.of("GetItem"),
            "mlteams.validate.ValidateOffboardRequestHandler", Set.of(),
            "mlteams.validate.ValidateMembersRequestHandler", Set.of(),
            "mlteams.domain.FindDomainHandler", Set.of("ListDomains"),
            "mlteams.domain.DeleteAppsHandler", Set.of("ListApps"),
            "mlteams.domain.DeleteSpacesHandler", Set.of("ListSpaces"),
            "mlteams.domain.DeleteUserProfilesHandler", Set.of("ListUserProfiles"),
            "mlteams.domain.DeleteDomainHandler", Set.of("ListDomains"),
            "mlteams.monitoring.DeleteTeamMonitoringHandler",
                    Set.of("DescribeMetricFilters", "GetDashboard", "DescribeQueryDefinitions"),
            "mlteams.logs.DeleteTeamLogGroupHandler", Set.of("DescribeLogStreams"),
            "mlteams.record.DeleteTeamParametersHandler", Set.of("GetParametersByPath"),
            "mlteams.activity.ActivityMonitorHandler", Set.of("DescribeDomain", "GetParametersByPath",
                    "DescribeLogStreams"),
            // the plan: each plan step primes with its apply twin's reads
            "mlteams.trail.PlanTrailHandler", Set.of("GetTrail", "GetEventSelectors", "GetTrailStatus"),
            "mlteams.logs.PlanTeamLogsHandler", Set.of("DescribeLogGroups", "DescribeLogStreams"),
            "mlteams.monitoring.PlanTeamMonitoringHandler",
                    Set.of("DescribeMetricFilters", "DescribeAlarms", "GetDashboard", "DescribeQueryDefinitions"),
            "mlteams.domain.PlanDomainHandler", Set.of("ListDomains", "DescribeDomain", "ListUserProfiles",
                    "ListSpaces", "ListApps"),
            "mlteams.publish.PlanOutputsHandler", Set.of("GetParametersByPath"));
    /** Where calls made outside any handler's hook are filed; there must be none. */
    private static final String NO_HANDLER = "(no handler)";

    private static TemplatePolicies template;
    /** The handler class of every function of template.yaml: the handlers primed. */
    private static List<String> handlers;

    private final MotoServer moto = MotoServer.shared();
    private final ClientSettings settings = ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1);
    private Map<String, String> env;
    private MotoGaps gaps;
    private Clients clients;

    @TempDir
    Path dir;

    @BeforeAll
    static void readTheTemplate() {
        template = TemplatePolicies.load();
        handlers = template.ofType("AWS::Serverless::Function").stream().map(template::handlerClass).toList();
    }

    @BeforeEach
    void deployTheStackIntoAnEmptyAccount() {
        moto.reset();
        env = LocalStack.deploy(settings);
        // Onboarding's monitoring step and priming (ListApps, ListSpaces, DescribeQueryDefinitions)
        // need moto's gaps filled.
        gaps = MotoGaps.inFrontOf(moto.endpoint());
        clients = Clients.connect(ClientSettings.emulator(gaps.endpoint(), Region.US_EAST_1));
    }

    @AfterEach
    void close() {
        clients.close();
        gaps.close();
    }

    @Test
    void primingBeforeAnyOnboardingOnlyReadsAndChangesNothing() throws Exception {
        Map<String, Object> before = account();

        Priming priming = prime(gaps.endpoint());

        assertReadOnlyAndComplete(priming);
        assertEquals(before, account());
    }

    @Test
    void primingWithATeamOnboardedOnlyReadsAndChangesNothing() throws Exception {
        try (LocalWorkflow workflow = new LocalWorkflow(clients, env, System.err,
                LocalWorkflow.pauses(0, 0))) {
            Execution execution = workflow.onboard(Events.read("team-onboarded.json"), event -> { });
            assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
        }
        Map<String, Object> before = account();

        Priming priming = prime(gaps.endpoint());

        assertReadOnlyAndComplete(priming);
        assertEquals(before, account());
    }

    @Test
    void everyHandlerInTheTemplateIsPrimed() {
        assertEquals(handlers.stream().sorted().toList(), EXPECTED_OPERATIONS.keySet().stream().sorted().toList());
    }

    @Test
    void primingWithAwsUnreachableStillLetsTheSnapshotBeTaken() throws Exception {
        Priming priming = prime(URI.create("http://127.0.0.1:" + closedPort()));

        assertReadOnlyAndComplete(priming);
        assertTrue(priming.log().contains("answered SdkClientException"), priming.log());
    }

    private void assertReadOnlyAndComplete(Priming priming) {
        assertEquals(0, priming.exitCode(), priming.log());
        assertTrue(priming.log().lines().anyMatch(("registered " + handlers.size())::equals), priming.log());
        assertTrue(priming.log().contains("checkpointRestore returned"), priming.log());
        for (String handler : handlers) {
            String name = handler.substring(handler.lastIndexOf('.') + 1);
            assertTrue(priming.log().contains("SnapStart priming of " + name + " done"), name + ": " + priming.log());
        }
        assertFalse(priming.calls().isEmpty(), "priming made no SDK call, so it warmed no SDK path");
        priming.calls().forEach((handler, calls) -> calls.forEach(call -> assertTrue(
                OperationRecorder.isRead(call.operation()), handler + " primed with a call that is not a read: " + call)));
        assertEquals(Set.of(), priming.calls().keySet().stream().filter(h -> !handlers.contains(h))
                .collect(Collectors.toSet()), "calls made outside the handlers' hooks");
        DeployedStack stack = DeployedStack.load();
        Map<String, String> renames = stack.renamesFrom(env);
        List<IamCase> requests = new ArrayList<>();
        for (String handler : handlers) {
            List<Call> calls = priming.calls().getOrDefault(handler, List.of());
            assertEquals(EXPECTED_OPERATIONS.get(handler), calls.stream().map(Call::operation).collect(Collectors.toSet()),
                    handler + "'s priming calls");
            String function = template.functionWithHandler(handler);
            calls.forEach(call -> call.authorizations().forEach(a -> requests.add(a.renamed(renames)
                    .byFunction(stack, function))));
        }
        // Each priming request, with its resource ARN, as the function's deployed role would be asked for it.
        assertFalse(requests.isEmpty(), "no priming request to evaluate");
        assertEquals(List.of(), IamSimulator.evaluate(requests).stream().map(IamSimulator.Decision::whyNotAllowed)
                .filter(java.util.Objects::nonNull).toList(), "priming requests the functions' roles would be refused");
    }

    /** Every handler built by its Lambda constructor in a fresh JVM, then the registered hooks run. */
    private Priming prime(URI endpoint) throws IOException, InterruptedException {
        Path interceptors = dir.resolve("interceptors");
        Path file = interceptors.resolve("software/amazon/awssdk/global/handlers/execution.interceptors");
        Files.createDirectories(file.getParent());
        Files.writeString(file, RecordingInterceptor.class.getName() + "\n");
        Path record = dir.resolve("operations.txt");
        Files.deleteIfExists(record);
        Path log = dir.resolve("priming.log");
        String classpath = interceptors + java.io.File.pathSeparator
                + System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.crac.Core.Compat=mlteams.local.peers.crac", "-Dmlteams.sdk.record=" + record,
                "-cp", classpath, PrimingProbe.class.getName()));
        command.addAll(handlers);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> childEnv = builder.environment();
        childEnv.keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("JAVA_TOOL_OPTIONS"));
        childEnv.putAll(env);
        childEnv.put("AWS_REGION", "us-east-1");
        childEnv.put("AWS_ACCESS_KEY_ID", "testing");
        childEnv.put("AWS_SECRET_ACCESS_KEY", "testing");
        childEnv.put("AWS_ENDPOINT_URL", endpoint.toString());
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("priming did not finish within 3 minutes: " + Files.readString(log));
        }
        Map<String, List<Call>> calls = new TreeMap<>();
        String handler = NO_HANDLER;
        for (String line : Files.exists(record) ? Files.readAllLines(record) : List.<String>of()) {
            if (line.startsWith(RecordingInterceptor.HANDLER_MARK)) {
                handler = line.substring(RecordingInterceptor.HANDLER_MARK.length());
            } else {
                String[] callAndAuthorizations = line.split("\t", 2);
                String[] serviceAndOperation = callAndAuthorizations[0].split(" ", 2);
                List<IamRequests.Authorization> authorizations = new ArrayList<>();
                for (Object a : (List<?>) Json.readMap("{\"a\":" + callAndAuthorizations[1] + "}").get("a")) {
                    Map<?, ?> m = (Map<?, ?>) a;
                    @SuppressWarnings("unchecked")
                    Map<String, Object> context = (Map<String, Object>) m.get("context");
                    authorizations.add(new IamRequests.Authorization((String) m.get("action"), (String) m.get("resource"),
                            context));
                }
                calls.computeIfAbsent(handler, h -> new ArrayList<>())
                        .add(new Call(serviceAndOperation[0], serviceAndOperation[1], authorizations));
            }
        }
        return new Priming(process.exitValue(), Files.readString(log), calls);
    }

    /** What the forked JVM printed, and the SDK calls each handler's hook made (by handler class). */
    private record Priming(int exitCode, String log, Map<String, List<Call>> calls) {
    }

    private record Call(String service, String operation, List<IamRequests.Authorization> authorizations) {
    }

    private static Map<String, Set<String>> expected(Object... handlersAndOperations) {
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        for (int i = 0; i < handlersAndOperations.length; i += 2) {
            @SuppressWarnings("unchecked")
            Set<String> operations = (Set<String>) handlersAndOperations[i + 1];
            expected.put((String) handlersAndOperations[i], operations);
        }
        return Collections.unmodifiableMap(expected);
    }

    /**
     * What priming could change: every trail, log group, log stream (with its events), metric filter, alarm,
     * dashboard, domain, parameter with versions, and team claim. (Saved queries live only in MotoGaps, which keeps none.)
     */
    private Map<String, Object> account() {
        Map<String, Object> state = new TreeMap<>();
        clients.cloudTrail().describeTrails().trailList().forEach(t -> state.put("trail " + t.name(),
                t.toString() + " logging=" + clients.cloudTrail().getTrailStatus(r -> r.name(t.name())).isLogging()));
        clients.logs().describeLogGroups(r -> { }).logGroups().forEach(g -> {
            state.put("group " + g.logGroupName(), g.retentionInDays() + " " + g.kmsKeyId());
            clients.logs().describeLogStreams(r -> r.logGroupName(g.logGroupName())).logStreams()
                    .forEach(s -> state.put("stream " + g.logGroupName() + " " + s.logStreamName(), s.arn() + " "
                            + clients.logs().getLogEvents(r -> r.logGroupName(g.logGroupName())
                                    .logStreamName(s.logStreamName()).startFromHead(true)).events()));
            clients.logs().describeMetricFilters(r -> r.logGroupName(g.logGroupName())).metricFilters()
                    .forEach(f -> state.put("metric filter " + f.filterName(), f.toString()));
        });
        clients.cloudWatch().describeAlarms(r -> { }).metricAlarms()
                .forEach(a -> state.put("alarm " + a.alarmName(), a.toString()));
        clients.cloudWatch().listDashboards(r -> { }).dashboardEntries().forEach(d -> state.put("dashboard "
                + d.dashboardName(), clients.cloudWatch().getDashboard(r -> r.dashboardName(d.dashboardName()))
                .dashboardBody()));
        clients.sageMaker().listDomains(r -> { }).domains().forEach(d -> state.put("domain " + d.domainName(),
                d.domainId() + " " + d.statusAsString()));
        clients.ssm().getParametersByPathPaginator(r -> r.path("/").recursive(true)).stream()
                .flatMap(page -> page.parameters().stream())
                .forEach(p -> state.put("parameter " + p.name(), p.value() + " v" + p.version()));
        clients.dynamoDb().scan(r -> r.tableName(env.get("TEAM_CLAIMS_TABLE")).consistentRead(true)).items()
                .forEach(item -> state.put("claim " + item.get(TeamClaims.TEAM).s(), item.toString()));
        return state;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
