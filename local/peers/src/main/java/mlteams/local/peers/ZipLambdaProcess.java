package mlteams.local.peers;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A {@link ZipLambdaHost} in a JVM of its own, started with exactly the environment given (nothing inherited from
 * this process), on a classpath of the host and its few libraries only. Its log lines are passed on to this
 * process's stderr. Stopped, by the process it started, on {@link #close()}.
 */
public final class ZipLambdaProcess implements AutoCloseable {

    /** As the Lambda Java runtime starts the JVM: C1 only, which suits short-lived, I/O-bound work. */
    private static final List<String> JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto");
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final int LOG_TAIL_LINES = 60;

    private final Process process;
    private final URI endpoint;
    private final Path work;
    private final Deque<String> logTail;
    private final HttpClient http = HttpClient.newHttpClient();

    private ZipLambdaProcess(Process process, URI endpoint, Path work, Deque<String> logTail) {
        this.process = process;
        this.endpoint = endpoint;
        this.work = work;
        this.logTail = logTail;
    }

    /**
     * Starts the host and waits until every function is built and served.
     *
     * @param environment the whole environment of the functions' process: nothing else is passed on
     * @throws IllegalStateException with the host's last log lines, if it exits or is not ready in time
     */
    public static ZipLambdaProcess start(List<ZipLambdaHost.Function> functions, Map<String, String> environment) {
        Path work;
        try {
            work = Files.createTempDirectory("zip-lambda-host-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Deque<String> tail = new ArrayDeque<>();
        Process process = null;
        try {
            Path spec = work.resolve("functions.json");
            Files.writeString(spec, ZipLambdaHost.writeSpec(functions));
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JVM_FLAGS);
            command.addAll(List.of("-cp", hostClasspath(), ZipLambdaHost.class.getName(), spec.toString(),
                    work.resolve("task").toString()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            process = builder.start();
            Thread relay = relay(process, tail);
            Process started = process;
            String line;
            String failure;
            try {
                line = CompletableFuture.supplyAsync(() -> readyLine(started))
                        .get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                // No ready line and its stdout closed: it is ending.
                failure = line != null ? null : process.waitFor(30, TimeUnit.SECONDS)
                        ? "exited with " + process.exitValue() : "closed its stdout without being ready";
            } catch (TimeoutException | ExecutionException e) {
                line = null;
                failure = "was not ready after " + READY_TIMEOUT;
            }
            if (failure != null) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                relay.join(5_000); // what the host printed last
                throw new IllegalStateException("The function host " + failure + "; its last lines:\n" + joined(tail));
            }
            return new ZipLambdaProcess(process, URI.create(line.substring(ZipLambdaHost.READY.length()).trim()), work,
                    tail);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            delete(work);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof RuntimeException runtime ? runtime
                    : e instanceof IOException io ? new UncheckedIOException(io) : new IllegalStateException(e);
        }
    }

    /** Serves POST /invoke/{function}, as {@link LocalLambda#start()} does. */
    public URI endpoint() {
        return endpoint;
    }

    /** One invocation through the host's HTTP front; a function error comes back as its {errorType, errorMessage}. */
    public Response invoke(String function, String input) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/invoke/" + function))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(input)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An invocation's HTTP answer: 200 with the function's output, or 500 with its error. */
    public record Response(int status, String body) {
        public boolean ok() {
            return status == 200;
        }
    }

    /** The host's last log lines, for failure messages. */
    public String logTail() {
        return joined(logTail);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delete(work);
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }

    /** The host and the libraries it needs, wherever this JVM found them; nothing of the caller's classpath else. */
    static String hostClasspath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : List.of(ZipLambdaHost.class, RequestStreamHandler.class, PojoSerializer.class, JSON.class,
                JsonFactory.class)) {
            try {
                entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static String readyLine(Process process) {
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(ZipLambdaHost.READY)) {
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Passes the host's stderr on, keeping the last lines for failure messages. */
    private static Thread relay(Process process, Deque<String> tail) {
        Thread relay = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    System.err.println(line);
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > LOG_TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // the host is gone
            }
        }, "zip-lambda-host-log");
        relay.setDaemon(true);
        relay.start();
        return relay;
    }

    private static String joined(Deque<String> tail) {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }
}
