package mlteams.local.peers.crac;

import java.util.ArrayList;
import java.util.List;

/** The global context, and a checkpoint that only runs the hooks. */
public final class Core {

    private static final GlobalContext GLOBAL = new GlobalContext();

    private Core() {
    }

    public static Context getGlobalContext() {
        return GLOBAL;
    }

    /**
     * Runs every registered resource's beforeCheckpoint (in reverse order of registration, as a CRaC JDK does),
     * then every afterRestore (in order of registration). No checkpoint is taken: the JVM just carries on.
     */
    public static void checkpointRestore() throws CheckpointException, RestoreException {
        GLOBAL.beforeCheckpoint(GLOBAL);
        GLOBAL.afterRestore(GLOBAL);
    }

    /** Number of resources registered so far, for tests. */
    public static int registered() {
        return GLOBAL.resources().size();
    }

    private static final class GlobalContext extends Context {

        private final List<Resource> resources = new ArrayList<>();

        @Override
        public synchronized void register(Resource resource) {
            resources.add(resource);
        }

        synchronized List<Resource> resources() {
            return List.copyOf(resources);
        }

        @Override
        public void beforeCheckpoint(Context context) throws CheckpointException {
            List<Resource> all = resources();
            CheckpointException failed = null;
            for (int i = all.size() - 1; i >= 0; i--) {
                try {
                    all.get(i).beforeCheckpoint(this);
                } catch (Exception e) {
                    failed = failed == null ? new CheckpointException() : failed;
                    failed.addSuppressed(e);
                }
            }
            if (failed != null) {
                throw failed;
            }
        }

        @Override
        public void afterRestore(Context context) throws RestoreException {
            RestoreException failed = null;
            for (Resource resource : resources()) {
                try {
                    resource.afterRestore(this);
                } catch (Exception e) {
                    failed = failed == null ? new RestoreException() : failed;
                    failed.addSuppressed(e);
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
    }
}
