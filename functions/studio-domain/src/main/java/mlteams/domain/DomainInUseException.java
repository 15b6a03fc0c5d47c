package mlteams.domain;

/**
 * SageMaker refused to delete the domain because something in it still exists: an app, space or profile was
 * created while offboarding ran. Offboarding again removes it.
 */
public class DomainInUseException extends RuntimeException {
    public DomainInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
