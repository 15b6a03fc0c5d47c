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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import mlteams.common.ClientSettings;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/**
 * SnapStart priming, run the way Lambda runs it: a fresh JVM with the function's environment builds every handler
 * with its no-arg constructor, then the CRaC hooks those constructors registered run as before a snapshot. An SDK
 * interceptor records every call the hooks make. Priming must make SDK calls (or it warms nothing), only
 * read-only ones, change nothing in the account, and never fail the snapshot, even with AWS unreachable.
 */
class SnapStartPrimingTest {

    private static final List<String> HANDLERS = List.of("mlteams.validate.ValidateRequestHandler",
            "mlteams.trail.EnsureTrailHandler", "mlteams.logs.EnsureLogGroupHandler",
            "mlteams.logs.EnsureLogStreamHandler", "mlteams.domain.EnsureDomainHandler",
            "mlteams.domain.CheckDomainHandler", "mlteams.publish.PublishOutputsHandler");
    /** What the hooks call, one step at a time; every one is a read. */
    private static final Set<String> EXPECTED_OPERATIONS = Set.of("GetTrail", "GetEventSelectors", "GetTrailStatus",
            "DescribeLogGroups", "DescribeLogStreams", "ListDomains", "DescribeDomain", "GetParametersByPath");
    private static final Pattern READ_ONLY = Pattern.compile("(Get|Describe|List)[A-Za-z]+");

    private final MotoServer moto = MotoServer.shared();
    private final ClientSettings settings = ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1);
    private Map<String, String> env;
    private MotoGaps gaps;
    private Clients clients;

    @TempDir
    Path dir;

    @BeforeEach
    void deployTheStackIntoAnEmptyAccount() {
        moto.reset();
        env = LocalStack.deploy(settings);
        gaps = MotoGaps.inFrontOf(moto.endpoint()); // onboarding's monitoring step needs moto's gaps filled
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

        Priming priming = prime(moto.endpoint());

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

        Priming priming = prime(moto.endpoint());

        assertReadOnlyAndComplete(priming);
        assertEquals(before, account());
    }

    @Test
    void primingWithAwsUnreachableStillLetsTheSnapshotBeTaken() throws Exception {
        Priming priming = prime(URI.create("http://127.0.0.1:" + closedPort()));

        assertReadOnlyAndComplete(priming);
        assertTrue(priming.log().contains("answered SdkClientException"), priming.log());
    }

    private static void assertReadOnlyAndComplete(Priming priming) {
        assertEquals(0, priming.exitCode(), priming.log());
        assertTrue(priming.log().contains("registered " + HANDLERS.size()), priming.log());
        assertTrue(priming.log().contains("checkpointRestore returned"), priming.log());
        for (String handler : HANDLERS) {
            String name = handler.substring(handler.lastIndexOf('.') + 1);
            assertTrue(priming.log().contains("SnapStart priming of " + name + " done"), name + ": " + priming.log());
        }
        assertFalse(priming.operations().isEmpty(), "priming made no SDK call, so it warmed no SDK path");
        for (String operation : priming.operations()) {
            assertTrue(READ_ONLY.matcher(operation).matches(), "priming made a call that is not a read: " + operation);
        }
        assertEquals(EXPECTED_OPERATIONS, new TreeSet<>(priming.operations()));
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
        command.addAll(HANDLERS);
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
        List<String> operations = Files.exists(record)
                ? Files.readAllLines(record).stream().map(line -> line.substring(line.indexOf(' ') + 1)).toList()
                : List.of();
        return new Priming(process.exitValue(), Files.readString(log), operations);
    }

    private record Priming(int exitCode, String log, List<String> operations) {
    }

    /** What priming could change: every trail, log group, log stream, domain and parameter, with versions. */
    private Map<String, Object> account() {
        Map<String, Object> state = new TreeMap<>();
        clients.cloudTrail().describeTrails().trailList().forEach(t -> state.put("trail " + t.name(),
                t.toString() + " logging=" + clients.cloudTrail().getTrailStatus(r -> r.name(t.name())).isLogging()));
        clients.logs().describeLogGroups(r -> { }).logGroups().forEach(g -> {
            state.put("group " + g.logGroupName(), g.retentionInDays() + " " + g.kmsKeyId());
            clients.logs().describeLogStreams(r -> r.logGroupName(g.logGroupName())).logStreams()
                    .forEach(s -> state.put("stream " + g.logGroupName() + " " + s.logStreamName(), s.arn()));
        });
        clients.sageMaker().listDomains(r -> { }).domains().forEach(d -> state.put("domain " + d.domainName(),
                d.domainId() + " " + d.statusAsString()));
        clients.ssm().getParametersByPathPaginator(r -> r.path("/").recursive(true)).stream()
                .flatMap(page -> page.parameters().stream())
                .forEach(p -> state.put("parameter " + p.name(), p.value() + " v" + p.version()));
        return state;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
