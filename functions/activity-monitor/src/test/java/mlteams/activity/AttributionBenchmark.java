package mlteams.activity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * scripts/benchmark-attribution.sh: events per second through parse + attribution + activity-line formatting on one
 * thread, over the corpus's well-formed records scaled up (each copy with its own eventID), with an in-memory team
 * lookup. Side by side in the same JVM and the same run:
 * <ul>
 *   <li>Attributor (byte[]): {@link Attributor#attribute(byte[])} + {@link ActivityFormat#json}, the Lambda's path;</li>
 *   <li>Attributor (String): the same from a String, as an SQS message body arrives;</li>
 *   <li>baseline: jackson-databind {@code ObjectMapper.readTree} of the whole record, the same attribution rules over
 *       the tree ({@link TreeAttribution}), and the line written by the mapper.</li>
 * </ul>
 * Variants alternate within every round, so drift on a noisy machine hits them alike. Not a test: a main class in
 * the test sources, so databind never reaches the Lambda's classpath.
 */
public final class AttributionBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    interface Variant {
        String name();

        long run(int i); // returns something derived from the output, so nothing is optimised away
    }

    public static void main(String[] args) throws Exception {
        int records = 200_000;
        int rounds = 7;
        int warmup = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--records" -> records = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }

        TeamLookup lookup = Corpus.fixedLookup();
        List<String> corpus = Corpus.asWritten().cases().stream().filter(c -> !c.malformed()).map(Corpus.Case::recordJson).toList();
        Attributor attributor = new Attributor(lookup);
        for (String record : corpus) { // both paths must agree before their speed means anything
            ActivityRecord streamed = attributor.attribute(record.getBytes(StandardCharsets.UTF_8));
            ActivityRecord bound = TreeAttribution.attribute(MAPPER, record.getBytes(StandardCharsets.UTF_8), lookup);
            if (!streamed.equals(bound) || !ActivityFormat.json(streamed).equals(MAPPER.writeValueAsString(bound))) {
                throw new IllegalStateException("streaming and databind disagree on " + record);
            }
        }

        byte[][] bytes = new byte[records][];
        String[] strings = new String[records];
        long totalBytes = 0;
        for (int i = 0; i < records; i++) {
            String template = corpus.get(i % corpus.size());
            int at = template.indexOf("\"eventID\":\"") + 11;
            String record = template.substring(0, at) + String.format("%08x-bench-%08d", i * 2654435761L & 0xffffffffL, i)
                    + template.substring(template.indexOf('"', at));
            strings[i] = record;
            bytes[i] = record.getBytes(StandardCharsets.UTF_8);
            totalBytes += bytes[i].length;
        }

        int n = records;
        List<Variant> variants = List.of(
                variant("Attributor (byte[])", i -> ActivityFormat.json(attributor.attribute(bytes[i])).length()),
                variant("Attributor (String)", i -> ActivityFormat.json(attributor.attribute(strings[i])).length()),
                variant("baseline: databind readTree", i -> {
                    try {
                        return MAPPER.writeValueAsString(TreeAttribution.attribute(MAPPER, bytes[i], lookup)).length();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }));

        System.out.printf(Locale.ROOT, "%d records cycling through %d corpus records, %d bytes on average; %d warm-up"
                        + " and %d measured rounds; java %s, %s, %d processor(s) visible%n",
                n, corpus.size(), totalBytes / n, warmup, rounds, System.getProperty("java.version"),
                jit(), Runtime.getRuntime().availableProcessors());
        long sink = 0;
        for (int r = 0; r < warmup; r++) {
            for (Variant v : variants) {
                sink += pass(v, n)[1];
            }
        }
        double[][] rates = new double[variants.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < variants.size(); k++) {
                long[] result = pass(variants.get(k), n);
                rates[k][r] = n * 1e9 / result[0];
                sink += result[1];
            }
        }

        double baseline = median(rates[variants.size() - 1]);
        System.out.println();
        System.out.println("| variant | events/s (median) | min | max | ratio to baseline |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (int k = 0; k < variants.size(); k++) {
            double[] sorted = rates[k].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %.2f× |%n", variants.get(k).name(),
                    median(rates[k]), sorted[0], sorted[sorted.length - 1], median(rates[k]) / baseline);
        }
        System.out.println();
        System.out.println("(checksum " + sink + ")");
    }

    private static Variant variant(String name, java.util.function.IntToLongFunction body) {
        return new Variant() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long run(int i) {
                return body.applyAsLong(i);
            }
        };
    }

    /** {elapsed nanoseconds, checksum} of one pass over every record. */
    private static long[] pass(Variant v, int n) {
        long sum = 0;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sum += v.run(i);
        }
        return new long[] {System.nanoTime() - start, sum};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static String jit() {
        List<String> flags = new ArrayList<>();
        for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:")) {
                flags.add(arg);
            }
        }
        return flags.isEmpty() ? "default JVM flags" : String.join(" ", flags);
    }
}
