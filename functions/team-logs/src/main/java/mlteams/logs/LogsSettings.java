package mlteams.logs;

import java.util.Map;
import mlteams.common.Env;
import mlteams.common.TeamNames;

/**
 * @param groupPrefix every team's log group lives under it
 * @param kmsKeyArn optional customer managed key for the team log groups; null for service-owned encryption
 * @param retainOnOffboarding whether offboarding keeps the team's log group: it is audit data, so yes by default
 */
public record LogsSettings(String groupPrefix, String kmsKeyArn, boolean retainOnOffboarding) {

    public LogsSettings(String groupPrefix, String kmsKeyArn) {
        this(groupPrefix, kmsKeyArn, true);
    }

    public static LogsSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static LogsSettings from(Map<String, String> env) {
        return new LogsSettings(Env.optional(env, "LOG_GROUP_PREFIX", TeamNames.DEFAULT_LOG_GROUP_PREFIX),
                Env.optional(env, "LOGS_KMS_KEY_ARN", null),
                Boolean.parseBoolean(Env.optional(env, "RETAIN_TEAM_LOG_GROUP", "true")));
    }

    public String groupName(String teamName) {
        return TeamNames.logGroupName(groupPrefix, teamName);
    }
}
