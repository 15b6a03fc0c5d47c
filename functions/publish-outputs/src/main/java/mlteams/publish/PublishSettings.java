package mlteams.publish;

import java.util.Map;
import mlteams.common.Env;
import mlteams.common.TeamNames;

/** Where the outputs go: the Parameter Store path every team's parameters are published under (ParameterPrefix). */
public record PublishSettings(String parameterPrefix) {

    public static PublishSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static PublishSettings from(Map<String, String> env) {
        return new PublishSettings(Env.optional(env, "PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX));
    }
}
