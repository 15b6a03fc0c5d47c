package mlteams.local.peers.crac;

/** An afterRestore hook threw; each hook's exception is attached as suppressed. */
public class RestoreException extends Exception {
    public RestoreException() {
        super("an afterRestore hook failed");
    }
}
