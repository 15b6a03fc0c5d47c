package mlteams.record;

import java.time.Duration;
import java.util.Map;
import mlteams.common.Env;
import mlteams.common.TeamNames;

/**
 * @param lockTtl longer than the state machine's own timeout, so a live execution never loses its claim
 */
public record RecordSettings(String parameterPrefix, Duration lockTtl) {

    public static RecordSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static RecordSettings from(Map<String, String> env) {
        return new RecordSettings(Env.optional(env, "PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX),
                Duration.ofSeconds(Long.parseLong(Env.optional(env, "LOCK_TTL_SECONDS", "10800"))));
    }
}
