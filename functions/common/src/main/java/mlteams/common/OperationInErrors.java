package mlteams.common;

import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Puts the failed operation's name in front of an AWS error's message ("ListUserProfiles: …"). An error without
 * a message of its own (a bare HTTP 500) otherwise says nothing about which call failed, and the execution's cause
 * is all an operator sees. The exception keeps its class, so catch blocks and retry decisions are unchanged.
 */
final class OperationInErrors implements ExecutionInterceptor {

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (!(context.exception() instanceof AwsServiceException e) || operation == null) {
            return context.exception();
        }
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return e.toBuilder().message(operation + ": " + Objects.requireNonNullElse(message,
                "HTTP " + e.statusCode() + " with no error message")).build();
    }
}
