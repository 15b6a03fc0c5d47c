package mlteams.domain;

/** Resources kept existing after the bounded number of teardown sweeps. */
public class TeardownTimeoutException extends RuntimeException {
    public TeardownTimeoutException(String message) {
        super(message);
    }
}
