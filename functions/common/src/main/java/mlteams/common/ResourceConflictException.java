package mlteams.common;

/**
 * A resource with the team's deterministic name exists but differs in a setting that cannot change in
 * place. We fail rather than silently replace it. Not retried.
 */
public class ResourceConflictException extends RuntimeException {
    public ResourceConflictException(String message) {
        super(message);
    }
}
