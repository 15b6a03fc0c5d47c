package mlteams.publish;

import java.util.Map;
import mlteams.common.Env;
import mlteams.common.TeamNames;

/** @param parameterPrefix every team's parameters live under {@code <prefix>/<team>/} */
public record PublishSettings(String parameterPrefix) {

    public static PublishSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static PublishSettings from(Map<String, String> env) {
        return new PublishSettings(Env.optional(env, "PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX));
    }
}
