package mlteams.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mlteams.bench.Runs.Sample;
import mlteams.bench.Template.Function;
import mlteams.bench.Workflows.Counted;

/**
 * Fills docs/performance.template.md: each {@code {{name}}} becomes a table or a figure of this run. The prose is
 * the template's; a placeholder it names that this class does not know is an error.
 */
final class Report {

    private final Benchmark b;
    private final Map<String, String> values = new LinkedHashMap<>();

    Report(Benchmark b, double seconds) throws IOException {
        this.b = b;
        values.put("seconds", String.format(Locale.ROOT, "%.0f", seconds));
        values.put("runs", Integer.toString(b.runs));
        values.put("warmups", Integer.toString(b.warmups));
        values.put("measured", Integer.toString(b.measured));
        values.put("functions", Integer.toString(b.functions.size()));
        values.put("date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
        values.put("machine", machine());
        values.put("cold_table", coldTable());
        values.put("warm_table", warmTable());
        values.put("sizes_table", sizesTable());
        values.put("calls_table", callsTable());
        values.put("transitions_table", transitionsTable());
        List<Double> ratios = new ArrayList<>();
        List<Double> primedRatios = new ArrayList<>();
        for (Function f : b.functions) {
            ratios.add(median(f, "cold", Sample::wallMs) / median(f, "baseline cold", Sample::wallMs));
            primedRatios.add(median(f, "primed", Sample::invokeMs) / median(f, "baseline primed", Sample::invokeMs));
        }
        values.put("cold_ratio_median", f2(median(ratios)));
        values.put("cold_ratio_range", f2(Collections.min(ratios)) + "–" + f2(Collections.max(ratios)));
        values.put("primed_ratio_range", f2(Collections.min(primedRatios)) + "–" + f2(Collections.max(primedRatios)));
        values.put("primed_ratio_median", f2(median(primedRatios)));
        values.put("cold_ms_median", f0(overFunctions("cold", Sample::wallMs)));
        values.put("baseline_ms_median", f0(overFunctions("baseline cold", Sample::wallMs)));
        values.put("unprimed_ms_median", f0(overFunctions("cold", Sample::invokeMs)));
        values.put("primed_ms_median", f0(overFunctions("primed", Sample::invokeMs)));
        values.put("primed_ms_max", f0(maxOverFunctions("primed", Sample::invokeMs)));
        values.put("rss_max", f0(maxOverFunctions("cold", Sample::peakRssMb)));
        values.put("cpu_max", f0(maxOverFunctions("cold", Sample::cpuMs)));
        values.put("overhead_max", f2(b.functions.stream().mapToDouble(f -> warmMedian(f, 2)).max().orElseThrow()));
    }

    String markdown(Path template) throws IOException {
        Matcher m = Pattern.compile("\\{\\{([a-z_]+)}}").matcher(Files.readString(template));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException(template + " names {{" + m.group(1) + "}}, which Report.java does not fill");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    String console() {
        return String.join("\n\n", values.get("cold_table"), values.get("warm_table"), values.get("sizes_table"),
                values.get("transitions_table"));
    }

    private String coldTable() {
        StringBuilder t = new StringBuilder("| function | module | cold ms | baseline ms | cold ÷ baseline"
                + " | 1st invoke after priming ms | baseline ms | ÷ baseline | priming ms | hooks |\n"
                + "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Function f : b.functions) {
            double cold = median(f, "cold", Sample::wallMs);
            double base = median(f, "baseline cold", Sample::wallMs);
            double primed = median(f, "primed", Sample::invokeMs);
            double primedBase = median(f, "baseline primed", Sample::invokeMs);
            int hooks = b.samples.get(f.name()).get("primed").get(0).hooks();
            t.append(row(f.name(), f.module(), f0(cold), f0(base), f2(cold / base), f0(primed), f0(primedBase),
                    f2(primed / primedBase), f0(median(f, "primed", Sample::primeMs)),
                    hooks == 0 ? "none" : Integer.toString(hooks)));
        }
        return t.toString().stripTrailing();
    }

    private String warmTable() {
        StringBuilder t = new StringBuilder("| function | build handler ms | 1st invoke ms | warm invoke ms | in SDK ms"
                + " | handler overhead ms | SDK calls / invoke | cold CPU ms | cold peak RSS MB |\n"
                + "|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Function f : b.functions) {
            t.append(row(f.name(), f0(median(f, "cold", Sample::constructMs)), f0(median(f, "cold", Sample::invokeMs)),
                    f1(warmMedian(f, 0)), f1(warmMedian(f, 1)), f2(warmMedian(f, 2)), f0(warmMedian(f, 3)),
                    f0(median(f, "cold", Sample::cpuMs)), f0(median(f, "cold", Sample::peakRssMb))));
        }
        return t.toString().stripTrailing();
    }

    private String sizesTable() {
        StringBuilder t = new StringBuilder("| module | functions | function.zip MB | baseline jar MB | zip ÷ baseline |\n"
                + "|---|---|--:|--:|--:|\n");
        for (String module : b.functions.stream().map(Function::module).distinct().toList()) {
            try {
                double zip = Files.size(b.zip(module)) / 1048576.0;
                double jar = Files.size(b.baselineJar(module)) / 1048576.0;
                t.append(row(module, String.join(", ", b.functions.stream().filter(f -> f.module().equals(module))
                        .map(Function::name).toList()), f1(zip), f1(jar), f2(zip / jar)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return t.toString().stripTrailing();
    }

    private String callsTable() {
        StringBuilder t = new StringBuilder("| function |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Counted c : b.counted) {
            t.append(' ').append(c.label()).append(" |");
            rule.append("---|");
        }
        t.append('\n').append(rule).append('\n');
        for (Function f : b.functions) {
            if (b.counted.stream().noneMatch(c -> c.calls().containsKey(f.name()))) {
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(f.name()));
            for (Counted c : b.counted) {
                List<String> calls = c.calls().getOrDefault(f.name(), List.of());
                Map<String, Integer> byOperation = new LinkedHashMap<>();
                calls.forEach(op -> byOperation.merge(op, 1, Integer::sum));
                StringBuilder cell = new StringBuilder(calls.size() + (calls.isEmpty() ? "" : ": "));
                byOperation.forEach((op, n) -> cell.append(n > 1 ? n + "× " : "").append(op).append(", "));
                cells.add(calls.isEmpty() ? "0" : cell.substring(0, cell.length() - 2));
            }
            t.append(row(cells.toArray(String[]::new)));
        }
        List<String> totals = new ArrayList<>(List.of("**total**"));
        b.counted.forEach(c -> totals.add("**" + c.total() + "**"));
        return t.append(row(totals.toArray(String[]::new))).toString().stripTrailing();
    }

    private String transitionsTable() {
        StringBuilder t = new StringBuilder("| execution | state transitions | AWS API calls |\n|---|--:|--:|\n");
        b.counted.forEach(c -> t.append(row(c.label(), Long.toString(c.transitions()), Integer.toString(c.total()))));
        return t.toString().stripTrailing();
    }

    private String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D+", "");
        String[] load = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return "| | |\n|---|---|\n" + row("date", values.get("date")) + row("nproc",
                Integer.toString(Runtime.getRuntime().availableProcessors())) + row("CPU", cpu)
                + row("memory", String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(memory) / 1048576.0))
                + row("OS / arch", System.getProperty("os.name") + " " + System.getProperty("os.version") + " / "
                        + System.getProperty("os.arch"))
                + row("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                + row("load average at the end (1, 5, 15 min)", load[0] + " " + load[1] + " " + load[2]);
    }

    private double median(Function f, String variant, ToDoubleFunction<Sample> value) {
        return median(b.samples.get(f.name()).get(variant).stream().map(value::applyAsDouble).toList());
    }

    /** The median over functions of each function's median. */
    private double overFunctions(String variant, ToDoubleFunction<Sample> value) {
        return median(b.functions.stream().map(f -> median(f, variant, value)).toList());
    }

    private double maxOverFunctions(String variant, ToDoubleFunction<Sample> value) {
        return b.functions.stream().mapToDouble(f -> median(f, variant, value)).max().orElseThrow();
    }

    /** Of the warm invokes: 0 total ms, 1 in SDK ms, 2 overhead ms (total minus in SDK), 3 SDK calls. */
    private double warmMedian(Function f, int what) {
        return median(b.warm.get(f.name()).warm().stream().map(w -> switch (what) {
            case 0 -> w[0] / 1e6;
            case 1 -> w[1] / 1e6;
            case 2 -> (w[0] - w[1]) / 1e6;
            default -> (double) w[2];
        }).toList());
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String f0(double v) { return v < 0 ? "–" : String.format(Locale.ROOT, "%.0f", v); }

    private static String f1(double v) { return String.format(Locale.ROOT, "%.1f", v); }

    private static String f2(double v) { return String.format(Locale.ROOT, "%.2f", v); }
}
