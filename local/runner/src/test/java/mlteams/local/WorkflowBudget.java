package mlteams.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.Json;
import mlteams.local.peers.RepoPaths;

/**
 * How long a state can take at worst, read from a definition. The fault model: every retrier of a Task is
 * used up once, each wait at its cap (jitter only shortens waits); every invocation of the handler itself
 * (the first, and each retry of an error the handler raises) runs to the function's timeout; errors of the
 * Lambda service ({@code Lambda.*}) come back before the handler runs, so they cost only their waits.
 */
final class WorkflowBudget {

    private WorkflowBudget() {
    }

    /** A definition of statemachine/, parsed. */
    static Map<String, Object> definition(String path) {
        try {
            return Json.readMap(Files.readString(RepoPaths.root().resolve(path)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every Task state by name, those in Parallel branches included. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> tasks(Map<String, Object> machine) {
        Map<String, Map<String, Object>> tasks = new LinkedHashMap<>();
        ((Map<String, Object>) machine.get("States")).forEach((name, value) -> {
            Map<String, Object> state = (Map<String, Object>) value;
            if ("Task".equals(state.get("Type"))) {
                tasks.put(name, state);
            }
            for (Object branch : (List<Object>) state.getOrDefault("Branches", List.of())) {
                tasks.putAll(tasks((Map<String, Object>) branch));
            }
        });
        return tasks;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> retriers(Map<String, Object> task) {
        return (List<Map<String, Object>>) task.getOrDefault("Retry", List.of());
    }

    /** Worst-case seconds of one Task, under the fault model above. */
    static double worstSeconds(Map<String, Object> task, int functionTimeoutSeconds) {
        int handlerAttempts = 1;
        double waits = 0;
        for (Map<String, Object> retrier : retriers(task)) {
            int attempts = ((Number) retrier.getOrDefault("MaxAttempts", 3)).intValue();
            double interval = ((Number) retrier.getOrDefault("IntervalSeconds", 1)).doubleValue();
            double backoff = ((Number) retrier.getOrDefault("BackoffRate", 2.0)).doubleValue();
            double cap = ((Number) retrier.getOrDefault("MaxDelaySeconds", Double.MAX_VALUE)).doubleValue();
            for (int attempt = 0; attempt < attempts; attempt++) {
                waits += Math.min(cap, interval * Math.pow(backoff, attempt));
            }
            boolean raisedByHandler = ((List<?>) retrier.get("ErrorEquals")).stream()
                    .anyMatch(error -> !String.valueOf(error).startsWith("Lambda."));
            if (raisedByHandler) {
                handlerAttempts += attempts;
            }
        }
        return handlerAttempts * (double) functionTimeoutSeconds + waits;
    }

    /** Polls of a wait that starts at {@code initial} seconds and doubles to {@code max}, all within {@code total}. */
    static int polls(int total, int initial, int max) {
        int polls = 0;
        int waited = 0;
        for (int wait = initial; waited + wait <= total; wait = Math.min(max, wait * 2)) {
            waited += wait;
            polls++;
        }
        return polls;
    }
}
