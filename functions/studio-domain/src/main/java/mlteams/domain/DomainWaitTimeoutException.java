package mlteams.domain;

/** The domain was not in service within the configured total wait. */
public class DomainWaitTimeoutException extends RuntimeException {
    public DomainWaitTimeoutException(String message) {
        super(message);
    }
}
