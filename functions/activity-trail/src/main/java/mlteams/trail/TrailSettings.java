package mlteams.trail;

import java.util.Map;
import mlteams.common.Env;

/**
 * The shared trail as the stack defines it. The bucket (with the policy CloudTrail needs), the log group
 * and the delivery role come from template.yaml; this step only creates or repairs the trail itself.
 *
 * @param kmsKeyId optional key for the log files; null to use the bucket's default encryption
 */
public record TrailSettings(String trailName, String bucketName, String logGroupArn, String logsRoleArn,
        String kmsKeyId) {

    public static TrailSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static TrailSettings from(Map<String, String> env) {
        return new TrailSettings(
                Env.required(env, "TRAIL_NAME"),
                Env.required(env, "TRAIL_BUCKET_NAME"),
                Env.required(env, "TRAIL_LOG_GROUP_ARN"),
                Env.required(env, "TRAIL_LOGS_ROLE_ARN"),
                Env.optional(env, "TRAIL_KMS_KEY_ID", null));
    }
}
