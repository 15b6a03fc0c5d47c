package mlteams.common;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An AWS call still failed with a throttling, 5xx or I/O error after the SDK's own retries. The state
 * machine retries the whole step later, with longer, jittered backoff.
 */
public class TransientAwsException extends RuntimeException {

    public TransientAwsException(SdkException cause) {
        super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }

    public static boolean isTransient(SdkException e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException; // I/O errors and timeouts
    }
}
