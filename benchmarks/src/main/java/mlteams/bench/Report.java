package mlteams.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
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
    /**
     * Offboarding a team with a domain (no apps, spaces or profiles), gone at the first check: Validate, Claim,
     * IsTeamClaimed, FindDomain, HasDomain (5), then DeleteApps, DeleteSpaces, DeleteUserProfiles each with its
     * Choice (6), DeleteDomain, DeleteDomainDone, one WaitForDomainDeletion, DeleteDomain, DeleteDomainDone (5),
     * then DeleteTeamMonitoring, DeleteTeamLogGroup, DeleteTeamParameters, ReleaseTeam, Offboarded (5).
     */
    static final int MIN_TRANSITIONS_OFFBOARD = 21;
    /** Offboarding again: no domain, so HasDomain goes straight to the monitoring. */
    static final int MIN_TRANSITIONS_OFFBOARD_AGAIN = 10;

    private final Benchmark bench;
    private final Runs runner;
    private final Benchmark.Classpaths cp;
    private final Onboarding.Counted fresh;
    private final Onboarding.Counted repeat;
    private final Onboarding.Counted offboard;
    private final Onboarding.Counted offboardAgain;
    private final Onboarding.Polling polling;
    private final double seconds;
    private final double floor;

    Report(Benchmark bench, Runs runner, Benchmark.Classpaths cp, Onboarding.Scenarios scenarios,
            Onboarding.Polling polling, double seconds) {
        this.bench = bench;
        this.runner = runner;
        this.cp = cp;
        this.fresh = scenarios.onboardFresh();
        this.repeat = scenarios.onboardRepeat();
        this.offboard = scenarios.offboard();
        this.offboardAgain = scenarios.offboardAgain();
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

    /** Whether the handler registered a SnapStart hook (seen in its primed runs). */
    private boolean primes(String function) {
        return bench.samples().getOrDefault(function, Map.of()).getOrDefault("primed", List.of()).stream()
                .anyMatch(sample -> sample.hooks() > 0);
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

    private static final Map<String, String> WORKFLOW_TITLES = Map.of(
            Benchmark.ONBOARDING, "onboarding (ClaimTeam and RecordOutcome serve offboarding too)",
            Benchmark.OFFBOARDING, "offboarding",
            Benchmark.ACTIVITY, "activity monitor");

    /** A bold row naming the workflow before its first function, in a table of {@code columns} columns. */
    private static String groupRow(Function f, Function previous, int columns) {
        if (previous != null && previous.workflow().equals(f.workflow())) {
            return "";
        }
        return "| *" + WORKFLOW_TITLES.get(f.workflow()) + "* |" + " |".repeat(columns - 1) + "\n";
    }

    private boolean archived(Function f) {
        return bench.archived().contains(f);
    }

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
        int columns = bench.aot() ? 11 : 8;
        Function previous = null;
        for (Function f : Benchmark.FUNCTIONS) {
            t.append(groupRow(f, previous, columns));
            previous = f;
            double cold = wall(f.name(), "cold");
            double naive = wall(f.name(), "naive");
            t.append(String.format("| %s | %.0f | %.0f | %s | %s |", f.name(), cold, naive,
                    ratio(cold / naive, TARGET_VS_NAIVE), ratio(cold / floor, TARGET_VS_FLOOR)));
            if (archived(f)) {
                double cds = wall(f.name(), "appcds");
                t.append(String.format(" %.0f | %s | %s |", cds, ratio(cds / naive, TARGET_VS_NAIVE),
                        ratio(cds / floor, TARGET_VS_FLOOR)));
                if (bench.aot()) {
                    double aot = wall(f.name(), "aot");
                    t.append(String.format(" %.0f | %s | %s |", aot, ratio(aot / naive, TARGET_VS_NAIVE),
                            ratio(aot / floor, TARGET_VS_FLOOR)));
                }
            } else {
                t.append(" – | | |").append(bench.aot() ? " – | | |" : "");
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
        Function previous = null;
        for (Function f : Benchmark.FUNCTIONS) {
            t.append(groupRow(f, previous, 11));
            previous = f;
            List<long[]> w = bench.warm().get(f.name()).warm();
            double calls = w.isEmpty() ? 0 : w.get(0)[2];
            t.append(String.format("| %s | %.0f | %.0f | %s | %.0f | %.1f | %.1f | %.2f | %.0f | %s | %s |%n", f.name(),
                    med(f.name(), "cold", Sample::constructMs), med(f.name(), "cold", Sample::invokeMs),
                    primes(f.name()) ? String.format("%.0f", med(f.name(), "primed", Sample::primeMs)) : "no hook",
                    med(f.name(), "primed", Sample::invokeMs),
                    warmMedian(f.name(), 0), warmMedian(f.name(), 1), warmOverhead(f.name()), calls,
                    orNa(med(f.name(), "cold", Sample::cpuMs), "%.0f"), orNa(med(f.name(), "cold", Sample::peakRssMb), "%.0f")));
        }
        return t.toString();
    }

    /** What each measured invoke does, and why it does the same thing every run. */
    String inputsTable() {
        StringBuilder t = new StringBuilder("| function | zip | each measured invoke |\n|---|---|---|\n");
        for (Function f : Benchmark.FUNCTIONS) {
            t.append(String.format("| %s | %s | %s%s |%n", f.name(), f.module(),
                    f.name().equals("ActivityMonitor") ? bench.activityBatchSize() + " records: " : "", f.steadyState()));
        }
        return t.toString();
    }

    /** Sums over the distinct functions an execution invokes: what it pays if each of its steps starts cold. */
    String perExecutionTable() {
        StringBuilder t = new StringBuilder("| execution | functions (invokes) | Σ cold ms | Σ naive ms | ÷ naive |"
                + " Σ 1st invoke after priming ms |\n|---|---|--:|--:|--:|--:|\n");
        perExecutionRow(t, "onboarding, fresh account", fresh.invokes());
        perExecutionRow(t, "offboarding of an onboarded team", offboard.invokes());
        perExecutionRow(t, "activity monitor, one batch", Map.of("ActivityMonitor", 1));
        return t.toString();
    }

    private void perExecutionRow(StringBuilder t, String label, Map<String, Integer> invokes) {
        List<String> names = Benchmark.FUNCTIONS.stream().map(Function::name).filter(invokes::containsKey).toList();
        double cold = names.stream().mapToDouble(n -> wall(n, "cold")).sum();
        double naive = names.stream().mapToDouble(n -> wall(n, "naive")).sum();
        double primed = names.stream().mapToDouble(n -> med(n, "primed", Sample::invokeMs)).sum();
        int total = invokes.values().stream().mapToInt(Integer::intValue).sum();
        t.append(String.format("| %s | %d (%d) | %.0f | %.0f | %.2f | %.0f |%n", label, names.size(), total, cold, naive,
                cold / naive, primed));
    }

    /** The SDK service modules in the naive fat jar, by their package names. */
    private List<String> naiveServiceModules() {
        try (ZipFile jar = new ZipFile(bench.naiveJar().toFile())) {
            TreeSet<String> services = new TreeSet<>();
            jar.stream().map(ZipEntry::getName).filter(n -> n.startsWith("software/amazon/awssdk/services/"))
                    .map(n -> n.substring("software/amazon/awssdk/services/".length()))
                    .filter(n -> n.indexOf('/') > 0).forEach(n -> services.add(n.substring(0, n.indexOf('/'))));
            return List.copyOf(services);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The biggest jar in a function's zip, and its size in MB. */
    private Map.Entry<String, Double> biggestJar(String module) {
        try (ZipFile zip = new ZipFile(bench.functionZip(module).toFile())) {
            ZipEntry biggest = zip.stream().filter(e -> e.getName().startsWith("lib/") && e.getName().endsWith(".jar"))
                    .max(java.util.Comparator.comparingLong(ZipEntry::getSize)).orElseThrow();
            return Map.entry(biggest.getName().substring(4), biggest.getSize() / 1e6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the module's zip ships a ProGuard-shrunk jar (a lib/*-shrunk.jar entry). */
    private boolean shipsShrunkJar(String module) {
        try (ZipFile zip = new ZipFile(bench.functionZip(module).toFile())) {
            return zip.stream().anyMatch(e -> e.getName().startsWith("lib/") && e.getName().endsWith("-shrunk.jar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> modules() {
        return Benchmark.FUNCTIONS.stream().map(Function::module).distinct().toList();
    }

    String sizeTable() {
        StringBuilder t = new StringBuilder();
        t.append("| artifact | its functions | MB | ÷ naive fat jar |\n|---|---|--:|--:|\n");
        double fat = fatMb();
        for (String module : modules()) {
            double mb = zipMb(module);
            String functions = Benchmark.FUNCTIONS.stream().filter(f -> f.module().equals(module)).map(Function::name)
                    .collect(Collectors.joining(", "));
            t.append(String.format("| functions/%s/target/function.zip%s | %s | %.1f | %s |%n", module,
                    shipsShrunkJar(module) ? " (SageMaker module shrunk)" : "",
                    functions, mb, ratio(mb / fat, TARGET_ZIP)));
        }
        List<String> services = naiveServiceModules();
        t.append(String.format("| naive fat jar (every function module; %d SDK service modules: %s; Apache + Netty"
                + " clients) | all %d | %.1f | 1 |%n", services.size(), String.join(", ", services),
                Benchmark.FUNCTIONS.size(), fat));
        if (bench.shrinkExperiment()) {
            double shrunk = size(bench.shrunk().zip()) / 1e6;
            t.append(String.format("| *experiment, not shipped*: studio-domain with its SageMaker module shrunk by ProGuard"
                    + " (%.1f → %.1f MB) | | %.1f | %s |%n", bench.shrunk().sdkJarBefore() / 1e6,
                    bench.shrunk().sdkJarAfter() / 1e6, shrunk, ratio(shrunk / fat, TARGET_ZIP)));
        }
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

    String onboardingCallsTable() {
        return callsTable(Onboarding.ONBOARDING_MINIMUMS, fresh, repeat, "fresh account", "repeat run");
    }

    String offboardingCallsTable() {
        return callsTable(Onboarding.OFFBOARDING_MINIMUMS, offboard, offboardAgain, "onboarded team", "offboarding again");
    }

    private static String callsTable(List<Onboarding.Minimum> minimums, Onboarding.Counted first,
            Onboarding.Counted again, String firstLabel, String againLabel) {
        StringBuilder t = new StringBuilder();
        t.append("| function | ").append(firstLabel).append(": calls | min | ").append(againLabel)
                .append(": calls | min | why that minimum |\n");
        t.append("|---|---|--:|---|--:|---|\n");
        int minFirst = 0;
        int minAgain = 0;
        for (Onboarding.Minimum m : minimums) {
            t.append(String.format("| %s | %d %s | %d | %d %s | %d | %s |%n", m.function(), first.calls(m.function()),
                    ops(first, m.function()), m.fresh(), again.calls(m.function()), ops(again, m.function()),
                    m.repeat(), m.reason()));
            minFirst += m.fresh();
            minAgain += m.repeat();
        }
        t.append(String.format("| **total** | **%d** | **%d** | **%d** | **%d** | |%n", first.totalCalls(), minFirst,
                again.totalCalls(), minAgain));
        return t.toString();
    }

    /** Which steps make more calls than they need, and why. */
    private static String callsGap(List<Onboarding.Minimum> minimums, Onboarding.Counted first, Onboarding.Counted again,
            String firstLabel, String againLabel) {
        List<String> above = new ArrayList<>();
        for (Onboarding.Minimum m : minimums) {
            int f = first.calls(m.function());
            int r = again.calls(m.function());
            if (f > m.fresh() || r > m.repeat()) {
                above.add(String.format("%s (%s %d vs %d, %s %d vs %d: it %s)", m.function(), firstLabel, f, m.fresh(),
                        againLabel, r, m.repeat(), m.whyMore().isEmpty() ? "makes extra reads" : m.whyMore()));
            }
        }
        return above.isEmpty() ? "Every step makes the minimum number of calls."
                : "Above the minimum: " + String.join("; ", above) + ".";
    }

    String onboardingCallsGap() {
        return callsGap(Onboarding.ONBOARDING_MINIMUMS, fresh, repeat, "fresh", "repeat");
    }

    String offboardingCallsGap() {
        return callsGap(Onboarding.OFFBOARDING_MINIMUMS, offboard, offboardAgain, "first", "again");
    }

    private static String ops(Onboarding.Counted counted, String function) {
        List<String> list = counted.calls().getOrDefault(function, List.of());
        return list.isEmpty() ? "" : "(" + String.join(", ", list) + ")";
    }

    String transitionsTable() {
        var e = polling.counted().execution();
        return "| execution | state transitions | minimum for this definition |\n|---|--:|--:|\n"
                + String.format("| onboarding, fresh account, domain ready at the first check | %d | %d |%n",
                        fresh.execution().stateTransitions(), MIN_TRANSITIONS_FRESH)
                + String.format("| onboarding, repeat run, domain adopted InService | %d | %d |%n",
                        repeat.execution().stateTransitions(), MIN_TRANSITIONS_REPEAT)
                + String.format("| onboarding, 10-minute domain creation, whole execution | %d | |%n", e.stateTransitions())
                + String.format("| … of which the domain branch (EnsureDomain %d, IsDomainReady %d, WaitForDomain %d,"
                        + " CheckDomain %d, DomainReady %d) | **%d** (target ≤ %d: %s) | |%n",
                        e.entered("EnsureDomain"), e.entered("IsDomainReady"), e.entered("WaitForDomain"),
                        e.entered("CheckDomain"), e.entered("DomainReady"), polling.domainBranchTransitions(),
                        TARGET_POLLING, polling.domainBranchTransitions() <= TARGET_POLLING ? "met" : "MISSED")
                + String.format("| … of which the wait loop (IsDomainReady, WaitForDomain, CheckDomain) | %d | |%n",
                        polling.loopTransitions())
                + String.format("| offboarding of an onboarded team, domain gone at the first check (DeleteDomain %d,"
                        + " WaitForDomainDeletion %d) | %d | %d |%n", offboard.execution().entered("DeleteDomain"),
                        offboard.execution().entered("WaitForDomainDeletion"), offboard.execution().stateTransitions(),
                        MIN_TRANSITIONS_OFFBOARD)
                + String.format("| offboarding again, no domain left | %d | %d |%n",
                        offboardAgain.execution().stateTransitions(), MIN_TRANSITIONS_OFFBOARD_AGAIN);
    }

    // ------------------------------------------------------------------------------------------------- verdicts

    /** Every function's ratio for one variant, split into misses and hits. */
    private record Verdicts(List<String> misses, List<String> hits) {
    }

    private Verdicts cold(String variant, double target, boolean vsNaive, List<Function> functions) {
        List<String> misses = new ArrayList<>();
        List<String> hits = new ArrayList<>();
        for (Function f : functions) {
            double r = wall(f.name(), variant) / (vsNaive ? wall(f.name(), "naive") : floor);
            (r <= target ? hits : misses).add(String.format("%s %.2f", f.name(), r));
        }
        return new Verdicts(misses, hits);
    }

    /** The verdict, naming every function measured: those that miss, then those that meet the target. */
    private static String verdict(String what, Verdicts v) {
        int of = v.misses().size() + v.hits().size();
        String measured = of < Benchmark.FUNCTIONS.size() ? " measured (" + of + ")" : "";
        return verdict(what, v, "every function" + measured);
    }

    private static String verdict(String what, Verdicts v, String every) {
        int of = v.misses().size() + v.hits().size();
        if (v.misses().isEmpty()) {
            return what + ": **met** for " + every + " (" + String.join("; ", v.hits()) + ")";
        }
        return what + ": **missed** for " + v.misses().size() + " of " + of + " (" + String.join("; ", v.misses()) + ")"
                + (v.hits().isEmpty() ? "" : "; met for " + String.join("; ", v.hits()));
    }

    private Verdicts zips() {
        List<String> misses = new ArrayList<>();
        List<String> hits = new ArrayList<>();
        for (String module : modules()) {
            double r = zipMb(module) / fatMb();
            (r <= TARGET_ZIP ? hits : misses).add(String.format("%s %.2f", module, r));
        }
        return new Verdicts(misses, hits);
    }

    private List<String> zipMisses() {
        return zips().misses();
    }

    String targets() {
        List<Function> all = Benchmark.FUNCTIONS;
        List<Function> archived = bench.archived();
        StringBuilder t = new StringBuilder();
        t.append("- ").append(verdict("cold ≤ 0.25 × naive", cold("cold", TARGET_VS_NAIVE, true, all))).append('\n');
        t.append("- ").append(verdict("cold ≤ 8 × JVM floor", cold("cold", TARGET_VS_FLOOR, false, all))).append('\n');
        if (!archived.isEmpty()) {
            t.append("  - with AppCDS: ").append(verdict("≤ 0.25 × naive", cold("appcds", TARGET_VS_NAIVE, true, archived)))
                    .append("; ").append(verdict("≤ 8 × floor", cold("appcds", TARGET_VS_FLOOR, false, archived)))
                    .append('\n');
            if (bench.aot()) {
                t.append("  - with an AOT cache: ").append(verdict("≤ 0.25 × naive",
                                cold("aot", TARGET_VS_NAIVE, true, archived)))
                        .append("; ").append(verdict("≤ 8 × floor", cold("aot", TARGET_VS_FLOOR, false, archived)))
                        .append('\n');
            }
        }
        t.append("- ").append(verdict("each zip ≤ 1/3 of the naive fat jar", zips(), "every zip"))
                .append('\n');
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
                + "\nCold starts per execution\n" + perExecutionTable()
                + "\nArtifact size\n" + sizeTable()
                + (bench.shrinkExperiment() ? "\nCold invoke of the shrunk studio-domain zip (size experiment)\n"
                        + shrunkTable() : "")
                + "\nHTTP client\n" + httpTable()
                + "\nAPI calls per onboarding\n" + onboardingCallsTable() + onboardingCallsGap() + "\n"
                + "\nAPI calls per offboarding\n" + offboardingCallsTable() + offboardingCallsGap() + "\n"
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

        List<String> throughGaps = Benchmark.FUNCTIONS.stream().filter(Function::gaps).map(Function::name).toList();
        d.append("## What is measured here, and what is a local proxy for Lambda\n\n");
        d.append("""
                Every handler template.yaml deploys is measured: the %d functions of onboarding's and offboarding's
                steps, and the activity monitor. Every onboarding pays these cold starts on each of its steps, every offboarding on
                each of its own, and so does the activity monitor for each batch that finds no warm environment.

                - **Cold invoke** = one fresh JVM that builds the handler and invokes it once against moto on loopback,
                  wall time of the whole process. A **local proxy**: Lambda's java21 runtime is Amazon Corretto 21 on
                  Firecracker with a CPU share set by the memory size; here it is %s on this machine's cores. Plain HTTP
                  to moto has no TLS handshake and ~1 ms latency, where AWS has TLS and 10-100 ms per call. Lambda's
                  cold start also includes fetching the zip and starting the runtime, which no local figure includes.
                  Our variant uses `-XX:TieredStopAtLevel=1` (the java21 runtime's default) and `-XX:+UseSerialGC`
                  (what the JVM picks by itself below 2 vCPUs or 1,792 MB, so on Lambda at 512 MB); the naive
                  baseline (the same handler code from one fat jar of every function and SDK module, clients from
                  `XxxClient.builder().build()`) and the floor use no flags.
                - **With SnapStart** (what template.yaml deploys), a cold start is a snapshot restore, not a JVM start:
                  JVM start, class loading and the handler's constructor happen once per published version. The local
                  proxy for what is left is **1st invoke after priming**: the handler built, the SnapStart hooks run
                  through the same CRaC registration Lambda uses, then the first invoke timed in-process (*no hook*
                  below: the handler registers none, so that invoke is the unprimed one). Restore time itself cannot
                  be measured without Lambda.
                - **Warm invoke** = the same JVM after %d warm-up invokes, median of %d; *handler overhead* = total minus
                  the time inside SDK calls (an SDK execution interceptor, first hook to last). Real, not a proxy: it is
                  CPU work in our code and JSON binding, though at this machine's speed, not Lambda's CPU share.
                - **Sizes**, **API calls** and **state transitions** are exact, not proxies: the zips are the deployed
                  artifacts, and the counts come from the real ASL executed by aws-local-stepfunctions with the real
                  handlers (moto stands in for AWS; a stub keeps the domain Pending for the 10-minute case).
                - Every measured invoke is **repeatable**, so runs stay identical round after round: onboarding steps
                  adopt the sample team, which exists; offboarding steps that only read run against it too; those
                  that would delete something run against a second team that was offboarded while the inputs were
                  captured; ClaimTeam and RecordOutcome get the team's claim put back as the workflow would leave it.
                  Inputs are what the workflow passes each step. The table below says what each invoke does.
                - %s call operations moto lacks, so they reach it through MotoGaps (a WireMock proxy in the
                  benchmark's own JVM, the one scripts/run-local.sh uses), in every variant alike: one more loopback
                  hop per call, and the proxy's CPU shares this machine's cores with the measured JVM.
                - The activity monitor is a `RequestHandler<SQSEvent, SQSBatchResponse>`; the launcher binds the queue's
                  JSON event to `SQSEvent` with the zip's jackson-jr inside the timed invoke, standing in for the
                  Lambda runtime's own event binding.
                %s
                """.formatted(Benchmark.FUNCTIONS.size() - 1, System.getProperty("java.vm.name") + " " + Runtime.version(),
                bench.warmups(), bench.measured(), String.join(", ", throughGaps),
                bench.archived().size() == Benchmark.FUNCTIONS.size() ? ""
                        : bench.archived().isEmpty() ? "- **AppCDS and the AOT cache** were not measured in this run"
                                + " (`--archives none`); – marks them.\n"
                        : "- **AppCDS and the AOT cache** were measured for " + String.join(", ",
                                bench.archived().stream().map(Function::name).toList())
                                + " only (`--archives`), to keep the run short; – marks the others.\n"));

        d.append("## Cold invoke (median of ").append(bench.runs()).append(" interleaved runs, wall ms)\n\n");
        d.append(coldTable()).append('\n');
        d.append("Ratios marked ✗ miss the issue's targets (cold ≤ 0.25 × naive, ≤ 8 × floor).\n\n");
        d.append("## In-process timings and warm invokes (medians)\n\n");
        d.append(inProcessTable()).append('\n');
        d.append("*build handler* and *1st invoke* split the cold run above; *priming* is the SnapStart hook's own time;"
                + " *cold CPU* is user + system time of the whole cold process (more than wall time when the JIT and GC"
                + " threads run beside the main one); *SDK calls / invoke* is counted in the warm run (the activity"
                + " monitor's team lookups are cached by then).\n\n");
        d.append("## What each measured invoke does\n\n").append(inputsTable()).append('\n');
        d.append("## Cold starts per execution\n\n").append(perExecutionTable()).append('\n');
        d.append("""
                Sums of the medians above over the distinct functions each execution invokes: what it pays when every
                step meets a cold environment, which is the normal case for onboarding and offboarding (rare, minutes
                apart per step). A function invoked again in the same execution (CheckDomain's polls, the sweeps)
                usually finds its environment warm, so it is counted once. With SnapStart the last column is the
                proxy for what is left of those cold starts.

                """);
        d.append("## Artifact size\n\n").append(sizeTable()).append('\n');
        d.append(sizeText());
        d.append("## HTTP client: URL-connection vs AWS CRT (EnsureTrail, median of ").append(bench.runs()).append(")\n\n");
        d.append(httpTable()).append('\n');
        d.append("""
                Keep the URL-connection client. The CRT client is native code behind JNI: its jar carries the natives
                of every platform (a zip would have to be trimmed to linux-aarch64 by hand to stay small), and its
                native library is extracted to a temporary file and loaded at start-up, which is where its extra cold
                time goes. For a handful of sequential calls per invoke, its better throughput buys nothing.

                """);
        d.append("## Per onboarding and offboarding: API calls and state transitions\n\n");
        d.append("API calls per function, counted from real executions (SDK clients wrapped per function; saved Logs"
                + " Insights queries, which moto lacks, are kept in memory by the counting so that a repeat run finds"
                + " them as it would on AWS). Onboarding, on a fresh account and again:\n\n");
        d.append(onboardingCallsTable()).append('\n');
        d.append(onboardingCallsGap()).append("\n\n");
        d.append("Offboarding of the onboarded team (its domain has no apps, spaces or user profiles), then again:\n\n");
        d.append(offboardingCallsTable()).append('\n');
        d.append(offboardingCallsGap()).append(" Closing these gaps is optional: the state transitions below cost more"
                + " than every Lambda invoke of an execution together.\n\n");
        d.append(transitionsTable()).append('\n');
        d.append("""
                Every state is entered once except the poll loops. Onboarding's loop costs 3 transitions per poll
                (Choice, Wait, Task) plus the final Choice; with waits of 60 s doubling to a cap of 240 s, a 10-minute
                creation takes 4 polls. Offboarding's sweeps cost 2 transitions each (Task, Choice) and 1 more per
                Wait; moto deletes a domain at once, so here DeleteDomain runs twice (delete, then find it gone), where
                AWS takes minutes and adds 3 transitions per 30 s poll. Retries would add transitions; none happened
                here.

                """);
        d.append("## Targets\n\n").append(targets()).append('\n');
        d.append(whyColdMisses());
        d.append(recommendations());
        return d.toString();
    }

    /** Why the zips that miss the size target miss it, and the shrinking experiment when it ran. */
    private String sizeText() {
        StringBuilder t = new StringBuilder();
        List<String> misses = new ArrayList<>();
        boolean sageMaker = false;
        for (String module : modules()) {
            double over = zipMb(module) - fatMb() * TARGET_ZIP;
            if (over > 0) {
                Map.Entry<String, Double> jar = biggestJar(module);
                misses.add(String.format("%s by %.1f MB (its biggest jar: %s, %.1f MB)", module, over, jar.getKey(),
                        jar.getValue()));
                sageMaker |= jar.getKey().startsWith("sagemaker-") && !jar.getKey().endsWith("-shrunk.jar");
            }
        }
        if (!misses.isEmpty()) {
            t.append("Over the size target: ").append(String.join("; ", misses)).append('.');
            t.append(sageMaker ? " The SageMaker SDK module holds the models of every SageMaker operation, while"
                    + " studio-domain calls a handful and the activity monitor one (DescribeDomain); the rest of each"
                    + " zip is the SDK core every function carries, its other service module if any (and in the"
                    + " activity monitor the Lambda events library, with joda-time), the URL-connection client and no"
                    + " logging backend.\n\n" : "\n\n");
        }
        if (bench.shippedShrunkJar() != null) {
            t.append("The functions that use SageMaker (studio-domain, activity-monitor) ship its SDK module shrunk by"
                    + " ProGuard to what their classes reach (`").append(bench.shippedShrunkJar()).append("`; shrinking"
                    + " only, in the modules' prepare-package phase: `functions/pom.xml`, `functions/shrink-sagemaker.pro`),"
                    + " proven by `DeployedArtifactsTest`, which runs both workflows and the activity monitor from the"
                    + " zips themselves. So this run tries no size experiment of its own.\n\n");
            return t.toString();
        }
        if (!bench.shrinkExperiment()) {
            t.append("studio-domain's zip is within a third of the naive fat jar, so this run tries no size experiment.\n\n");
            return t.toString();
        }
        t.append("""
                The fix that works is shrinking that jar to what the code reaches, which this run tried for
                studio-domain with ProGuard (shrinking only: no obfuscation, no optimisation, all attributes kept;
                `benchmarks/src/main/java/mlteams/bench/Shrink.java`):

                %s
                The shrunk zip passed these checks, each in a fresh JVM against moto: %s.

                **Not adopted in the build yet.** It would meet the target, but every SDK path the shrinker could
                have cut fails only at run time, and the end-to-end tests run the module classes, not the zips. To
                adopt it: run the same ProGuard configuration in functions/studio-domain's package phase (its JDK
                library must come from `jrt:/` or `jimage extract`, since Temurin 25 ships no jmods), and first add a
                test that runs the workflow against the zips themselves. Once the build ships a `*-shrunk.jar`, this
                benchmark sees it and stops the experiment. The activity monitor carries the same module and would
                shrink the same way. Lambda's own limit (50 MB zipped) is far away either way, and with SnapStart the
                zip size does not touch restore time.

                """.formatted(shrunkTable(), String.join("; ", bench.shrunkChecks())));
        return t.toString();
    }

    private String whyColdMisses() {
        double cold = median(Benchmark.FUNCTIONS.stream().mapToDouble(f -> wall(f.name(), "cold")).toArray());
        double cds = median(bench.archived().stream().mapToDouble(f -> wall(f.name(), "appcds")).toArray());
        List<Function> priming = Benchmark.FUNCTIONS.stream().filter(f -> primes(f.name())).toList();
        double primed = median(priming.stream().mapToDouble(f -> med(f.name(), "primed", Sample::invokeMs)).toArray());
        double first = median(priming.stream().mapToDouble(f -> med(f.name(), "cold", Sample::invokeMs)).toArray());
        return """
                ### Why the cold targets are hard for a JVM start, and what was tried

                A cold JVM start of EnsureTrail loads about 4,000 classes, some 2,700 of them from the function's jars
                (not in the JDK's own archive), and the SDK loads the metadata of every AWS Region and service when
                a client resolves its signing region (`ServiceMetadata.of`, even with an endpoint override), builds the
                TLS trust store when the HTTP client is built, and initialises signing, endpoint rules and JSON
                marshalling on the first call. At C1 on this machine that is about %.0f ms (median over functions), against
                %.0f ms for hello world. What was tried:

                - **Fewer and lighter dependencies** (already the design): one or two SDK service modules per zip, the
                  URL-connection client, jackson-jr instead of databind, explicit region and credentials so no provider
                  chain is walked, no logging backend.
                - **Lambda's JVM flags** (C1 only, serial GC), as measured above.
                - **Another jar layout** (checked by hand on EnsureLogStream, not part of this script): the zip's
                  classes and jars merged into one jar, stored uncompressed or deflated, or one exploded folder, start
                  within noise of the shipped layout (621, 681 and 645 ms against 630 ms, medians of 7). The time
                  is in defining, verifying and initialising the classes, not in reading them. About 100 ms of it is
                  fixed by the SDK's design: `AwsDefaultClientBuilder` resolves the signing region through
                  `ServiceMetadata.of`, whose provider instantiates all 316 services' metadata classes in its static
                  initialiser, and the SDK offers no hook to skip it.
                - **A local snapshot-restore measurement** (what SnapStart does): CRIU is the only tool for it here,
                  and Debian 12's CRIU 3.17 refuses this kernel (`criu check`: unexpected vDSO bounds on 6.18);
                  CRIU 4.1 needs Debian 13's C library. So restore time itself stays unmeasured.
                - **Application class-data sharing**: %s (classes parsed and verified ahead of time). It
                  closes most of the gap to the naive target but not to the floor target, and is **not adopted** for
                  Lambda: the archive must come from the exact JVM build that runs it (Lambda's Corretto 21, which AWS
                  patches without notice; a mismatched archive is rejected at start-up and the JVM runs without it),
                  CDS cannot archive the zip's root classes (a directory on Lambda's classpath; the training run
                  here refuses to dump until they are in a jar), and SnapStart already takes class loading out of
                  cold starts.%s
                - **SnapStart with priming** (adopted): on Lambda a cold start of these functions is a snapshot
                  restore followed by the first invoke, and the local proxy for that invoke is %.0f ms after priming
                  against %.0f ms without (medians over %s). The targets are measured here on whole-process
                  time, which SnapStart does not change, so the cold rows above stay marked missed.

                """.formatted(cold, floor, Double.isNaN(cds) ? "not measured in this run (`--archives none`)"
                        : String.format("%.0f ms median", cds), bench.aot()
                        ? " The JDK 25 **AOT cache** (JEP 483/515) goes further, with the same caveats; it becomes an option"
                        + " with the java25 runtime only if SnapStart is ever turned off, built in a container that matches"
                        + " Lambda's runtime." : "",
                primed, first, priming.size() == Benchmark.FUNCTIONS.size() ? "all " + priming.size() + " functions"
                        : "the " + priming.size() + " of " + Benchmark.FUNCTIONS.size() + " functions that prime");
    }

    private String recommendations() {
        double maxRss = Benchmark.FUNCTIONS.stream().mapToDouble(f -> med(f.name(), "cold", Sample::peakRssMb)).max().orElse(Double.NaN);
        double maxOverhead = Benchmark.FUNCTIONS.stream().mapToDouble(f -> warmOverhead(f.name())).max().orElse(Double.NaN);
        double maxCpu = Benchmark.FUNCTIONS.stream().mapToDouble(f -> med(f.name(), "cold", Sample::cpuMs)).max().orElse(Double.NaN);
        double maxPrimed = Benchmark.FUNCTIONS.stream().filter(f -> primes(f.name()))
                .mapToDouble(f -> med(f.name(), "primed", Sample::invokeMs)).max().orElse(Double.NaN);
        List<String> unprimed = Benchmark.FUNCTIONS.stream().filter(f -> !primes(f.name())).map(Function::name).toList();
        int invokes = polling.counted().invokes().values().stream().mapToInt(Integer::intValue).sum();
        return """
                ## Architecture and memory

                **arm64 (Graviton), as template.yaml has it.** It is about 20 %% cheaper per GB-second than x86_64 at
                the same memory, SnapStart supports it, and these zips are pure Java (the URL-connection client has no
                native code), so nothing changes between architectures. Nothing measured here favours x86_64.

                **512 MB for every function, instead of 1024 MB.** The figures that decide it:
                - memory: the peak RSS of a whole cold invoke (JVM, SDK, its clients) is at most %s MB here, so
                  512 MB leaves more than 3× headroom;
                - CPU: once restored from the snapshot, our own work per invoke is at most %.2f ms warm and %.0f ms
                  on the first invoke after priming%s, at a full core here. At 512 MB's share (about 0.29 vCPU;
                  1,769 MB = 1 vCPU) that first invoke takes roughly 3.5× longer, about twice as long as at
                  1024 MB: up to about %.1f s once per environment, in workflows that wait minutes for a domain
                  and that no person waits on;
                - the rest of each invoke is waiting on AWS APIs, billed per GB-second and not shortened by more
                  memory, so 512 MB halves it; without a snapshot ($LATEST, or SnapStart turned off) a cold start
                  needs about %s ms of CPU here, a few seconds at 512 MB, still far inside the 60 s timeout.
                Cost is no reason either way: a 10-minute onboarding is %d short invokes (well under a tenth
                of a cent at either size), and its %d state transitions ($0.025 per 1,000) cost more than its
                Lambda time. Keep 1024 MB only where the faster first invoke after a restore is worth it; nothing
                here needs it.

                """.formatted(orNa(maxRss, "%.0f"), maxOverhead, maxPrimed, unprimed.isEmpty() ? ""
                        : " (of the handlers that prime; " + String.join(", ", unprimed) + " register no hook yet, so"
                        + " their first invoke after a restore is still the unprimed one)", maxPrimed * 3.5 / 1000,
                        orNa(maxCpu, "%.0f"), invokes,
                polling.counted().execution().stateTransitions());
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
