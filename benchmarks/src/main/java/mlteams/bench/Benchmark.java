package mlteams.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import mlteams.bench.Runs.Sample;
import mlteams.common.ClientSettings;
import mlteams.common.Env;
import mlteams.common.Json;
import mlteams.common.TeamNames;
import mlteams.domain.CheckDomainHandler;
import mlteams.domain.DomainSettings;
import mlteams.domain.EnsureDomainHandler;
import mlteams.local.Clients;
import mlteams.local.LocalStack;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.MotoServer;
import mlteams.local.peers.RepoPaths;
import mlteams.logs.EnsureLogGroupHandler;
import mlteams.logs.EnsureLogStreamHandler;
import mlteams.logs.LogsSettings;
import mlteams.publish.PublishOutputsHandler;
import mlteams.trail.EnsureTrailHandler;
import mlteams.trail.TrailSettings;
import mlteams.validate.PlatformDefaults;
import mlteams.validate.ValidateRequestHandler;
import software.amazon.awssdk.regions.Region;

/**
 * scripts/benchmark.sh: every figure of docs/performance.md, measured in one run against a moto server of its own.
 *
 * <p>Per function, interleaved round by round (the order rotates each round), each a fresh JVM whose wall time is
 * measured from fork to exit:
 * <ul>
 *   <li><b>cold</b>: the function's exploded function.zip plus a tiny launcher, the handler built by its no-arg
 *       constructor from the Lambda environment, one invoke, with Lambda's java21 JVM flags;</li>
 *   <li><b>naive</b>: the same handler code with clients from {@code XxxClient.builder().build()}, from the naive
 *       fat jar (all functions, all five SDK modules, Apache and Netty clients), no JVM flags;</li>
 *   <li><b>floor</b>: hello world;</li>
 *   <li><b>AppCDS</b> and <b>AOT cache</b> (JDK 25): the cold variant with a per-function archive from a training
 *       run;</li>
 *   <li><b>primed</b>: the cold variant, then the SnapStart priming hooks, then one invoke, timed in-process;</li>
 *   <li>EnsureTrail only: the URL-connection and the AWS CRT HTTP client, otherwise built alike.</li>
 * </ul>
 * Then warm invokes, artifact sizes, and transitions and API calls per onboarding ({@link Onboarding}).
 */
public final class Benchmark {

    record Function(String name, String handlerClass, String module) {
    }

    static final List<Function> FUNCTIONS = List.of(
            new Function("ValidateRequest", "mlteams.validate.ValidateRequestHandler", "validate-request"),
            new Function("EnsureTrail", "mlteams.trail.EnsureTrailHandler", "activity-trail"),
            new Function("EnsureLogGroup", "mlteams.logs.EnsureLogGroupHandler", "team-logs"),
            new Function("EnsureLogStream", "mlteams.logs.EnsureLogStreamHandler", "team-logs"),
            new Function("EnsureDomain", "mlteams.domain.EnsureDomainHandler", "studio-domain"),
            new Function("CheckDomain", "mlteams.domain.CheckDomainHandler", "studio-domain"),
            new Function("PublishOutputs", "mlteams.publish.PublishOutputsHandler", "publish-outputs"));

    /** What Lambda's java21 runtime runs the JVM with (C1 only, serial GC). */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    static final String LAUNCH = "mlteams.bench.launch.Launch";

    private final Path repo = RepoPaths.root();
    private final Path work = repo.resolve("benchmarks/target/bench");
    private final int runs;
    private final int warmups;
    private final int measured;
    private final Path out;
    private final boolean aot = Runtime.version().feature() >= 25;

    private final Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
    private final Map<String, Sample> warm = new LinkedHashMap<>();
    private Shrink.Result shrunk;
    private List<String> shrunkChecks = List.of();

    private Benchmark(int runs, int warmups, int measured, Path out) {
        this.runs = runs;
        this.warmups = warmups;
        this.measured = measured;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        int warmups = 50;
        int measured = 30;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warm" -> {
                    String[] wm = args[++i].split(":");
                    warmups = Integer.parseInt(wm[0]);
                    measured = Integer.parseInt(wm[1]);
                }
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: scripts/benchmark.sh [--runs N (default 5)] [--warm WARMUPS:MEASURED"
                            + " (default 50:30)] [--out FILE (default docs/performance.md)]");
                    System.exit(2);
                }
            }
        }
        Benchmark benchmark = new Benchmark(runs, warmups, measured,
                out != null ? out : RepoPaths.root().resolve("docs/performance.md"));
        benchmark.run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        deleteTree(work);
        Files.createDirectories(work);
        try (MotoServer moto = MotoServer.start()) {
            ClientSettings settings = ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1);
            Map<String, String> functionEnv = LocalStack.deploy(settings);
            Map<String, Path> inputs = seedAndCaptureInputs(settings, functionEnv);
            Runs runner = new Runs(Path.of(System.getProperty("java.home"), "bin", "java"),
                    childEnv(functionEnv, moto.endpoint().toString()), work);

            Classpaths cp = prepareClasspaths();
            say("size experiment: shrinking studio-domain's SageMaker module with ProGuard");
            shrunk = Shrink.studioDomain(cp.explodedZips().get("studio-domain"), functionZip("studio-domain"), work);
            String shrunkCp = shrunk.exploded() + ":" + Classpaths.libJars(shrunk.exploded()) + ":" + cp.launcher();
            say("training AppCDS%s archives (one training invoke per function)", aot ? " and AOT cache" : "");
            Map<String, Path> cds = new LinkedHashMap<>();
            Map<String, Path> aotCaches = new LinkedHashMap<>();
            for (Function f : FUNCTIONS) {
                Path archive = work.resolve(f.name() + ".jsa");
                runner.runUnmeasured(concat(LAMBDA_FLAGS, List.of("-XX:ArchiveClassesAtExit=" + archive)),
                        cp.jars(f), LAUNCH, List.of("cold", f.handlerClass(), inputs.get(f.name()).toString()));
                cds.put(f.name(), archive);
                if (aot) {
                    Path cache = work.resolve(f.name() + ".aot");
                    runner.runUnmeasured(concat(LAMBDA_FLAGS, List.of("-XX:AOTCacheOutput=" + cache)),
                            cp.jars(f), LAUNCH, List.of("cold", f.handlerClass(), inputs.get(f.name()).toString()));
                    aotCaches.put(f.name(), cache);
                }
            }

            Map<String, Variant> variants = new LinkedHashMap<>();
            variants.put("cold", (f, in) -> runner.run(LAMBDA_FLAGS, cp.exploded(f), LAUNCH, List.of("cold", f.handlerClass(), in)));
            variants.put("naive", (f, in) -> runner.run(List.of(), cp.naive(), LAUNCH, List.of("naive", f.handlerClass(), in)));
            variants.put("floor", (f, in) -> runner.run(List.of(), cp.launcher().toString(), "mlteams.bench.launch.Hello", List.of()));
            variants.put("appcds", (f, in) -> runner.run(concat(LAMBDA_FLAGS, List.of("-XX:SharedArchiveFile=" + cds.get(f.name()))),
                    cp.jars(f), LAUNCH, List.of("cold", f.handlerClass(), in)));
            if (aot) {
                variants.put("aot", (f, in) -> runner.run(concat(LAMBDA_FLAGS, List.of("-XX:AOTCache=" + aotCaches.get(f.name()))),
                        cp.jars(f), LAUNCH, List.of("cold", f.handlerClass(), in)));
            }
            variants.put("primed", (f, in) -> runner.run(concat(LAMBDA_FLAGS, List.of("-Dorg.crac.Core.Compat=mlteams.local.peers.crac")),
                    cp.exploded(f) + ":" + cp.localPeers(), LAUNCH, List.of("primed", f.handlerClass(), in)));
            Map<String, Variant> trailOnly = new LinkedHashMap<>();
            trailOnly.put("http-url", (f, in) -> runner.run(LAMBDA_FLAGS, cp.exploded(f), LAUNCH, List.of("url", f.handlerClass(), in)));
            trailOnly.put("http-crt", (f, in) -> runner.run(LAMBDA_FLAGS, cp.exploded(f) + ":" + cp.crt(), LAUNCH,
                    List.of("crt", f.handlerClass(), in)));
            Map<String, Variant> domainOnly = Map.of("shrunk", (f, in) -> runner.run(LAMBDA_FLAGS, shrunkCp, LAUNCH,
                    List.of("cold", f.handlerClass(), in)));

            say("one untimed pass (page cache, JDK archive)");
            variants.get("floor").run(FUNCTIONS.get(1), "");
            variants.get("cold").run(FUNCTIONS.get(1), inputs.get("EnsureTrail").toString());
            variants.get("naive").run(FUNCTIONS.get(1), inputs.get("EnsureTrail").toString());

            for (int round = 0; round < runs; round++) {
                say("round %d of %d", round + 1, runs);
                for (int i = 0; i < FUNCTIONS.size(); i++) {
                    Function f = FUNCTIONS.get((i + round) % FUNCTIONS.size());
                    Map<String, Variant> these = new LinkedHashMap<>(variants);
                    if (f.name().equals("EnsureTrail")) {
                        these.putAll(trailOnly);
                    }
                    if (f.module().equals("studio-domain")) {
                        these.putAll(domainOnly);
                    }
                    List<String> order = new ArrayList<>(these.keySet());
                    Collections.rotate(order, round + i);
                    for (String key : order) {
                        Sample s = these.get(key).run(f, inputs.get(f.name()).toString());
                        samples.computeIfAbsent(f.name(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                    }
                }
            }

            say("warm invokes: %d warm-ups, then %d measured, per function", warmups, measured);
            for (Function f : FUNCTIONS) {
                warm.put(f.name(), runner.run(LAMBDA_FLAGS, cp.exploded(f) + ":" + cp.probe(), LAUNCH,
                        List.of("warm", f.handlerClass(), inputs.get(f.name()).toString(),
                                Integer.toString(warmups), Integer.toString(measured))));
            }

            shrunkChecks = checkShrunk(runner, shrunkCp + ":" + cp.localPeers(), inputs);

            say("onboarding executions: fresh account, repeat, 10-minute domain creation");
            Onboarding onboarding = new Onboarding(moto, settings);
            List<Onboarding.Counted> freshRepeat = onboarding.freshThenRepeat();
            Onboarding.Polling polling = onboarding.tenMinuteCreation();

            Report report = new Report(this, runner, cp, freshRepeat, polling,
                    (System.nanoTime() - started) / 1e9);
            String markdown = report.markdown();
            System.out.println();
            System.out.println(report.console());
            Files.createDirectories(out.getParent());
            Files.writeString(out, markdown);
            say("wrote %s in %.0f s", repo.relativize(out.toAbsolutePath()), (System.nanoTime() - started) / 1e9);
        }
    }

    @FunctionalInterface
    interface Variant {
        Sample run(Function function, String inputFile);
    }

    /**
     * The shrunk zip must still work on the paths the timed runs do not take: creating a domain, polling it, an
     * AWS error answer (the priming probe's DescribeDomain of a domain that is not there), and the SnapStart hooks
     * themselves (a class the shrinker cut would surface there as a LinkageError, which the hook logs as failed).
     */
    private List<String> checkShrunk(Runs runner, String classpath, Map<String, Path> inputs) throws IOException {
        say("functional check of the shrunk studio-domain zip");
        List<String> checks = new ArrayList<>();
        Path dir = work.resolve("inputs");
        Map<String, Object> request = Json.readMap(Files.readString(inputs.get("EnsureDomain")));
        request.put("teamName", "shrunk-zip-check");
        Path create = dir.resolve("shrunk-create.json");
        Files.writeString(create, Json.write(request));
        List<String> flags = concat(LAMBDA_FLAGS, List.of("-Dorg.crac.Core.Compat=mlteams.local.peers.crac"));
        Sample created = runner.run(flags, classpath, LAUNCH, List.of("primed", "mlteams.domain.EnsureDomainHandler",
                create.toString()));
        require(created.output().contains("\"created\":true"), "EnsureDomain did not create a domain: " + created.output());
        require(created.log().contains("SnapStart priming of EnsureDomainHandler done"), "priming failed: " + created.log());
        checks.add("its SnapStart hooks run (ListDomains, and DescribeDomain answered with an AWS error)");
        checks.add("EnsureDomain creates a domain");
        Path state = dir.resolve("shrunk-state.json");
        Files.writeString(state, created.output());
        Sample polled = runner.run(flags, classpath, LAUNCH, List.of("primed", "mlteams.domain.CheckDomainHandler",
                state.toString()));
        require(polled.output().contains("\"poll\""), "CheckDomain gave no poll state: " + polled.output());
        require(polled.log().contains("SnapStart priming of CheckDomainHandler done"), "priming failed: " + polled.log());
        checks.add("CheckDomain polls it");
        String adopted = runner.run(LAMBDA_FLAGS, classpath, LAUNCH, List.of("cold", "mlteams.domain.EnsureDomainHandler",
                create.toString())).output();
        require(adopted.contains("\"created\":false"), "EnsureDomain did not adopt the domain: " + adopted);
        checks.add("a second EnsureDomain adopts it (ListDomains, DescribeDomain, settings compared)");
        return checks;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("shrunk studio-domain zip: " + message);
        }
    }

    // ------------------------------------------------------------------------------------------------- inputs

    /**
     * Runs the whole onboarding once in-process, step by step with the real handlers, and keeps the input each step
     * received: the sample event, the validated request, the domain state, the parallel results. The account then
     * holds the team, so every measured invoke takes the same path (adopt what exists) run after run.
     */
    private Map<String, Path> seedAndCaptureInputs(ClientSettings settings, Map<String, String> env) throws Exception {
        Map<String, Path> inputs = new LinkedHashMap<>();
        Path dir = Files.createDirectories(work.resolve("inputs"));
        try (Clients clients = Clients.connect(settings)) {
            String event = Events.read("team-onboarded.json");
            String validated = LocalLambda.call(new ValidateRequestHandler(PlatformDefaults.from(env)), "ValidateRequest", event);
            String request = Json.write(Json.readMap(validated).get("request"));
            String trail = LocalLambda.call(new EnsureTrailHandler(clients.cloudTrail(), TrailSettings.from(env)), "EnsureTrail", request);
            String group = LocalLambda.call(new EnsureLogGroupHandler(clients.logs(), LogsSettings.from(env)), "EnsureLogGroup", request);
            String stream = LocalLambda.call(new EnsureLogStreamHandler(clients.logs(), LogsSettings.from(env)), "EnsureLogStream", request);
            String domain = LocalLambda.call(new EnsureDomainHandler(clients.sageMaker(), DomainSettings.from(env)), "EnsureDomain", request);
            String checked = LocalLambda.call(new CheckDomainHandler(clients.sageMaker(), DomainSettings.from(env)), "CheckDomain", domain);
            Map<String, Object> resources = new LinkedHashMap<>();
            resources.put("trail", Json.readMap(trail));
            resources.put("logGroup", Json.readMap(group));
            resources.put("logStream", Json.readMap(stream));
            resources.put("domain", Json.readMap(checked));
            Map<String, Object> publish = new LinkedHashMap<>(Json.readMap(validated));
            publish.put("resources", resources);
            String publishInput = Json.write(publish);
            LocalLambda.call(new PublishOutputsHandler(clients.ssm(),
                    Env.optional(env, "PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX)), "PublishOutputs", publishInput);
            Map<String, String> byFunction = Map.of("ValidateRequest", event, "EnsureTrail", request,
                    "EnsureLogGroup", request, "EnsureLogStream", request, "EnsureDomain", request,
                    "CheckDomain", domain, "PublishOutputs", publishInput);
            for (Function f : FUNCTIONS) {
                Path file = dir.resolve(f.name() + ".json");
                Files.writeString(file, byFunction.get(f.name()));
                inputs.put(f.name(), file);
            }
        }
        return inputs;
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

    Shrink.Result shrunk() {
        return shrunk;
    }

    List<String> shrunkChecks() {
        return shrunkChecks;
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

    static void say(String format, Object... args) {
        System.err.printf("[benchmark] " + format + "%n", args);
    }
}
