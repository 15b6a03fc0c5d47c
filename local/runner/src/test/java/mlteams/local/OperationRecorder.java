package mlteams.local;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import mlteams.local.peers.LocalLambda;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every AWS operation each function's handler really issues, across the test JVM. Registered for every
 * SDK client through the SDK's global interceptor file (test resources); a call is attributed to the function
 * that {@link LocalLambda} is invoking on that thread. Calls made outside a handler (test setup) are not counted.
 */
public final class OperationRecorder implements ExecutionInterceptor {

    /** SDK service names to IAM action prefixes. */
    static final Map<String, String> IAM_PREFIX = Map.of(
            "CloudTrail", "cloudtrail", "CloudWatchLogs", "logs", "SageMaker", "sagemaker", "Ssm", "ssm",
            "SSM", "ssm", "S3", "s3", "Iam", "iam", "IAM", "iam",
            "CloudWatch", "cloudwatch", "DynamoDb", "dynamodb");

    /** The action IAM also checks when a create or put carries tags. */
    static final Map<String, String> TAGGING_ACTION = Map.of(
            "sagemaker", "sagemaker:AddTags", "ssm", "ssm:AddTagsToResource", "logs", "logs:TagResource",
            "cloudtrail", "cloudtrail:AddTags", "cloudwatch", "cloudwatch:TagResource");

    private static final Map<String, Set<String>> ACTIONS_BY_FUNCTION = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String function = LocalLambda.currentFunction();
        if (function == null) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String prefix = IAM_PREFIX.get(service);
        if (prefix == null) {
            throw new IllegalStateException("No IAM prefix known for SDK service " + service);
        }
        Set<String> actions = ACTIONS_BY_FUNCTION.computeIfAbsent(function, f -> ConcurrentHashMap.newKeySet());
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        actions.add(prefix + ":" + operation);
        actions.addAll(impliedActions(prefix, operation, context.request()));
    }

    /**
     * Actions IAM authorizes besides the operation's own: tagging on create, and passing a role to the
     * service (CloudTrail's log delivery role, the domain's execution role).
     */
    static Set<String> impliedActions(String prefix, String operation, SdkRequest request) {
        Set<String> implied = new TreeSet<>();
        Object tags = request.getValueForField("Tags", Object.class)
                .or(() -> request.getValueForField("tags", Object.class)).orElse(null); // CloudWatch Logs: "tags"
        if (tags instanceof java.util.Collection<?> c && !c.isEmpty() || tags instanceof Map<?, ?> m && !m.isEmpty()) {
            implied.add(TAGGING_ACTION.get(prefix));
        }
        if (request.getValueForField("CloudWatchLogsRoleArn", String.class).isPresent()
                || request.getValueForField("DefaultUserSettings", Object.class).isPresent()) {
            implied.add("iam:PassRole");
        }
        return implied;
    }

    /** Function name (as the state machines call it) to the IAM actions its handler needed. */
    static Map<String, Set<String>> recorded() {
        Map<String, Set<String>> copy = new TreeMap<>();
        ACTIONS_BY_FUNCTION.forEach((function, actions) -> copy.put(function, new TreeSet<>(actions)));
        return copy;
    }
}
