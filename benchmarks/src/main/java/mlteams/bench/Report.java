package mlteams.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import mlteams.bench.Benchmark.Function;
import mlteams.bench.Runs.Sample;

/** Medians, ratios and targets, as console tables and as docs/performance.md. */
final class Report {

    static final double TARGET_VS_NAIVE = 0.25;
    static final double TARGET_VS_FLOOR = 8;
    static final double TARGET_ZIP = 1.0 / 3;
    static final int TARGET_POLLING = 15;
    /**
     * Transitions the definition needs: every state on the path once (Validate, Claim, IsTeamClaimed, the Parallel,
     * its 6 Tasks, DomainReady, Publish, RecordSuccess), with one poll for a domain ready at the first check
     * (IsDomainReady, WaitForDomain, CheckDomain, IsDomainReady).
     */
    static final int MIN_TRANSITIONS_FRESH = 16;
    /** A repeat run adopts an InService domain: no Wait, no CheckDomain, one IsDomainReady. */
    static final int MIN_TRANSITIONS_REPEAT = 13;

    private final Benchmark bench;
    private final Runs runner;
    private final Benchmark.Classpaths cp;
    private final Onboarding.Counted fresh;
    private final Onboarding.Counted repeat;
    private final Onboarding.Polling polling;
    private final double seconds;
    private final double floor;

    Report(Benchmark bench, Runs runner, Benchmark.Classpaths cp, List<Onboarding.Counted> freshRepeat,
            Onboarding.Polling polling, double seconds) {
        this.bench = bench;
        this.runner = runner;
        this.cp = cp;
        this.fresh = freshRepeat.get(0);
        this.repeat = freshRepeat.get(1);
        this.polling = polling;
        this.seconds = seconds;
        this.floor = median(bench.samples().values().stream().flatMap(m -> m.get("floor").stream())
                .mapToDouble(Sample::wallMs).toArray());
    }

    // ------------------------------------------------------------------------------------------------- figures

    private double med(String function, String variant, ToDoubleFunction<Sample> field) {
        List<Sample> list = bench.samples().getOrDefault(function, Map.of()).get(variant);
        return list == null ? Double.NaN : median(list.stream().mapToDouble(field).toArray());
    }

    private double wall(String function, String variant) {
        return med(function, variant, Sample::wallMs);
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private double warmMedian(String function, int column) {
        return median(bench.warm().get(function).warm().stream().mapToDouble(w -> w[column] / 1e6).toArray());
    }

    private double warmOverhead(String function) {
        return median(bench.warm().get(function).warm().stream().mapToDouble(w -> (w[0] - w[1]) / 1e6).toArray());
    }

    private double zipMb(String module) {
        return size(bench.functionZip(module)) / 1e6;
    }

    private double fatMb() {
        return size(bench.naiveJar()) / 1e6;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private double crtJarsMb() {
        return Arrays.stream(cp.crt().split(":")).filter(s -> !s.isBlank()).mapToLong(s -> size(Path.of(s))).sum() / 1e6;
    }

    // ------------------------------------------------------------------------------------------------- tables

    String coldTable() {
        StringBuilder t = new StringBuilder();
        t.append("| function | cold ms | naive ms | cold ÷ naive | cold ÷ floor | AppCDS ms | ÷ naive | ÷ floor |");
        if (bench.aot()) {
            t.append(" AOT cache ms | ÷ naive | ÷ floor |");
        }
        t.append('\n').append("|---|--:|--:|--:|--:|--:|--:|--:|");
        if (bench.aot()) {
            t.append("--:|--:|--:|");
        }
        t.append('\n');
        for (Function f : Benchmark.FUNCTIONS) {
            double cold = wall(f.name(), "cold");
            double naive = wall(f.name(), "naive");
            double cds = wall(f.name(), "appcds");
            t.append(String.format("| %s | %.0f | %.0f | %s | %s | %.0f | %s | %s |", f.name(), cold, naive,
                    ratio(cold / naive, TARGET_VS_NAIVE), ratio(cold / floor, TARGET_VS_FLOOR), cds,
                    ratio(cds / naive, TARGET_VS_NAIVE), ratio(cds / floor, TARGET_VS_FLOOR)));
            if (bench.aot()) {
                double aot = wall(f.name(), "aot");
                t.append(String.format(" %.0f | %s | %s |", aot, ratio(aot / naive, TARGET_VS_NAIVE),
                        ratio(aot / floor, TARGET_VS_FLOOR)));
            }
            t.append('\n');
        }
        t.append(String.format("| JVM floor (hello world) | %.0f | | | | | | |%s%n", floor, bench.aot() ? " | | |" : ""));
        return t.toString();
    }

    String inProcessTable() {
        StringBuilder t = new StringBuilder();
        t.append("| function | build handler ms | 1st invoke ms | priming ms | 1st invoke after priming ms |"
                + " warm invoke ms | in SDK ms | handler overhead ms | SDK calls / invoke | cold CPU ms | cold peak RSS MB |\n");
        t.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Function f : Benchmark.FUNCTIONS) {
            List<long[]> w = bench.warm().get(f.name()).warm();
            double calls = w.isEmpty() ? 0 : w.get(0)[2];
            t.append(String.format("| %s | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | %.2f | %.0f | %s | %s |%n", f.name(),
                    med(f.name(), "cold", Sample::constructMs), med(f.name(), "cold", Sample::invokeMs),
                    med(f.name(), "primed", Sample::primeMs), med(f.name(), "primed", Sample::invokeMs),
                    warmMedian(f.name(), 0), warmMedian(f.name(), 1), warmOverhead(f.name()), calls,
                    orNa(med(f.name(), "cold", Sample::cpuMs), "%.0f"), orNa(med(f.name(), "cold", Sample::peakRssMb), "%.0f")));
        }
        return t.toString();
    }

    String sizeTable() {
        StringBuilder t = new StringBuilder();
        t.append("| artifact | MB | ÷ naive fat jar |\n|---|--:|--:|\n");
        double fat = fatMb();
        for (String module : Benchmark.FUNCTIONS.stream().map(Function::module).distinct().toList()) {
            double mb = zipMb(module);
            t.append(String.format("| functions/%s/target/function.zip | %.1f | %s |%n", module, mb,
                    ratio(mb / fat, TARGET_ZIP)));
        }
        t.append(String.format("| naive fat jar (5 functions, 5 SDK modules, Apache + Netty clients) | %.1f | 1 |%n", fat));
        double shrunk = size(bench.shrunk().zip()) / 1e6;
        t.append(String.format("| *experiment, not shipped*: studio-domain with its SageMaker module shrunk by ProGuard"
                + " (%.1f → %.1f MB) | %.1f | %s |%n", bench.shrunk().sdkJarBefore() / 1e6, bench.shrunk().sdkJarAfter() / 1e6,
                shrunk, ratio(shrunk / fat, TARGET_ZIP)));
        return t.toString();
    }

    String shrunkTable() {
        StringBuilder t = new StringBuilder("| function | cold ms, shipped zip | cold ms, shrunk SageMaker module |\n|---|--:|--:|\n");
        for (String name : List.of("EnsureDomain", "CheckDomain")) {
            t.append(String.format("| %s | %.0f | %.0f |%n", name, wall(name, "cold"), wall(name, "shrunk")));
        }
        return t.toString();
    }

    String httpTable() {
        double url = wall("EnsureTrail", "http-url");
        double crt = wall("EnsureTrail", "http-crt");
        return "| EnsureTrail, cold | wall ms | CPU ms | peak RSS MB | 1st invoke ms | added to the zip |\n"
                + "|---|--:|--:|--:|--:|--:|\n"
                + String.format("| URL-connection client | %.0f | %s | %s | %.0f | 0 (ships today) |%n", url,
                        orNa(med("EnsureTrail", "http-url", Sample::cpuMs), "%.0f"),
                        orNa(med("EnsureTrail", "http-url", Sample::peakRssMb), "%.0f"),
                        med("EnsureTrail", "http-url", Sample::invokeMs))
                + String.format("| AWS CRT client | %.0f | %s | %s | %.0f | +%.1f MB (all platforms' natives) |%n", crt,
                        orNa(med("EnsureTrail", "http-crt", Sample::cpuMs), "%.0f"),
                        orNa(med("EnsureTrail", "http-crt", Sample::peakRssMb), "%.0f"),
                        med("EnsureTrail", "http-crt", Sample::invokeMs), crtJarsMb());
    }

    String callsTable() {
        StringBuilder t = new StringBuilder();
        t.append("| function | fresh account: calls | min | repeat run: calls | min | why that minimum |\n");
        t.append("|---|---|--:|---|--:|---|\n");
        int minFresh = 0;
        int minRepeat = 0;
        for (Onboarding.Minimum m : Onboarding.MINIMUMS) {
            t.append(String.format("| %s | %d %s | %d | %d %s | %d | %s |%n", m.function(), fresh.calls(m.function()),
                    ops(fresh, m.function()), m.fresh(), repeat.calls(m.function()), ops(repeat, m.function()),
                    m.repeat(), m.reason()));
            minFresh += m.fresh();
            minRepeat += m.repeat();
        }
        t.append(String.format("| **total** | **%d** | **%d** | **%d** | **%d** | |%n", fresh.totalCalls(), minFresh,
                repeat.totalCalls(), minRepeat));
        return t.toString();
    }

    /** Which steps make more calls than they need, and why. */
    String callsGap() {
        List<String> above = new ArrayList<>();
        for (Onboarding.Minimum m : Onboarding.MINIMUMS) {
            int f = fresh.calls(m.function());
            int r = repeat.calls(m.function());
            if (f > m.fresh() || r > m.repeat()) {
                above.add(String.format("%s (fresh %d vs %d, repeat %d vs %d: it %s)", m.function(), f, m.fresh(), r,
                        m.repeat(), m.whyMore().isEmpty() ? "makes extra reads" : m.whyMore()));
            }
        }
        return above.isEmpty() ? "Every step makes the minimum number of calls."
                : "Above the minimum: " + String.join("; ", above) + ". Closing that gap is optional: the state"
                        + " transitions below cost more than every Lambda invoke of an onboarding together.";
    }

    private static String ops(Onboarding.Counted counted, String function) {
        List<String> list = counted.calls().getOrDefault(function, List.of());
        return list.isEmpty() ? "" : "(" + String.join(", ", list) + ")";
    }

    String transitionsTable() {
        var e = polling.counted().execution();
        return "| execution | state transitions | minimum for this definition |\n|---|--:|--:|\n"
                + String.format("| fresh account, domain ready at the first check | %d | %d |%n",
                        fresh.execution().stateTransitions(), MIN_TRANSITIONS_FRESH)
                + String.format("| repeat run, domain adopted InService | %d | %d |%n", repeat.execution().stateTransitions(),
                        MIN_TRANSITIONS_REPEAT)
                + String.format("| 10-minute domain creation, whole execution | %d | |%n", e.stateTransitions())
                + String.format("| … of which the domain branch (EnsureDomain %d, IsDomainReady %d, WaitForDomain %d,"
                        + " CheckDomain %d, DomainReady %d) | **%d** (target ≤ %d: %s) | |%n",
                        e.entered("EnsureDomain"), e.entered("IsDomainReady"), e.entered("WaitForDomain"),
                        e.entered("CheckDomain"), e.entered("DomainReady"), polling.domainBranchTransitions(),
                        TARGET_POLLING, polling.domainBranchTransitions() <= TARGET_POLLING ? "met" : "MISSED")
                + String.format("| … of which the wait loop (IsDomainReady, WaitForDomain, CheckDomain) | %d | |%n",
                        polling.loopTransitions());
    }

    // ------------------------------------------------------------------------------------------------- verdicts

    private List<String> coldMisses(String variant, double target, boolean vsNaive) {
        List<String> misses = new ArrayList<>();
        for (Function f : Benchmark.FUNCTIONS) {
            double r = wall(f.name(), variant) / (vsNaive ? wall(f.name(), "naive") : floor);
            if (!(r <= target)) {
                misses.add(String.format("%s %.2f", f.name(), r));
            }
        }
        return misses;
    }

    private String verdict(String what, List<String> misses) {
        return misses.isEmpty() ? what + ": **met** for every function"
                : what + ": **missed** for " + misses.size() + " of " + Benchmark.FUNCTIONS.size() + " (" + String.join("; ", misses) + ")";
    }

    String targets() {
        List<String> zipMisses = new ArrayList<>();
        for (String module : Benchmark.FUNCTIONS.stream().map(Function::module).distinct().toList()) {
            double r = zipMb(module) / fatMb();
            if (r > TARGET_ZIP) {
                zipMisses.add(String.format("%s %.2f", module, r));
            }
        }
        StringBuilder t = new StringBuilder();
        t.append("- ").append(verdict("cold ≤ 0.25 × naive", coldMisses("cold", TARGET_VS_NAIVE, true))).append('\n');
        t.append("- ").append(verdict("cold ≤ 8 × JVM floor", coldMisses("cold", TARGET_VS_FLOOR, false))).append('\n');
        t.append("  - with AppCDS: ").append(verdict("≤ 0.25 × naive", coldMisses("appcds", TARGET_VS_NAIVE, true)))
                .append("; ").append(verdict("≤ 8 × floor", coldMisses("appcds", TARGET_VS_FLOOR, false))).append('\n');
        if (bench.aot()) {
            t.append("  - with an AOT cache: ").append(verdict("≤ 0.25 × naive", coldMisses("aot", TARGET_VS_NAIVE, true)))
                    .append("; ").append(verdict("≤ 8 × floor", coldMisses("aot", TARGET_VS_FLOOR, false))).append('\n');
        }
        t.append("- ").append(zipMisses.isEmpty() ? "each zip ≤ 1/3 of the naive fat jar: **met**"
                : "each zip ≤ 1/3 of the naive fat jar: **missed** for " + String.join("; ", zipMisses)).append('\n');
        t.append(String.format("- polling a 10-minute creation ≤ %d transitions: **%s** (%d in the domain branch, %d in the"
                + " wait loop; %d CheckDomain polls after waits of %s s = %d s scheduled)%n", TARGET_POLLING,
                polling.domainBranchTransitions() <= TARGET_POLLING ? "met" : "missed", polling.domainBranchTransitions(),
                polling.loopTransitions(), polling.counted().execution().entered("CheckDomain"), polling.waits(),
                polling.scheduledSeconds()));
        t.append("- priming covered by a test: **met** (`local/runner/src/test/java/mlteams/local/SnapStartPrimingTest.java`)\n");
        return t.toString();
    }

    // ------------------------------------------------------------------------------------------------- output

    String console() {
        return "Cold invoke, median of " + bench.runs() + " interleaved runs (wall ms, whole process)\n" + coldTable()
                + "\nIn-process and warm (medians)\n" + inProcessTable()
                + "\nArtifact size\n" + sizeTable()
                + "\nCold invoke of the shrunk studio-domain zip (size experiment)\n" + shrunkTable()
                + "\nHTTP client\n" + httpTable()
                + "\nAPI calls per onboarding\n" + callsTable() + callsGap() + "\n"
                + "\nState transitions\n" + transitionsTable()
                + "\nTargets\n" + targets();
    }

    String markdown() {
        String javaVersion = runner.runUnmeasured(List.of("-version"), null, null, List.of()).trim();
        StringBuilder d = new StringBuilder();
        d.append("# Performance\n\n");
        d.append("Written by `scripts/benchmark.sh` (").append(String.format("%.0f", seconds)).append(" s for this run, ")
                .append(bench.runs()).append(" runs per cold figure). Rerun it to refresh every number below; the prose"
                        + " between the tables is part of the generator (`benchmarks/src/main/java/mlteams/bench/Report.java`).\n\n");
        d.append("## Machine\n\n");
        d.append("| | |\n|---|---|\n");
        d.append("| date (UTC) | ").append(Benchmark.today()).append(" |\n");
        d.append("| nproc | ").append(Runtime.getRuntime().availableProcessors()).append(" |\n");
        d.append("| CPU | ").append(cpuModel()).append(" |\n");
        d.append("| memory | ").append(memTotal()).append(" |\n");
        d.append("| OS / arch | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(" / ").append(System.getProperty("os.arch")).append(" |\n");
        d.append("| java -version | ").append(javaVersion.replace("\n", "<br>")).append(" |\n");
        d.append("| load at the end | ").append(loadAverage()).append(" (a shared, noisy 2-core machine: read ratios, not"
                + " absolute milliseconds) |\n\n");

        d.append("## What is measured here, and what is a local proxy for Lambda\n\n");
        d.append("""
                - **Cold invoke** = one fresh JVM that builds the handler and invokes it once against moto on loopback,
                  wall time of the whole process. A **local proxy**: Lambda's java21 runtime is Amazon Corretto 21 on
                  Firecracker with a CPU share set by the memory size; here it is %s on this machine's cores. Plain HTTP
                  to moto has no TLS handshake and ~1 ms latency, where AWS has TLS and 10-100 ms per call. Lambda's
                  cold start also includes fetching the zip and starting the runtime, which no local figure includes.
                  Our variant uses `-XX:TieredStopAtLevel=1` (the java21 runtime's default) and `-XX:+UseSerialGC`
                  (what the JVM picks by itself below 2 vCPUs or 1,792 MB, so on Lambda at 512 MB); the naive
                  baseline and the floor use no flags.
                - **With SnapStart** (what template.yaml deploys), a cold start is a snapshot restore, not a JVM start:
                  JVM start, class loading and the handler's constructor happen once per published version. The local
                  proxy for what is left is **1st invoke after priming**: the handler built, the SnapStart hooks run
                  through the same CRaC registration Lambda uses, then the first invoke timed in-process. Restore time
                  itself cannot be measured without Lambda.
                - **Warm invoke** = the same JVM after %d warm-up invokes, median of %d; *handler overhead* = total minus
                  the time inside SDK calls (an SDK execution interceptor, first hook to last). Real, not a proxy: it is
                  CPU work in our code and JSON binding, though at this machine's speed, not Lambda's CPU share.
                - **Sizes**, **API calls** and **state transitions** are exact, not proxies: the zips are the deployed
                  artifacts, and the counts come from the real ASL executed by aws-local-stepfunctions with the real
                  handlers (moto stands in for AWS; a stub keeps the domain Pending for the 10-minute case).
                - Every measured invoke takes the steady-state path (the sample team already exists, so each step
                  adopts it): runs stay identical round after round. Inputs are what the workflow passes each step.

                """.formatted(System.getProperty("java.vm.name") + " " + Runtime.version(), bench.warmups(),
                bench.measured()));

        d.append("## Cold invoke (median of ").append(bench.runs()).append(" interleaved runs, wall ms)\n\n");
        d.append(coldTable()).append('\n');
        d.append("Ratios marked ✗ miss the issue's targets (cold ≤ 0.25 × naive, ≤ 8 × floor).\n\n");
        d.append("## In-process timings and warm invokes (medians)\n\n");
        d.append(inProcessTable()).append('\n');
        d.append("*build handler* and *1st invoke* split the cold run above; *priming* is the SnapStart hook's own time;"
                + " *cold CPU* is user + system time of the whole cold process (more than wall time when the JIT and GC"
                + " threads run beside the main one).\n\n");
        d.append("## Artifact size\n\n").append(sizeTable()).append('\n');
        d.append(shrinkText());
        d.append("## HTTP client: URL-connection vs AWS CRT (EnsureTrail, median of ").append(bench.runs()).append(")\n\n");
        d.append(httpTable()).append('\n');
        d.append("""
                Keep the URL-connection client. The CRT client is native code behind JNI: its jar carries the natives
                of every platform (a zip would have to be trimmed to linux-aarch64 by hand to stay small), and its
                native library is extracted to a temporary file and loaded at start-up, which is where its extra cold
                time goes. For a handful of sequential calls per invoke, its better throughput buys nothing.

                """);
        d.append("## Per onboarding: API calls and state transitions\n\n");
        d.append("API calls per function, counted from real executions (SDK clients wrapped per function):\n\n");
        d.append(callsTable()).append('\n');
        d.append(callsGap()).append("\n\n");
        d.append(transitionsTable()).append('\n');
        d.append("""
                Every state is entered once except the poll loop. The loop costs 3 transitions per poll (Choice, Wait,
                Task) plus the final Choice; with waits of 60 s doubling to a cap of 240 s, a 10-minute creation takes
                4 polls. Retries would add transitions; none happened here.

                """);
        d.append("## Targets\n\n").append(targets()).append('\n');
        d.append(whyColdMisses());
        d.append(recommendations());
        return d.toString();
    }

    private String shrinkText() {
        double over = zipMb("studio-domain") - fatMb() * TARGET_ZIP;
        return """
                studio-domain misses the size target by %.1f MB because of one jar: the SageMaker SDK module is %.1f MB,
                the models of every SageMaker operation, of which the function calls three. There is nothing else to
                cut (one service module, the URL-connection client, no logging backend; the rest of the zip is the SDK
                core every function carries). The fix that works is shrinking that jar to what the code reaches,
                which this run tried with ProGuard (shrinking only: no obfuscation, no optimisation, all attributes
                kept; `benchmarks/src/main/java/mlteams/bench/Shrink.java`):

                %s
                The shrunk zip passed these checks, each in a fresh JVM against moto: %s.

                **Not adopted in the build yet.** It would meet the target, but every SDK path the shrinker could
                have cut fails only at run time, and the end-to-end tests run the module classes, not the zips. To
                adopt it: run the same ProGuard configuration in functions/studio-domain's package phase (its JDK
                library must come from `jrt:/` or `jimage extract`, since Temurin 25 ships no jmods), and first add a
                test that runs the workflow against the zips themselves. Lambda's own limit (50 MB zipped) is far
                away either way, and with SnapStart the zip size does not touch restore time.

                """.formatted(over, bench.shrunk().sdkJarBefore() / 1e6, shrunkTable(),
                String.join("; ", bench.shrunkChecks()));
    }

    private String whyColdMisses() {
        double cold = median(Benchmark.FUNCTIONS.stream().mapToDouble(f -> wall(f.name(), "cold")).toArray());
        double cds = median(Benchmark.FUNCTIONS.stream().mapToDouble(f -> wall(f.name(), "appcds")).toArray());
        double primed = median(Benchmark.FUNCTIONS.stream().mapToDouble(f -> med(f.name(), "primed", Sample::invokeMs)).toArray());
        double first = median(Benchmark.FUNCTIONS.stream().mapToDouble(f -> med(f.name(), "cold", Sample::invokeMs)).toArray());
        return """
                ### Why the cold targets are hard for a JVM start, and what was tried

                A cold JVM start of EnsureTrail loads about 4,000 classes, some 2,700 of them from the function's jars
                (not in the JDK's own archive), and the SDK loads the metadata of every AWS Region and service when
                a client resolves its signing region (`ServiceMetadata.of`, even with an endpoint override), builds the
                TLS trust store when the HTTP client is built, and initialises signing, endpoint rules and JSON
                marshalling on the first call. At C1 on this machine that is about %.0f ms (median over functions), against
                %.0f ms for hello world. What was tried:

                - **Fewer and lighter dependencies** (already the design): one SDK service module per zip, the
                  URL-connection client, jackson-jr instead of databind, explicit region and credentials so no provider
                  chain is walked, no logging backend.
                - **Lambda's JVM flags** (C1 only, serial GC), as measured above.
                - **Application class-data sharing**: %.0f ms median (classes parsed and verified ahead of time). It
                  closes most of the gap to the naive target but not to the floor target, and is **not adopted** for
                  Lambda: the archive must come from the exact JVM build that runs it (Lambda's Corretto 21, which AWS
                  patches without notice; a mismatched archive is rejected at start-up and the JVM runs without it),
                  CDS cannot archive the zip's root classes (a directory on Lambda's classpath; the training run
                  here refuses to dump until they are in a jar), and SnapStart already takes class loading out of
                  cold starts.%s
                - **SnapStart with priming** (adopted): on Lambda a cold start of these functions is a snapshot
                  restore followed by the first invoke, and the local proxy for that invoke is %.0f ms after priming
                  against %.0f ms without (medians over functions). The targets are measured here on whole-process
                  time, which SnapStart does not change, so the cold rows above stay marked missed.

                """.formatted(cold, floor, cds, bench.aot()
                        ? " The JDK 25 **AOT cache** (JEP 483/515) goes further, with the same caveats; it becomes an option"
                        + " with the java25 runtime only if SnapStart is ever turned off, built in a container that matches"
                        + " Lambda's runtime." : "",
                primed, first);
    }

    private String recommendations() {
        double maxRss = Benchmark.FUNCTIONS.stream().mapToDouble(f -> med(f.name(), "cold", Sample::peakRssMb)).max().orElse(Double.NaN);
        double maxOverhead = Benchmark.FUNCTIONS.stream().mapToDouble(f -> warmOverhead(f.name())).max().orElse(Double.NaN);
        double maxCpu = Benchmark.FUNCTIONS.stream().mapToDouble(f -> med(f.name(), "cold", Sample::cpuMs)).max().orElse(Double.NaN);
        double maxPrimed = Benchmark.FUNCTIONS.stream().mapToDouble(f -> med(f.name(), "primed", Sample::invokeMs)).max().orElse(Double.NaN);
        return """
                ## Architecture and memory

                **arm64 (Graviton), as template.yaml has it.** It is about 20 %% cheaper per GB-second than x86_64 at
                the same memory, SnapStart supports it, and these zips are pure Java (the URL-connection client has no
                native code), so nothing changes between architectures. Nothing measured here favours x86_64.

                **512 MB for every function, instead of 1024 MB.** The figures that decide it:
                - memory: the peak RSS of a whole cold invoke (JVM, SDK, one client) is at most %s MB here, so
                  512 MB leaves more than 3× headroom;
                - CPU: once restored from the snapshot, our own work per invoke is at most %.2f ms warm and %.0f ms
                  on the first invoke after priming, at a full core here. At 512 MB's share (about 0.29 vCPU;
                  1,769 MB = 1 vCPU) that first invoke takes roughly 3.5× longer, about twice as long as at
                  1024 MB: some 0.1-0.3 s once per environment, in a workflow that waits minutes for the domain
                  and that no person waits on;
                - the rest of each invoke is waiting on AWS APIs, billed per GB-second and not shortened by more
                  memory, so 512 MB halves it; without a snapshot ($LATEST, or SnapStart turned off) a cold start
                  needs about %s ms of CPU here, a few seconds at 512 MB, still far inside the 60 s timeout.
                Cost is no reason either way: a 10-minute onboarding is about 20 short invokes (well under a tenth
                of a cent at either size), and its 21 state transitions ($0.025 per 1,000) cost more than its
                Lambda time. Keep 1024 MB only where the faster first invoke after a restore is worth it; nothing
                here needs it.

                """.formatted(orNa(maxRss, "%.0f"), maxOverhead, maxPrimed, orNa(maxCpu, "%.0f"));
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private static String ratio(double r, double target) {
        return String.format("%.2f %s", r, r <= target ? "✓" : "✗");
    }

    private static String orNa(double value, String format) {
        return Double.isNaN(value) || value < 0 ? "n/a" : String.format(format, value);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format("%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
