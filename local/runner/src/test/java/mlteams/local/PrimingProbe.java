package mlteams.local;

/**
 * Runs in a JVM that {@link SnapStartPrimingTest} forks with a Lambda-like environment: builds each named handler
 * with its no-arg constructor, as Lambda does, then triggers the CRaC hooks the constructors registered, as
 * SnapStart does before it takes a snapshot (through {@code mlteams.local.peers.crac}).
 */
public final class PrimingProbe {

    private PrimingProbe() {
    }

    public static void main(String[] handlerClasses) throws Exception {
        for (String handlerClass : handlerClasses) {
            Class.forName(handlerClass).getDeclaredConstructor().newInstance();
        }
        System.out.println();
        System.out.println("registered " + mlteams.local.peers.crac.Core.registered());
        org.crac.Core.checkpointRestore();
        System.out.println();
        System.out.println("checkpointRestore returned");
    }
}
