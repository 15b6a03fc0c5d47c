package mlteams.activity;

import java.util.Map;
import mlteams.common.Env;
import mlteams.common.TeamNames;

/**
 * @param namespace the Embedded Metric Format namespace of the activity metrics (dimensions Team, Action)
 * @param unattributedLogGroup where records that name no known person or team are kept, never dropped
 * @param parameterPrefix onboarding's ParameterPrefix, under whose {@code -domains} path the domain records live
 */
public record ActivitySettings(String logGroupPrefix, String domainPrefix, String namespace,
        String unattributedLogGroup, String unattributedLogStream, String parameterPrefix) {

    public static ActivitySettings fromEnvironment() {
        return from(System.getenv());
    }

    public static ActivitySettings from(Map<String, String> env) {
        return new ActivitySettings(
                Env.optional(env, "LOG_GROUP_PREFIX", TeamNames.DEFAULT_LOG_GROUP_PREFIX),
                Env.optional(env, "DOMAIN_NAME_PREFIX", TeamNames.DEFAULT_DOMAIN_PREFIX),
                Env.optional(env, "ACTIVITY_NAMESPACE", TeamNames.DEFAULT_ACTIVITY_NAMESPACE),
                Env.required(env, "UNATTRIBUTED_LOG_GROUP"),
                Env.optional(env, "UNATTRIBUTED_LOG_STREAM", "unattributed"),
                Env.optional(env, "PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX));
    }
}
