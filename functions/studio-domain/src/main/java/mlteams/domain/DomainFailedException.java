package mlteams.domain;

/** The domain reached a failed or deleting state; the message carries SageMaker's FailureReason. */
public class DomainFailedException extends RuntimeException {
    public DomainFailedException(String message) {
        super(message);
    }
}
