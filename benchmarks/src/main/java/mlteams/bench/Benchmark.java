package mlteams.bench;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import mlteams.activity.ActivityMonitorHandler;
import mlteams.activity.ActivitySettings;
import mlteams.bench.Runs.Sample;
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
import mlteams.local.MotoGaps;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalContext;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.MotoServer;
import mlteams.local.peers.RepoPaths;
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
import mlteams.record.TeamClaims;
import mlteams.trail.EnsureTrailHandler;
import mlteams.trail.TrailSettings;
import mlteams.validate.PlatformDefaults;
import mlteams.validate.ValidateOffboardRequestHandler;
import mlteams.validate.ValidateRequestHandler;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.model.AuthMode;

/**
 * scripts/benchmark.sh: every figure of docs/performance.md, measured in one run against a moto server of its own.
 *
 * <p>Per function (every handler template.yaml deploys: both workflows' steps and the activity monitor),
 * interleaved round by round (the order rotates each round), each a fresh JVM whose wall time is measured from fork
 * to exit:
 * <ul>
 *   <li><b>cold</b>: the function's exploded function.zip plus a tiny launcher, the handler built by its no-arg
 *       constructor from the Lambda environment, one invoke, with Lambda's java21 JVM flags;</li>
 *   <li><b>naive</b>: the same handler code with clients from {@code XxxClient.builder().build()}, from the naive
 *       fat jar (every function module, every SDK service module they use, Apache and Netty clients), no JVM
 *       flags;</li>
 *   <li><b>floor</b>: hello world;</li>
 *   <li><b>AppCDS</b> and <b>AOT cache</b> (JDK 25): the cold variant with a per-function archive from a training
 *       run (every function, or those named by {@code --archives});</li>
 *   <li><b>primed</b>: the cold variant, then the SnapStart priming hooks, then one invoke, timed in-process;</li>
 *   <li>EnsureTrail only: the URL-connection and the AWS CRT HTTP client, otherwise built alike.</li>
 * </ul>
 * Every measured invoke starts from the same account state ({@link Inputs}). Then warm invokes, artifact sizes, and
 * transitions and API calls per onboarding and offboarding ({@link Onboarding}).
 */
public final class Benchmark {

    /**
     * One handler as template.yaml deploys it.
     *
     * @param workflow onboarding, offboarding or activity (ClaimTeam and RecordOutcome serve both workflows)
     * @param gaps whether it reaches AWS through {@link MotoGaps}: it calls an operation moto lacks
     * @param steadyState what each measured invoke does, and what keeps it the same run after run
     */
    record Function(String name, String handlerClass, String module, String workflow, boolean gaps, String steadyState) {
    }

    static final String ONBOARDING = "onboarding";
    static final String OFFBOARDING = "offboarding";
    static final String ACTIVITY = "activity";
    /** The sample team every onboarding-side input names; it stays onboarded, so each step adopts what exists. */
    static final String TEAM = "computer-vision";
    /** A second team, onboarded and offboarded while the inputs are captured: the destructive steps run against it. */
    static final String GONE_TEAM = "offboarded-team";
    /** The execution ClaimTeam and RecordOutcome act for. */
    static final String EXECUTION_ID = "arn:aws:states:us-east-1:123456789012:execution:onboard-team:benchmark";

    static final List<Function> FUNCTIONS = List.of(
            new Function("ValidateRequest", "mlteams.validate.ValidateRequestHandler", "validate-request", ONBOARDING,
                    false, "the sample Team Onboarded event; pure validation, no AWS call"),
            new Function("ClaimTeam", "mlteams.record.ClaimTeamHandler", "team-record", ONBOARDING, false,
                    "claims the sample team for a fixed execution: PutItem of the claim (conditional), then status and"
                    + " status-reason. Before each measured process the benchmark deletes that claim; in the warm run"
                    + " RecordOutcome releases it after each invoke (untimed), so every invoke is a first claim"),
            new Function("EnsureTrail", "mlteams.trail.EnsureTrailHandler", "activity-trail", ONBOARDING, false,
                    "the validated request; the shared trail exists and matches, so it is adopted (three reads)"),
            new Function("EnsureLogGroup", "mlteams.logs.EnsureLogGroupHandler", "team-logs", ONBOARDING, false,
                    "the team's log group exists and matches: adopted (two reads)"),
            new Function("EnsureLogStream", "mlteams.logs.EnsureLogStreamHandler", "team-logs", ONBOARDING, false,
                    "the team's stream exists: adopted (one read)"),
            new Function("EnsureTeamMonitoring", "mlteams.monitoring.EnsureTeamMonitoringHandler", "team-monitoring",
                    ONBOARDING, true, "the team's metric filters, alarms and dashboard exist and match (three reads, no"
                    + " write). Saved queries go through MotoGaps, which remembers none, so both are written again"
                    + " each time (DescribeQueryDefinitions, 2 PutQueryDefinition): the same six calls every run"),
            new Function("EnsureDomain", "mlteams.domain.EnsureDomainHandler", "studio-domain", ONBOARDING, false,
                    "the team's domain exists and matches: adopted (ListDomains, DescribeDomain)"),
            new Function("CheckDomain", "mlteams.domain.CheckDomainHandler", "studio-domain", ONBOARDING, false,
                    "EnsureDomain's output for the new domain, one poll (DescribeDomain); moto's domain is InService"),
            new Function("PublishOutputs", "mlteams.publish.PublishOutputsHandler", "publish-outputs", ONBOARDING, false,
                    "the team's parameters hold these values already: GetParametersByPath, nothing written"),
            new Function("RecordOutcome", "mlteams.record.RecordOutcomeHandler", "team-record", ONBOARDING, false,
                    "records ONBOARDED for the fixed execution and releases its claim: status, status-reason, then"
                    + " DeleteItem of the claim (conditional). Before each measured process the benchmark puts the claim"
                    + " back; in the warm run ClaimTeam re-claims after each invoke (untimed)"),
            new Function("ValidateOffboardRequest", "mlteams.validate.ValidateOffboardRequestHandler", "validate-request",
                    OFFBOARDING, false, "the sample Team Offboarded event; pure validation, no AWS call"),
            new Function("FindDomain", "mlteams.domain.FindDomainHandler", "studio-domain", OFFBOARDING, false,
                    "the sample team, onboarded: ListDomains finds its domain (reads only)"),
            new Function("DeleteApps", "mlteams.domain.DeleteAppsHandler", "studio-domain", OFFBOARDING, true,
                    "FindDomain's output for the sample team's domain, which has no apps: one ListApps (answered by"
                    + " MotoGaps, as moto lacks it), nothing to delete"),
            new Function("DeleteSpaces", "mlteams.domain.DeleteSpacesHandler", "studio-domain", OFFBOARDING, true,
                    "the same domain, no spaces: one ListSpaces (MotoGaps), nothing to delete"),
            new Function("DeleteUserProfiles", "mlteams.domain.DeleteUserProfilesHandler", "studio-domain", OFFBOARDING,
                    false, "the same domain, no user profiles (the seeding skips the membership step): one"
                    + " ListUserProfiles (the project's fill in moto), nothing to delete"),
            new Function("DeleteDomain", "mlteams.domain.DeleteDomainHandler", "studio-domain", OFFBOARDING, false,
                    "the last sweep of the second team's real offboarding: its domain is gone, so one ListDomains and"
                    + " done (deleting the sample team's domain would change every other run)"),
            new Function("DeleteTeamMonitoring", "mlteams.monitoring.DeleteTeamMonitoringHandler", "team-monitoring",
                    OFFBOARDING, true, "the second team, already offboarded: four DeleteMetricFilter and"
                    + " DeleteDashboards answered not found, DeleteAlarms, DescribeQueryDefinitions (none)"),
            new Function("DeleteTeamLogGroup", "mlteams.logs.DeleteTeamLogGroupHandler", "team-logs", OFFBOARDING, false,
                    "the second team; the stack's default (RetainTeamLogGroupOnOffboarding true: audit data) keeps"
                    + " the group, so the step makes no AWS call"),
            new Function("DeleteTeamParameters", "mlteams.record.DeleteTeamParametersHandler", "team-record",
                    OFFBOARDING, false, "the second team, already offboarded: GetParametersByPath finds nothing to"
                    + " delete"),
            new Function("ActivityMonitor", "mlteams.activity.ActivityMonitorHandler", "activity-monitor", ACTIVITY,
                    false, "one SQS batch of the well-formed records of events/cloudtrail/corpus.json, their domains"
                    + " created in moto: a DescribeDomain per domain id (cached in the handler, so only the cold"
                    + " invoke makes them), then one PutLogEvents per team stream and the unattributed stream, which"
                    + " only append"));

    static Function function(String name) {
        return FUNCTIONS.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    /** What Lambda's java21 runtime runs the JVM with (C1 only, serial GC). */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    static final String LAUNCH = "mlteams.bench.launch.Launch";

    private final Path repo = RepoPaths.root();
    private final Path work = repo.resolve("benchmarks/target/bench");
    private final int runs;
    private final int warmups;
    private final int measured;
    private final Path out;
    /** The functions measured with AppCDS and an AOT cache (--archives); every function by default. */
    private final List<Function> archived;
    private final boolean aot = Runtime.version().feature() >= 25;

    private final Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
    private final Map<String, Sample> warm = new LinkedHashMap<>();
    /** The shipped studio-domain zip's shrunk SDK jar, or null. */
    private String shippedShrunkJar;
    private int activityBatchSize;
    /** By whether the function needs MotoGaps: the runner whose children reach AWS through it, or moto directly. */
    private final Map<Boolean, Runs> runners = new LinkedHashMap<>();
    private Classpaths classpaths;

    private Benchmark(int runs, int warmups, int measured, Path out, List<Function> archived) {
        this.runs = runs;
        this.warmups = warmups;
        this.measured = measured;
        this.out = out;
        this.archived = archived;
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        int warmups = 50;
        int measured = 30;
        Path out = null;
        List<Function> archived = FUNCTIONS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warm" -> {
                    String[] wm = args[++i].split(":");
                    warmups = Integer.parseInt(wm[0]);
                    measured = Integer.parseInt(wm[1]);
                }
                case "--out" -> out = Path.of(args[++i]);
                case "--archives" -> {
                    String which = args[++i];
                    archived = which.equals("all") ? FUNCTIONS : which.equals("none") ? List.of()
                            : Arrays.stream(which.split(",")).map(Benchmark::function).toList();
                }
                default -> {
                    System.err.println("usage: scripts/benchmark.sh [--runs N (default 5)] [--warm WARMUPS:MEASURED"
                            + " (default 50:30)] [--out FILE (default docs/performance.md)] [--archives all|none|"
                            + "FUNCTION,FUNCTION... (AppCDS and AOT cache variants; default all)]");
                    System.exit(2);
                }
            }
        }
        Benchmark benchmark = new Benchmark(runs, warmups, measured,
                out != null ? out : RepoPaths.root().resolve("docs/performance.md"), archived);
        benchmark.run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        deleteTree(work);
        Files.createDirectories(work);
        try (MotoServer moto = MotoServer.start(); MotoGaps gaps = MotoGaps.inFrontOf(moto.endpoint())) {
            ClientSettings settings = ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1);
            Map<String, String> functionEnv = LocalStack.deploy(settings);
            try (Clients clients = Clients.connect(ClientSettings.emulator(gaps.endpoint(), Region.US_EAST_1))) {
                measure(clients, functionEnv, moto, gaps);
            }
            say("onboarding and offboarding executions: fresh account, repeat, offboarding twice, 10-minute domain");
            Onboarding onboarding = new Onboarding(moto, settings);
            Onboarding.Scenarios scenarios = onboarding.scenarios();
            Onboarding.Polling polling = onboarding.tenMinuteCreation();

            Report report = new Report(this, runners.get(false), classpaths, scenarios, polling,
                    (System.nanoTime() - started) / 1e9);
            String markdown = report.markdown();
            System.out.println();
            System.out.println(report.console());
            Files.createDirectories(out.getParent());
            Files.writeString(out, markdown);
            say("wrote %s in %.0f s", repo.relativize(out.toAbsolutePath()), (System.nanoTime() - started) / 1e9);
        }
    }

    private Runs runner(Function f) {
        return runners.get(f.gaps());
    }

    private void measure(Clients clients, Map<String, String> functionEnv, MotoServer moto, MotoGaps gaps)
            throws Exception {
        Inputs captured = seedAndCaptureInputs(clients, functionEnv);
        Map<String, Path> inputs = captured.files();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        runners.put(false, new Runs(java, childEnv(functionEnv, moto.endpoint().toString()), work));
        runners.put(true, new Runs(java, childEnv(functionEnv, gaps.endpoint().toString()), work));
        Runs runner = runners.get(false);

        Classpaths cp = prepareClasspaths();
        classpaths = cp;
        Path studioZip = functionZip("studio-domain");
        shippedShrunkJar = shrunkJarIn(studioZip);
        say("training AppCDS%s archives (one training invoke per function) for %d of %d functions",
                aot ? " and AOT cache" : "", archived.size(), FUNCTIONS.size());
        Map<String, Path> cds = new LinkedHashMap<>();
        Map<String, Path> aotCaches = new LinkedHashMap<>();
        for (Function f : archived) {
            Path archive = work.resolve(f.name() + ".jsa");
            captured.prepare(f);
            runner(f).runUnmeasured(concat(LAMBDA_FLAGS, List.of("-XX:ArchiveClassesAtExit=" + archive)),
                    cp.jars(f), LAUNCH, List.of("cold", f.handlerClass(), inputs.get(f.name()).toString()));
            cds.put(f.name(), archive);
            if (aot) {
                Path cache = work.resolve(f.name() + ".aot");
                captured.prepare(f);
                runner(f).runUnmeasured(concat(LAMBDA_FLAGS, List.of("-XX:AOTCacheOutput=" + cache)),
                        cp.jars(f), LAUNCH, List.of("cold", f.handlerClass(), inputs.get(f.name()).toString()));
                aotCaches.put(f.name(), cache);
            }
        }

        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("cold", (f, in) -> runner(f).run(LAMBDA_FLAGS, cp.exploded(f), LAUNCH, List.of("cold", f.handlerClass(), in)));
        variants.put("naive", (f, in) -> runner(f).run(List.of(), cp.naive(), LAUNCH, List.of("naive", f.handlerClass(), in)));
        variants.put("floor", (f, in) -> runner.run(List.of(), cp.launcher().toString(), "mlteams.bench.launch.Hello", List.of()));
        Map<String, Variant> archiveVariants = new LinkedHashMap<>();
        archiveVariants.put("appcds", (f, in) -> runner(f).run(concat(LAMBDA_FLAGS, List.of("-XX:SharedArchiveFile=" + cds.get(f.name()))),
                cp.jars(f), LAUNCH, List.of("cold", f.handlerClass(), in)));
        if (aot) {
            archiveVariants.put("aot", (f, in) -> runner(f).run(concat(LAMBDA_FLAGS, List.of("-XX:AOTCache=" + aotCaches.get(f.name()))),
                    cp.jars(f), LAUNCH, List.of("cold", f.handlerClass(), in)));
        }
        variants.put("primed", (f, in) -> runner(f).run(concat(LAMBDA_FLAGS, List.of("-Dorg.crac.Core.Compat=mlteams.local.peers.crac")),
                cp.exploded(f) + ":" + cp.localPeers(), LAUNCH, List.of("primed", f.handlerClass(), in)));
        Map<String, Variant> trailOnly = new LinkedHashMap<>();
        trailOnly.put("http-url", (f, in) -> runner(f).run(LAMBDA_FLAGS, cp.exploded(f), LAUNCH, List.of("url", f.handlerClass(), in)));
        trailOnly.put("http-crt", (f, in) -> runner(f).run(LAMBDA_FLAGS, cp.exploded(f) + ":" + cp.crt(), LAUNCH,
                List.of("crt", f.handlerClass(), in)));

        say("one untimed pass (page cache, JDK archive)");
        Function trail = function("EnsureTrail");
        variants.get("floor").run(trail, "");
        variants.get("cold").run(trail, inputs.get(trail.name()).toString());
        variants.get("naive").run(trail, inputs.get(trail.name()).toString());

        for (int round = 0; round < runs; round++) {
            say("round %d of %d", round + 1, runs);
            for (int i = 0; i < FUNCTIONS.size(); i++) {
                Function f = FUNCTIONS.get((i + round) % FUNCTIONS.size());
                Map<String, Variant> these = new LinkedHashMap<>(variants);
                if (archived.contains(f)) {
                    these.putAll(archiveVariants);
                }
                if (f.name().equals("EnsureTrail")) {
                    these.putAll(trailOnly);
                }
                List<String> order = new ArrayList<>(these.keySet());
                Collections.rotate(order, round + i);
                for (String key : order) {
                    captured.prepare(f);
                    Sample s = these.get(key).run(f, inputs.get(f.name()).toString());
                    samples.computeIfAbsent(f.name(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                }
            }
        }

        say("warm invokes: %d warm-ups, then %d measured, per function", warmups, measured);
        for (Function f : FUNCTIONS) {
            List<String> args = new ArrayList<>(List.of("warm", f.handlerClass(), inputs.get(f.name()).toString(),
                    Integer.toString(warmups), Integer.toString(measured)));
            Function reset = captured.warmReset().get(f.name());
            if (reset != null) {
                args.addAll(List.of(reset.handlerClass(), inputs.get(reset.name()).toString()));
            }
            captured.prepare(f);
            warm.put(f.name(), runner(f).run(LAMBDA_FLAGS, cp.exploded(f) + ":" + cp.probe(), LAUNCH, args));
        }
    }

    /** The zip's shrunk SDK jar (a lib/*-shrunk.jar entry), or null. */
    private static String shrunkJarIn(Path zip) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (entry.getName().startsWith("lib/") && entry.getName().endsWith("-shrunk.jar")) {
                    return entry.getName();
                }
            }
        }
        return null;
    }

    @FunctionalInterface
    interface Variant {
        Sample run(Function function, String inputFile);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    // ------------------------------------------------------------------------------------------------- inputs

    /**
     * The captured inputs, one file per function, and what keeps the two steps that change state identical run
     * after run: {@link #prepare} before every measured or training process, a reset handler between warm invokes.
     */
    record Inputs(Map<String, Path> files, Map<String, Runnable> preparations, Map<String, Function> warmReset) {

        void prepare(Function f) {
            Runnable preparation = preparations.get(f.name());
            if (preparation != null) {
                preparation.run();
            }
        }
    }

    /**
     * Runs each workflow's steps once in-process with the real handlers and keeps the input each step received:
     * the sample event, the validated request, the domain state, the parallel results, the sweep states. The
     * account then holds the sample team (so every onboarding step adopts what exists, run after run), and a
     * second team that was onboarded and offboarded (so the destructive offboarding steps find it already gone).
     */
    private Inputs seedAndCaptureInputs(Clients clients, Map<String, String> env) throws Exception {
        Path dir = Files.createDirectories(work.resolve("inputs"));
        Map<String, String> byFunction = new LinkedHashMap<>();
        String prefix = Env.optional(env, "PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX);
        RecordSettings record = RecordSettings.from(env);

        // Onboarding of the sample team, step by step.
        String event = Events.read("team-onboarded.json");
        String validated = LocalLambda.call(new ValidateRequestHandler(PlatformDefaults.from(env)), "ValidateRequest", event);
        Map<String, Object> requestMap = asMap(Json.readMap(validated).get("request"));
        String request = Json.write(requestMap);
        String claim = Json.write(Map.of("teamName", TEAM, "executionId", EXECUTION_ID, "purpose", "ONBOARDING"));
        LocalLambda.call(new ClaimTeamHandler(clients.ssm(), clients.dynamoDb(), record), "ClaimTeam", claim);
        String trail = LocalLambda.call(new EnsureTrailHandler(clients.cloudTrail(), TrailSettings.from(env)), "EnsureTrail", request);
        String group = LocalLambda.call(new EnsureLogGroupHandler(clients.logs(), LogsSettings.from(env)), "EnsureLogGroup", request);
        String stream = LocalLambda.call(new EnsureLogStreamHandler(clients.logs(), LogsSettings.from(env)), "EnsureLogStream", request);
        String monitoring = LocalLambda.call(new EnsureTeamMonitoringHandler(clients.logs(), clients.cloudWatch(),
                MonitoringSettings.from(env)), "EnsureTeamMonitoring", request);
        String domain = LocalLambda.call(new EnsureDomainHandler(clients.sageMaker(), DomainSettings.from(env)), "EnsureDomain", request);
        String checked = LocalLambda.call(new CheckDomainHandler(clients.sageMaker(), DomainSettings.from(env)), "CheckDomain", domain);
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("trail", Json.readMap(trail));
        resources.put("logGroup", Json.readMap(group));
        resources.put("logStream", Json.readMap(stream));
        resources.put("monitoring", Json.readMap(monitoring));
        resources.put("domain", Json.readMap(checked));
        Map<String, Object> publish = new LinkedHashMap<>(Json.readMap(validated));
        publish.put("claim", Map.of("claimed", true, "heldBy", EXECUTION_ID));
        publish.put("resources", resources);
        String publishInput = Json.write(publish);
        LocalLambda.call(new PublishOutputsHandler(clients.ssm(), prefix), "PublishOutputs", publishInput);
        String outcome = Json.write(Map.of("teamName", TEAM, "executionId", EXECUTION_ID, "outcome", "ONBOARDED"));
        LocalLambda.call(new RecordOutcomeHandler(clients.ssm(), clients.dynamoDb(), record), "RecordOutcome", outcome);
        byFunction.putAll(Map.of("ValidateRequest", event, "ClaimTeam", claim, "EnsureTrail", request,
                "EnsureLogGroup", request, "EnsureLogStream", request, "EnsureTeamMonitoring", request,
                "EnsureDomain", request, "CheckDomain", domain, "PublishOutputs", publishInput, "RecordOutcome", outcome));

        // Offboarding steps that only read, against the sample team (its domain has no apps, spaces or profiles).
        String offboardEvent = Events.read("team-offboarded.json");
        TeardownSettings teardown = TeardownSettings.from(env);
        String offboardRequest = Json.write(asMap(Json.readMap(LocalLambda.call(new ValidateOffboardRequestHandler(),
                "ValidateOffboardRequest", offboardEvent)).get("request")));
        String found = LocalLambda.call(new FindDomainHandler(clients.sageMaker(), teardown), "FindDomain", offboardRequest);
        require(Boolean.TRUE.equals(Json.readMap(found).get("found")), "FindDomain did not find the sample team's domain");
        String appsSwept = LocalLambda.call(new DeleteAppsHandler(clients.sageMaker(), teardown), "DeleteApps", found);
        String spacesSwept = LocalLambda.call(new DeleteSpacesHandler(clients.sageMaker(), teardown), "DeleteSpaces", appsSwept);
        byFunction.putAll(Map.of("ValidateOffboardRequest", offboardEvent, "FindDomain", offboardRequest,
                "DeleteApps", found, "DeleteSpaces", appsSwept, "DeleteUserProfiles", spacesSwept));

        // A second team, onboarded (the parts offboarding removes) and then offboarded for real.
        Map<String, Object> goneMap = new LinkedHashMap<>(requestMap);
        goneMap.put("teamName", GONE_TEAM);
        String gone = Json.write(goneMap);
        LocalLambda.call(new EnsureLogGroupHandler(clients.logs(), LogsSettings.from(env)), "EnsureLogGroup", gone);
        LocalLambda.call(new EnsureTeamMonitoringHandler(clients.logs(), clients.cloudWatch(),
                MonitoringSettings.from(env)), "EnsureTeamMonitoring", gone);
        LocalLambda.call(new EnsureDomainHandler(clients.sageMaker(), DomainSettings.from(env)), "EnsureDomain", gone);
        LocalLambda.call(new ClaimTeamHandler(clients.ssm(), clients.dynamoDb(), record), "ClaimTeam", Json.write(Map.of("teamName", GONE_TEAM,
                "executionId", EXECUTION_ID, "purpose", "OFFBOARDING")));
        String goneRequest = Json.write(Map.of("teamName", GONE_TEAM));
        String sweep = LocalLambda.call(new FindDomainHandler(clients.sageMaker(), teardown), "FindDomain", goneRequest);
        sweep = LocalLambda.call(new DeleteAppsHandler(clients.sageMaker(), teardown), "DeleteApps", sweep);
        sweep = LocalLambda.call(new DeleteSpacesHandler(clients.sageMaker(), teardown), "DeleteSpaces", sweep);
        sweep = LocalLambda.call(new DeleteUserProfilesHandler(clients.sageMaker(), teardown), "DeleteUserProfiles", sweep);
        sweep = LocalLambda.call(new DeleteDomainHandler(clients.sageMaker(), teardown), "DeleteDomain", sweep);
        String lastSweep = sweep;
        sweep = LocalLambda.call(new DeleteDomainHandler(clients.sageMaker(), teardown), "DeleteDomain", sweep);
        require(((Number) Json.readMap(sweep).get("remaining")).intValue() == 0,
                "the second team's domain is still there after DeleteDomain: " + sweep);
        LocalLambda.call(new DeleteTeamMonitoringHandler(clients.logs(), clients.cloudWatch(),
                MonitoringSettings.from(env)), "DeleteTeamMonitoring", goneRequest);
        LocalLambda.call(new DeleteTeamLogGroupHandler(clients.logs(), LogsSettings.from(env)), "DeleteTeamLogGroup", goneRequest);
        LocalLambda.call(new DeleteTeamParametersHandler(clients.ssm(), record), "DeleteTeamParameters", goneRequest);
        LocalLambda.call(new RecordOutcomeHandler(clients.ssm(), clients.dynamoDb(), record), "RecordOutcome", Json.write(Map.of(
                "teamName", GONE_TEAM, "executionId", EXECUTION_ID, "outcome", "OFFBOARDED")));
        byFunction.putAll(Map.of("DeleteDomain", lastSweep, "DeleteTeamMonitoring", goneRequest,
                "DeleteTeamLogGroup", goneRequest, "DeleteTeamParameters", goneRequest));

        byFunction.put("ActivityMonitor", activityBatch(clients, env, requestMap));

        Map<String, Path> files = new LinkedHashMap<>();
        for (Function f : FUNCTIONS) {
            Path file = dir.resolve(f.name() + ".json");
            Files.writeString(file, Objects.requireNonNull(byFunction.get(f.name()), f.name()));
            files.put(f.name(), file);
        }
        // ClaimTeam takes the claim and RecordOutcome releases it: each starts from the state the workflow gives it.
        DynamoDbClient dynamoDb = clients.dynamoDb();
        Map<String, Runnable> preparations = Map.of(
                "ClaimTeam", () -> dynamoDb.deleteItem(r -> r.tableName(record.claimsTable())
                        .key(Map.of(TeamClaims.TEAM, AttributeValue.fromS(TEAM)))),
                "RecordOutcome", () -> dynamoDb.putItem(r -> r.tableName(record.claimsTable()).item(Map.of(
                        TeamClaims.TEAM, AttributeValue.fromS(TEAM),
                        TeamClaims.EXECUTION_ID, AttributeValue.fromS(EXECUTION_ID),
                        TeamClaims.CLAIMED_AT, AttributeValue.fromN(Long.toString(System.currentTimeMillis()))))));
        Map<String, Function> warmReset = Map.of("ClaimTeam", function("RecordOutcome"),
                "RecordOutcome", function("ClaimTeam"));
        return new Inputs(files, preparations, warmReset);
    }

    /**
     * One SQS batch as the activity queue delivers it: each well-formed record of events/cloudtrail/corpus.json in
     * its EventBridge envelope. The corpus's domains exist (the sample team's is the onboarded one; nlp-research
     * gets its domain, log group and stream; the sandbox domain belongs to no team; the deleted one stays unknown),
     * and their placeholder ids are replaced by the real ones.
     */
    private String activityBatch(Clients clients, Map<String, String> env, Map<String, Object> requestMap) throws Exception {
        Map<String, Object> nlp = new LinkedHashMap<>(requestMap);
        nlp.put("teamName", "nlp-research");
        String nlpRequest = Json.write(nlp);
        LocalLambda.call(new EnsureLogGroupHandler(clients.logs(), LogsSettings.from(env)), "EnsureLogGroup", nlpRequest);
        LocalLambda.call(new EnsureLogStreamHandler(clients.logs(), LogsSettings.from(env)), "EnsureLogStream", nlpRequest);
        LocalLambda.call(new EnsureDomainHandler(clients.sageMaker(), DomainSettings.from(env)), "EnsureDomain", nlpRequest);
        clients.sageMaker().createDomain(r -> r.domainName("data-science-sandbox").authMode(AuthMode.IAM)
                .vpcId("vpc-0a1b2c3d4e5f60718").subnetIds("subnet-0a1b2c3d4e5f60718")
                .defaultUserSettings(u -> u.executionRole("arn:aws:iam::123456789012:role/ml-platform-studio-execution")));
        Map<String, String> idsByName = new LinkedHashMap<>();
        clients.sageMaker().listDomainsPaginator(r -> r.maxResults(100)).domains()
                .forEach(d -> idsByName.put(d.domainName(), d.domainId()));
        Map<String, Object> corpus = Json.readMap(Events.read("cloudtrail/corpus.json"));
        Map<String, String> ids = new LinkedHashMap<>();
        asMap(corpus.get("domains")).forEach((placeholder, about) -> {
            Object name = asMap(about).get("name");
            if (name != null) {
                ids.put(placeholder, Objects.requireNonNull(idsByName.get(name), "no domain " + name));
            }
        });
        List<Map<String, Object>> records = new ArrayList<>();
        for (Object c : (List<?>) corpus.get("cases")) {
            Map<String, Object> theCase = asMap(c);
            if (!theCase.containsKey("record") || theCase.containsKey("padTo")
                    || asMap(theCase.get("expected")).containsKey("malformed")) {
                continue;
            }
            String record = Json.write(theCase.get("record"));
            for (Map.Entry<String, String> id : ids.entrySet()) {
                record = record.replace(id.getKey(), id.getValue());
            }
            String body = "{\"version\":\"0\",\"id\":\"e-" + theCase.get("name") + "\",\"detail-type\":\"AWS API Call via"
                    + " CloudTrail\",\"source\":\"aws.sagemaker\",\"account\":\"123456789012\",\"region\":\"us-east-1\","
                    + "\"detail\":" + record + "}";
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("messageId", "benchmark-" + records.size());
            message.put("receiptHandle", "benchmark-" + records.size());
            message.put("body", body);
            message.put("attributes", Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1795615200000"));
            message.put("messageAttributes", Map.of());
            message.put("md5OfBody", "");
            message.put("eventSource", "aws:sqs");
            message.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:ml-platform-ActivityQueue");
            message.put("awsRegion", "us-east-1");
            records.add(message);
        }
        activityBatchSize = records.size();
        String batch = Json.write(Map.of("Records", records));
        // Once in-process, to be sure the batch goes through whole: no item may fail.
        var handler = new ActivityMonitorHandler(clients.sageMaker(), clients.ssm(), clients.logs(),
                ActivitySettings.from(env));
        SQSEvent event = new SQSEvent();
        event.setRecords(records.stream().map(m -> {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId((String) m.get("messageId"));
            message.setBody((String) m.get("body"));
            return message;
        }).toList());
        PrintStream stdout = System.out;
        System.setOut(System.err); // the handler prints its batch's EMF line
        SQSBatchResponse response;
        try {
            response = handler.handleRequest(event, new LocalContext("ActivityMonitor", System.err));
        } finally {
            System.setOut(stdout);
        }
        require(response.getBatchItemFailures().isEmpty(), "the activity batch has failed items: "
                + response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        return batch;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    /** A Lambda-like environment: the stack's variables, region, static credentials, the moto endpoint. */
    private static Map<String, String> childEnv(Map<String, String> functionEnv, String endpoint) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String keep : List.of("PATH", "HOME", "LANG", "TMPDIR")) {
            String value = System.getenv(keep);
            if (value != null) {
                env.put(keep, value);
            }
        }
        env.putAll(functionEnv);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_ENDPOINT_URL", endpoint);
        return env;
    }

    // ------------------------------------------------------------------------------------------------- classpaths

    /** Everything each variant runs from, under benchmarks/target/bench. */
    record Classpaths(Map<String, Path> explodedZips, Map<String, Path> appJars, Path launcher, Path probeDir,
            Path naiveJar, String crtJars, Path localPeersJar) {

        String exploded(Function f) {
            Path dir = explodedZips.get(f.module());
            return dir + ":" + libJars(dir) + ":" + launcher;
        }

        /** Class-data sharing archives classes from jars only, so these variants get the root classes as a jar. */
        String jars(Function f) {
            return appJars.get(f.module()) + ":" + libJars(explodedZips.get(f.module())) + ":" + launcher;
        }

        String naive() {
            return naiveJar + ":" + launcher;
        }

        String crt() {
            return crtJars;
        }

        String localPeers() {
            return localPeersJar.toString();
        }

        String probe() {
            return probeDir.toString();
        }

        static String libJars(Path dir) {
            try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
                return jars.map(Path::toString).sorted().collect(Collectors.joining(":"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Classpaths prepareClasspaths() throws IOException, URISyntaxException {
        Map<String, Path> exploded = new LinkedHashMap<>();
        Map<String, Path> appJars = new LinkedHashMap<>();
        for (String module : FUNCTIONS.stream().map(Function::module).distinct().toList()) {
            Path zip = functionZip(module);
            Path dir = work.resolve("zip/" + module);
            unzip(zip, dir);
            exploded.put(module, dir);
            Path appJar = work.resolve("zip/" + module + "-classes.jar");
            jar(dir, appJar, name -> !name.startsWith("lib/"));
            appJars.put(module, appJar);
        }
        // The launcher classes only, out of this module's own output.
        Path classes = Path.of(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path launcher = work.resolve("launcher.jar");
        jar(classes, launcher, name -> name.startsWith("mlteams/bench/launch/"));
        // The warm run's SDK interceptor, through the SDK's global interceptor file.
        Path probe = work.resolve("probe");
        Path interceptors = probe.resolve("software/amazon/awssdk/global/handlers/execution.interceptors");
        Files.createDirectories(interceptors.getParent());
        Files.writeString(interceptors, "mlteams.bench.launch.SdkTimer\n");
        Path naive = repo.resolve("benchmarks/naive/target/naive-fat.jar");
        if (!Files.isRegularFile(naive)) {
            throw new IllegalStateException(naive + " is missing: run scripts/benchmark.sh, which builds it");
        }
        String crt = Arrays.stream(System.getProperty("java.class.path").split(":"))
                .filter(p -> p.matches(".*/(aws-crt-client|aws-crt|crt-core)-[0-9.]+\\.jar"))
                .collect(Collectors.joining(":"));
        Path localPeers = Path.of(mlteams.local.peers.crac.Core.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return new Classpaths(exploded, appJars, launcher, probe, naive, crt, localPeers);
    }

    Path functionZip(String module) {
        Path zip = repo.resolve("functions/" + module + "/target/function.zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: run scripts/benchmark.sh, which builds it");
        }
        return zip;
    }

    Path naiveJar() {
        return repo.resolve("benchmarks/naive/target/naive-fat.jar");
    }

    private static void unzip(Path zip, Path dir) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("zip entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
    }

    private static void jar(Path dir, Path jar, java.util.function.Predicate<String> include) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = dir.relativize(p).toString().replace('\\', '/');
                if (include.test(name)) {
                    out.putNextEntry(new JarEntry(name));
                    try (InputStream in = Files.newInputStream(p)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Collections.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- accessors

    Map<String, Map<String, List<Sample>>> samples() {
        return samples;
    }

    Map<String, Sample> warm() {
        return warm;
    }

    /** The shipped studio-domain zip's shrunk SDK jar, or null. */
    String shippedShrunkJar() {
        return shippedShrunkJar;
    }

    List<Function> archived() {
        return archived;
    }

    int activityBatchSize() {
        return activityBatchSize;
    }

    int runs() {
        return runs;
    }

    int warmups() {
        return warmups;
    }

    int measured() {
        return measured;
    }

    boolean aot() {
        return aot;
    }

    Path repo() {
        return repo;
    }

    static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static final long STARTED = System.nanoTime();

    static void say(String format, Object... args) {
        System.err.printf("[benchmark +%.0f s] %s%n", (System.nanoTime() - STARTED) / 1e9, String.format(format, args));
    }
}
