package mlteams.common;

/** The request breaks a rule; nothing was created. Not retried by the state machine. */
public class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
