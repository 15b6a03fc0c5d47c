package mlteams.validate;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import mlteams.common.Env;

/**
 * The deployment's defaults for every optional request field, and what a request may name, set from template
 * parameters. A blank default means "no default": the request must then carry the field.
 *
 * @param allowedExecutionRoleArns the roles the stack may pass to SageMaker (DefaultExecutionRoleArn and
 *        ExtraExecutionRoleArns), exact ARNs; an entry ending in {@code *} allows every ARN it is a prefix of (local
 *        runs only: the template's parameters cannot hold one). Empty: no role may be passed.
 * @param accountId the stack's own account; roles must be in it, and keys too unless their account is trusted
 * @param trustedKmsKeyAccountIds further accounts whose KMS keys a request may name (TrustedKmsKeyAccountIds)
 */
public record PlatformDefaults(
        String vpcId,
        List<String> subnetIds,
        List<String> securityGroupIds,
        String executionRoleArn,
        String kmsKeyId,
        Integer logRetentionDays,
        List<String> allowedExecutionRoleArns,
        String accountId,
        List<String> trustedKmsKeyAccountIds,
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
                orEmpty(list(Env.optional(env, "ALLOWED_EXECUTION_ROLE_ARNS", null))),
                Env.optional(env, "ACCOUNT_ID", null),
                orEmpty(list(Env.optional(env, "TRUSTED_KMS_KEY_ACCOUNT_IDS", null))),
                Integer.parseInt(Env.optional(env, "DEFAULT_IDLE_TIMEOUT_MINUTES", IDLE_TIMEOUT_MINUTES)));
    }

    /** Whether the stack may pass this role to SageMaker. */
    boolean mayPass(String roleArn) {
        return allowedExecutionRoleArns.stream().anyMatch(allowed -> allowed.endsWith("*")
                ? roleArn.startsWith(allowed.substring(0, allowed.length() - 1))
                : roleArn.equals(allowed));
    }

    /** Whether a KMS key of this account may be named. */
    boolean trustsKeysOf(String account) {
        return account.equals(accountId) || trustedKmsKeyAccountIds.contains(account);
    }

    private static List<String> list(String commaSeparated) {
        if (commaSeparated == null) {
            return null;
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
