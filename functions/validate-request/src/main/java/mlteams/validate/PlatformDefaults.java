package mlteams.validate;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import mlteams.common.Env;

/**
 * The deployment's defaults for every optional request field, set from template parameters. A blank value
 * means "no default": the request must then carry the field.
 */
public record PlatformDefaults(
        String vpcId,
        List<String> subnetIds,
        List<String> securityGroupIds,
        String executionRoleArn,
        String kmsKeyId,
        Integer logRetentionDays,
        int idleTimeoutMinutes) {

    /** Used when the deployment sets no DEFAULT_IDLE_TIMEOUT_MINUTES; the template's default is the same. */
    static final String IDLE_TIMEOUT_MINUTES = "120";

    public static PlatformDefaults fromEnvironment() {
        return from(System.getenv());
    }

    public static PlatformDefaults from(Map<String, String> env) {
        String retention = Env.optional(env, "DEFAULT_LOG_RETENTION_DAYS", null);
        return new PlatformDefaults(
                Env.optional(env, "DEFAULT_VPC_ID", null),
                list(Env.optional(env, "DEFAULT_SUBNET_IDS", null)),
                list(Env.optional(env, "DEFAULT_SECURITY_GROUP_IDS", null)),
                Env.optional(env, "DEFAULT_EXECUTION_ROLE_ARN", null),
                Env.optional(env, "DEFAULT_KMS_KEY_ID", null),
                retention == null ? null : Integer.valueOf(retention),
                Integer.parseInt(Env.optional(env, "DEFAULT_IDLE_TIMEOUT_MINUTES", IDLE_TIMEOUT_MINUTES)));
    }

    private static List<String> list(String commaSeparated) {
        if (commaSeparated == null) {
            return null;
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
