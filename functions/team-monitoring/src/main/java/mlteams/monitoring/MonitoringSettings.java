package mlteams.monitoring;

import java.util.Map;
import mlteams.common.Env;
import mlteams.common.TeamNames;

/**
 * @param alarmTopicArn the SNS topic every team alarm notifies
 * @param namespace the metric filters' CloudWatch namespace
 * @param activityNamespace the activity monitor's Embedded Metric Format namespace (dimensions Team, Action)
 * @param accessDeniedThreshold access-denied calls in 5 minutes that make a burst
 */
public record MonitoringSettings(String logGroupPrefix, String alarmTopicArn, String namespace,
        String activityNamespace, int accessDeniedThreshold) {

    public static MonitoringSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static MonitoringSettings from(Map<String, String> env) {
        return new MonitoringSettings(
                Env.optional(env, "LOG_GROUP_PREFIX", TeamNames.DEFAULT_LOG_GROUP_PREFIX),
                Env.required(env, "ALARM_TOPIC_ARN"),
                Env.optional(env, "METRIC_NAMESPACE", "MLPlatform/Teams"),
                Env.optional(env, "ACTIVITY_NAMESPACE", TeamNames.DEFAULT_ACTIVITY_NAMESPACE),
                Integer.parseInt(Env.optional(env, "ACCESS_DENIED_THRESHOLD", "5")));
    }
}
