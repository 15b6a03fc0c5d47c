package mlteams.local;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mlteams.local.peers.LocalLambda;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every AWS call each function's handler really issues, request included, across the test JVM.
 * Registered for every SDK client through the SDK's global interceptor file (test resources); a call is attributed
 * to the function that {@link LocalLambda} is invoking on that thread. Calls made outside a handler (test setup)
 * are not counted.
 */
public final class OperationRecorder implements ExecutionInterceptor {

    /** SDK service names to IAM action prefixes. */
    static final Map<String, String> IAM_PREFIX = Map.of(
            "CloudTrail", "cloudtrail", "CloudWatchLogs", "logs", "SageMaker", "sagemaker", "Ssm", "ssm",
            "SSM", "ssm", "S3", "s3", "Iam", "iam", "IAM", "iam",
            "CloudWatch", "cloudwatch", "DynamoDb", "dynamodb");

    /** Whether an operation only reads (Get*, Describe*, List*): what priming and a plan may call. */
    static boolean isRead(String operation) {
        return operation.matches("(Get|Describe|List)[A-Za-z]+");
    }

    /** One call as sent: the IAM service prefix, the operation and the request. */
    record Call(String prefix, String operation, SdkRequest request) {
    }

    private static final Map<String, List<Call>> CALLS_BY_FUNCTION = new ConcurrentHashMap<>();

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
        CALLS_BY_FUNCTION.computeIfAbsent(function, f -> new CopyOnWriteArrayList<>()).add(new Call(prefix,
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.request()));
    }

    /** Function name (as the state machines call it) to every call its handler made. */
    static Map<String, List<Call>> calls() {
        return new TreeMap<>(CALLS_BY_FUNCTION);
    }

    /** Function name to the operations ("prefix:Operation") its handler called. */
    static Map<String, Set<String>> recorded() {
        Map<String, Set<String>> actions = new TreeMap<>();
        CALLS_BY_FUNCTION.forEach((function, calls) -> actions.put(function, new TreeSet<>(
                calls.stream().map(c -> c.prefix() + ":" + c.operation()).toList())));
        return actions;
    }
}
