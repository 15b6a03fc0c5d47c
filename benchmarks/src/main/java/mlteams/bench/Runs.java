package mlteams.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts one measured JVM and reads what it reports: wall time of the whole process (fork to exit, measured
 * here), CPU time and peak RSS (from GNU time, when the machine has it), and the launcher's own in-process
 * timings. A run that fails or prints no output aborts the benchmark: a broken variant must never look fast.
 */
final class Runs {

    /** One process. Times in milliseconds; -1 where not measured (hooks: SnapStart hooks run, primed only). */
    record Sample(double wallMs, double cpuMs, double peakRssMb, double constructMs, double primeMs, double invokeMs,
            int hooks, List<long[]> warm, String output) {
    }

    private static final Path GNU_TIME = Path.of("/usr/bin/time");

    private final Path java;
    private final Map<String, String> env;
    private final Path scratch;
    private final boolean gnuTime;

    Runs(Path java, Map<String, String> env, Path scratch) {
        this.java = java;
        this.env = env;
        this.scratch = scratch;
        this.gnuTime = Files.isExecutable(GNU_TIME); // GNU time: CPU time and peak RSS
    }

    Sample run(List<String> jvmFlags, String classpath, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        Path timeFile = scratch.resolve("time.txt");
        if (gnuTime) {
            command.addAll(List.of(GNU_TIME.toString(), "-f", "%e %U %S %M", "-o", timeFile.toString()));
        }
        command.add(java.toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        Path stdout = scratch.resolve("stdout.txt");
        Path stderr = scratch.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Files.deleteIfExists(timeFile);
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after 120 s: " + String.join(" ", command));
            }
            double wallMs = (System.nanoTime() - start) / 1e6;
            List<String> lines = Files.readAllLines(stdout);
            if (process.exitValue() != 0 || lines.isEmpty() || lines.get(0).isBlank()) {
                throw new IllegalStateException("failed (exit " + process.exitValue() + "): " + String.join(" ", command)
                        + "\n--- stdout\n" + String.join("\n", lines) + "\n--- stderr\n" + tail(Files.readString(stderr)));
            }
            double cpuMs = -1;
            double rssMb = -1;
            if (gnuTime && Files.exists(timeFile)) {
                List<String> time = Files.readAllLines(timeFile);
                String[] t = time.get(time.size() - 1).trim().split(" ");
                cpuMs = (Double.parseDouble(t[1]) + Double.parseDouble(t[2])) * 1000;
                rssMb = Double.parseDouble(t[3]) / 1024;
            }
            Map<String, Double> timings = new java.util.HashMap<>();
            List<long[]> warm = new ArrayList<>();
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f[0].equals("#warm")) {
                    warm.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
                } else if (f[0].startsWith("#")) {
                    timings.put(f[0], Long.parseLong(f[1]) / (f[0].equals("#hooks") ? 1 : 1e6));
                }
            }
            return new Sample(wallMs, cpuMs, rssMb, timings.getOrDefault("#construct", -1.0),
                    timings.getOrDefault("#prime", -1.0), timings.getOrDefault("#invoke", -1.0),
                    timings.getOrDefault("#hooks", -1.0).intValue(), warm, lines.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(String text) {
        return text.length() > 4000 ? "…" + text.substring(text.length() - 4000) : text;
    }
}
