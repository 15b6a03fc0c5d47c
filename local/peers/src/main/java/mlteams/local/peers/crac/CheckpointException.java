package mlteams.local.peers.crac;

/** A beforeCheckpoint hook threw; each hook's exception is attached as suppressed. */
public class CheckpointException extends Exception {
    public CheckpointException() {
        super("a beforeCheckpoint hook failed");
    }
}
