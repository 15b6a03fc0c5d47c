package mlteams.bench.launch;

/** The JVM floor: a fresh JVM that prints one line and exits. */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
