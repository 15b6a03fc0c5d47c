package mlteams.local;

import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Resource;

/**
 * Runs in a JVM that {@link SnapStartPrimingTest} forks with a Lambda-like environment: builds each named handler
 * with its no-arg constructor, as Lambda does, then triggers the CRaC hooks the constructors registered, as
 * SnapStart does before it takes a snapshot (through {@code mlteams.local.peers.crac}).
 *
 * <p>After each handler it registers a marker of its own, which writes the handler's name into the recording of
 * {@link RecordingInterceptor}. Hooks run in reverse order of registration (as on a CRaC JDK), so each marker runs
 * just before the hook of its handler, and the calls recorded after it are that handler's.
 */
public final class PrimingProbe {

    /** org.crac holds resources weakly. */
    private static final List<Resource> MARKERS = new ArrayList<>();

    private PrimingProbe() {
    }

    public static void main(String[] handlerClasses) throws Exception {
        for (String handlerClass : handlerClasses) {
            Class.forName(handlerClass).getDeclaredConstructor().newInstance();
            Resource marker = new Resource() {
                @Override
                public void beforeCheckpoint(Context<? extends Resource> context) {
                    RecordingInterceptor.markHandler(handlerClass);
                }

                @Override
                public void afterRestore(Context<? extends Resource> context) {
                }
            };
            MARKERS.add(marker);
            org.crac.Core.getGlobalContext().register(marker);
        }
        System.out.println();
        System.out.println("registered " + (mlteams.local.peers.crac.Core.registered() - MARKERS.size()));
        org.crac.Core.checkpointRestore();
        System.out.println();
        System.out.println("checkpointRestore returned");
    }
}
