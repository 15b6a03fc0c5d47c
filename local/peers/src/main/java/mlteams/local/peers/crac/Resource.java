package mlteams.local.peers.crac;

/** What org.crac proxies each registered resource as. */
public interface Resource {
    void beforeCheckpoint(Context context) throws Exception;

    void afterRestore(Context context) throws Exception;
}
