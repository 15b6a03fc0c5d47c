package mlteams.local.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A moto server (AWS API emulator) on a free loopback port, started as a child process and stopped by
 * the PID we started. It is moto with the project's SageMaker user-profile fill loaded in its process
 * ({@code local/moto/moto_server.py}, the same that {@code scripts/moto-server.sh} starts). Or, when {@code MOTO_ENDPOINT} is set, one that someone else runs: then we never
 * stop it.
 */
public final class MotoServer implements AutoCloseable {

    private static MotoServer shared;

    private final URI endpoint;
    private final Process process;

    private MotoServer(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /** One server per JVM, for tests: the one named by MOTO_ENDPOINT, or our own, stopped at exit. */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            String external = System.getenv("MOTO_ENDPOINT");
            shared = external != null && !external.isBlank() ? external(URI.create(external)) : start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    public static MotoServer external(URI endpoint) {
        MotoServer server = new MotoServer(endpoint, null);
        server.awaitReady(Duration.ofSeconds(10));
        return server;
    }

    public static MotoServer start() {
        return start(RepoPaths.root().resolve("local/moto/moto_server.py").toString());
    }

    /** moto as it ships, without the project's fill: for proving what a plain moto endpoint does. */
    public static MotoServer startWithoutFill() {
        return start("-m", "moto.server");
    }

    private static MotoServer start(String... launcher) {
        int port = freePort();
        String python = System.getenv().getOrDefault("MOTO_PYTHON", "python3");
        try {
            Path log = Files.createTempFile("moto-" + port + "-", ".log");
            List<String> command = new java.util.ArrayList<>(List.of(python));
            command.addAll(List.of(launcher));
            command.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer(URI.create("http://127.0.0.1:" + port), process);
            try {
                server.awaitReady(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                server.close();
                throw new IllegalStateException("moto server did not start; its log: " + Files.readString(log), e);
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start moto server with " + python
                    + " (is moto[server] installed in that python?)", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Empties every emulated service, so each test starts from a blank account. */
    public void reset() {
        post("/moto-api/reset");
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("moto server exited with " + process.exitValue());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("moto server at " + endpoint + " not ready after " + timeout);
            }
            sleep(100);
        }
    }

    private void post(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.resolve(path).toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.getOutputStream().close();
            int status = c.getResponseCode();
            if (status != 200) {
                throw new IllegalStateException("POST " + path + " gave HTTP " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
