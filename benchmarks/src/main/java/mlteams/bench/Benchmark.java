package mlteams.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mlteams.bench.Runs.Sample;
import mlteams.bench.Template.Function;
import mlteams.common.ClientSettings;
import mlteams.local.Clients;
import mlteams.local.LocalStack;
import mlteams.local.MotoGaps;
import mlteams.local.peers.MotoServer;
import mlteams.local.peers.RepoPaths;
import software.amazon.awssdk.regions.Region;

/**
 * scripts/benchmark.sh: every figure of docs/performance.md, measured in one run against a moto server of its own.
 * The functions are those template.yaml deploys ({@link Template}); their inputs are what the real workflows passed
 * them ({@link Workflows}). Per function, round after round in a rotating order, four fresh JVMs, each with the
 * flags Lambda's java21 runtime uses ({@link #LAMBDA_FLAGS}):
 * <ul>
 *   <li><b>cold</b>: the function's function.zip, the handler built by its no-arg constructor, one invoke;</li>
 *   <li><b>baseline cold</b>: the same handler from its module's fair-baseline jar (benchmarks/baseline);</li>
 *   <li><b>primed</b> and <b>baseline primed</b>: the same, then the SnapStart hooks, then one invoke timed
 *       in-process (the local proxy for the first invoke after a snapshot restore).</li>
 * </ul>
 * Then warm invokes of each function from its zip, and artifact sizes.
 */
public final class Benchmark {

    /** What Lambda's java21 runtime runs every function's JVM with (C1 only), and what it picks at 512 MB. */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    static final String LAUNCH = "mlteams.bench.launch.Launch";
    static final List<String> VARIANTS = List.of("cold", "baseline cold", "primed", "baseline primed");
    /** Inputs that no workflow passes: the activity monitor's SQS batch. */
    private static final String SQS_FUNCTION = "mlteams.activity.ActivityMonitorHandler";

    final Path repo = RepoPaths.root();
    private final Path work = repo.resolve("benchmarks/target/bench");
    final int runs;
    final int warmups;
    final int measured;
    final List<Function> functions;
    final Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
    final Map<String, Sample> warm = new LinkedHashMap<>();
    List<Workflows.Counted> counted;

    private Benchmark(int runs, int warmups, int measured) throws IOException {
        this.runs = runs;
        this.warmups = warmups;
        this.measured = measured;
        this.functions = Template.functions(repo.resolve("template.yaml"));
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        int warmups = 50;
        int measured = 30;
        Path out = RepoPaths.root().resolve("docs/performance.md");
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
        long started = System.nanoTime();
        Benchmark benchmark = new Benchmark(runs, warmups, measured);
        benchmark.run();
        Report report = new Report(benchmark, (System.nanoTime() - started) / 1e9);
        Files.writeString(out, report.markdown(benchmark.repo.resolve("docs/performance.template.md")));
        System.out.println(report.console());
        say("wrote %s in %.0f s", out, (System.nanoTime() - started) / 1e9);
    }

    private void run() throws Exception {
        if (Files.exists(work)) {
            throw new IllegalStateException(work + " exists: scripts/benchmark.sh clears it before each run");
        }
        Files.createDirectories(work.resolve("inputs"));
        try (MotoServer moto = MotoServer.start(); MotoGaps gaps = MotoGaps.inFrontOf(moto.endpoint());
                Clients clients = Clients.connect(ClientSettings.emulator(gaps.endpoint(), Region.US_EAST_1))) {
            Map<String, String> env = LocalStack.deploy(ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1));
            say("%d functions in template.yaml; running the workflows once to count them and capture inputs",
                    functions.size());
            try (Workflows workflows = new Workflows(clients, env)) {
                workflows.run();
                counted = workflows.counted();
                Map<String, Path> inputs = inputs(workflows);
                Runs runner = new Runs(Path.of(System.getProperty("java.home"), "bin", "java"),
                        childEnv(env, gaps.endpoint()), work);
                measure(runner, workflows, inputs);
            }
        }
    }

    /** Each function's input file: what the workflows passed it, or the SQS batch; none is an error. */
    private Map<String, Path> inputs(Workflows workflows) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        List<String> without = new ArrayList<>();
        for (Function f : functions) {
            String input = f.handlerClass().equals(SQS_FUNCTION) ? workflows.activityBatch()
                    : workflows.inputs().get(f.name());
            if (input == null) {
                without.add(f.name() + " (" + f.handlerClass() + ")");
                continue;
            }
            files.put(f.name(), Files.writeString(work.resolve("inputs/" + f.name() + ".json"), input));
        }
        if (!without.isEmpty()) {
            throw new IllegalStateException("no input for " + without + ": template.yaml deploys them, but no"
                    + " workflow run by benchmarks/.../Workflows.java invoked them, and Benchmark.inputs() knows no"
                    + " other source. Give each an input there.");
        }
        return files;
    }

    private void measure(Runs runner, Workflows workflows, Map<String, Path> inputs) throws Exception {
        Path launcher = Path.of(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path localPeers = Path.of(mlteams.local.peers.crac.Core.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        Map<String, String> ours = new LinkedHashMap<>();
        Map<String, String> baseline = new LinkedHashMap<>();
        for (String module : functions.stream().map(Function::module).distinct().toList()) {
            Path dir = unzip(zip(module), work.resolve("zip/" + module));
            try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
                ours.put(module, dir + ":" + jars.map(Path::toString).sorted().collect(Collectors.joining(":"))
                        + ":" + launcher);
            }
            baseline.put(module, baselineJar(module) + ":" + launcher);
        }
        // The warm run's SDK interceptor, through the SDK's global interceptor file.
        Path probe = work.resolve("probe");
        Path interceptors = probe.resolve("software/amazon/awssdk/global/handlers/execution.interceptors");
        Files.createDirectories(interceptors.getParent());
        Files.writeString(interceptors, "mlteams.bench.launch.SdkTimer\n");
        List<String> primedFlags = new ArrayList<>(LAMBDA_FLAGS);
        primedFlags.add("-Dorg.crac.Core.Compat=mlteams.local.peers.crac");

        say("one untimed pass (page cache, JDK archive)");
        Function first = functions.get(0);
        runner.run(LAMBDA_FLAGS, ours.get(first.module()), LAUNCH, List.of("cold", first.handlerClass(),
                inputs.get(first.name()).toString()));
        for (int round = 0; round < runs; round++) {
            say("round %d of %d", round + 1, runs);
            for (int i = 0; i < functions.size(); i++) {
                Function f = functions.get((i + round) % functions.size());
                List<String> order = new ArrayList<>(VARIANTS);
                Collections.rotate(order, round + i);
                for (String variant : order) {
                    String cp = (variant.startsWith("baseline") ? baseline : ours).get(f.module());
                    boolean primed = variant.endsWith("primed");
                    workflows.reset(f.name());
                    Sample s = runner.run(primed ? primedFlags : LAMBDA_FLAGS, primed ? cp + ":" + localPeers : cp,
                            LAUNCH, List.of(primed ? "primed" : "cold", f.handlerClass(), inputs.get(f.name()).toString()));
                    check(f, variant, s.output());
                    samples.computeIfAbsent(f.name(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(variant, k -> new ArrayList<>()).add(s);
                }
            }
        }

        say("warm invokes: %d warm-ups, then %d measured, per function", warmups, measured);
        for (Function f : functions) {
            List<String> args = new ArrayList<>(List.of("warm", f.handlerClass(), inputs.get(f.name()).toString(),
                    Integer.toString(warmups), Integer.toString(measured)));
            String partner = Workflows.RESETS.get(f.name());
            Function reset = functions.stream().filter(p -> p.name().equals(partner)).findFirst().orElse(null);
            if (reset != null && reset.module().equals(f.module())) {
                args.addAll(List.of(reset.handlerClass(), inputs.get(reset.name()).toString()));
            }
            workflows.reset(f.name());
            warm.put(f.name(), runner.run(LAMBDA_FLAGS, ours.get(f.module()) + ":" + probe, LAUNCH, args));
        }
    }

    /** A measured invoke must have done its work: an error output or failed batch items abort the benchmark. */
    private static void check(Function f, String variant, String output) {
        if (output.contains("\"errorType\"") || output.matches(".*\"batchItemFailures\":\\[\\{.*")) {
            throw new IllegalStateException(f.name() + " (" + variant + ") did not succeed: " + output);
        }
    }

    Path zip(String module) {
        Path zip = repo.resolve("functions/" + module + "/target/function.zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " is missing: run scripts/benchmark.sh, which builds it");
        }
        return zip;
    }

    Path baselineJar(String module) {
        Path jar = repo.resolve("benchmarks/baseline/target/" + module + "/" + module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run scripts/benchmark.sh, which builds it");
        }
        return jar;
    }

    /** A Lambda-like environment: the stack's variables, region, static credentials, the local endpoint. */
    private static Map<String, String> childEnv(Map<String, String> functionEnv, URI endpoint) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String keep : List.of("PATH", "HOME", "LANG", "TMPDIR")) {
            if (System.getenv(keep) != null) {
                env.put(keep, System.getenv(keep));
            }
        }
        env.putAll(functionEnv);
        env.putAll(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_ENDPOINT_URL", endpoint.toString()));
        return env;
    }

    private static Path unzip(Path zip, Path dir) throws IOException {
        try (FileSystem fs = FileSystems.newFileSystem(zip); Stream<Path> walk = Files.walk(fs.getPath("/"))) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                Path target = dir.resolve(p.toString().substring(1));
                Files.createDirectories(target.getParent());
                Files.copy(p, target);
            }
        }
        return dir;
    }

    private static final long STARTED = System.nanoTime();

    static void say(String format, Object... args) {
        System.err.printf("[benchmark +%.0f s] %s%n", (System.nanoTime() - STARTED) / 1e9, String.format(format, args));
    }
}
