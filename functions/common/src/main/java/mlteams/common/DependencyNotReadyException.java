package mlteams.common;

/**
 * Something this step depends on is not usable yet but will be, such as an IAM role that has not
 * propagated. The state machine retries it with a longer interval than transient API errors.
 */
public class DependencyNotReadyException extends RuntimeException {
    public DependencyNotReadyException(String message, Throwable cause) {
        super(message, cause);
    }
}
