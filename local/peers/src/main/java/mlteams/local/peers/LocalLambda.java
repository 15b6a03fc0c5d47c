package mlteams.local.peers;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Hosts stream handlers by function name and invokes them the way the Lambda Java runtime does: bytes in,
 * bytes out, and a thrown exception reported as {errorType: its fully qualified class name, errorMessage}.
 * Serves them over HTTP on loopback for the ASL interpreter, and records every invocation.
 */
public final class LocalLambda implements AutoCloseable {

    /** One invocation as it happened. {@code errorType} is null on success. */
    public record Invocation(String function, String input, String output, String errorType, String errorMessage) {
    }

    /** The function whose handler runs on this thread, so that what it calls can be attributed to it. */
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private final Map<String, RequestStreamHandler> functions = new ConcurrentHashMap<>();
    private final List<Invocation> invocations = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> serviceFaults = new ConcurrentHashMap<>();
    private final Map<String, String> serviceFaultTypes = new ConcurrentHashMap<>();
    private final PrintStream logStream;
    private HttpServer server;

    public LocalLambda(PrintStream logStream) {
        this.logStream = logStream;
    }

    public LocalLambda register(String functionName, RequestStreamHandler handler) {
        functions.put(functionName, handler);
        return this;
    }

    /**
     * The next {@code times} invocations of the function fail as the Lambda service itself would (for example
     * {@code Lambda.ServiceException}), before the handler runs.
     */
    public void failInvocations(String functionName, String errorType, int times) {
        serviceFaults.put(functionName, new java.util.concurrent.atomic.AtomicInteger(times));
        serviceFaultTypes.put(functionName, errorType);
    }

    public Invocation invoke(String functionName, String input) {
        var fault = serviceFaults.get(functionName);
        if (fault != null && fault.getAndDecrement() > 0) {
            Invocation failed = new Invocation(functionName, input, null, serviceFaultTypes.get(functionName),
                    "Injected Lambda service fault");
            invocations.add(failed);
            return failed;
        }
        RequestStreamHandler handler = functions.get(functionName);
        if (handler == null) {
            throw new IllegalArgumentException("No local function named " + functionName + "; have " + functions.keySet());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Invocation invocation;
        CURRENT.set(functionName);
        try {
            handler.handleRequest(new ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    out, new LocalContext(functionName, logStream));
            invocation = new Invocation(functionName, input, out.toString(java.nio.charset.StandardCharsets.UTF_8),
                    null, null);
        } catch (Exception | Error e) {
            // What the Java runtime reports (aws-lambda-java-runtime-interface-client, LambdaErrorConverter).
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            invocation = new Invocation(functionName, input, null, e.getClass().getName(), message);
        } finally {
            CURRENT.remove();
        }
        invocations.add(invocation);
        return invocation;
    }

    /** Runs work as if the named function were being invoked on this thread: for handlers not served over HTTP. */
    public static <T> T runAs(String functionName, java.util.concurrent.Callable<T> work) throws Exception {
        CURRENT.set(functionName);
        try {
            return work.call();
        } finally {
            CURRENT.remove();
        }
    }

    /** The function being invoked on this thread, or null outside an invocation. */
    public static String currentFunction() {
        return CURRENT.get();
    }

    /** Invokes one handler directly, as Lambda would, and lets its exception through: for handler tests. */
    public static String call(RequestStreamHandler handler, String functionName, String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)), out,
                new LocalContext(functionName, System.err));
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    public List<Invocation> invocations() {
        synchronized (invocations) {
            return List.copyOf(invocations);
        }
    }

    public void clearInvocations() {
        invocations.clear();
    }

    /** Starts serving POST /invoke/{function} on a free loopback port. */
    public URI start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Parallel branches invoke concurrently, as Lambda would.
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/invoke/", this::serve);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String function = exchange.getRequestURI().getPath().substring("/invoke/".length());
            String input = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            Invocation result = invoke(function, input);
            byte[] body;
            int status;
            if (result.errorType() == null) {
                status = 200;
                body = result.output().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else {
                status = 500;
                Map<String, String> error = new LinkedHashMap<>();
                error.put("errorType", result.errorType());
                error.put("errorMessage", result.errorMessage());
                body = JSON.std.asBytes(error);
            }
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
