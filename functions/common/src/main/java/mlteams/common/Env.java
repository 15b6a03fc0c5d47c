package mlteams.common;

import java.util.Map;

/** Reads a function's configuration from its environment, failing with the variable's name. */
public final class Env {

    private Env() {
    }

    public static String required(String name) {
        return required(System.getenv(), name);
    }

    public static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + name + " is not set");
        }
        return value.trim();
    }

    public static String optional(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
