package mlteams.bench.launch;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs inside each measured JVM, on the function's own classpath (its function.zip, or its baseline jar): builds
 * the handler with its no-arg constructor, as Lambda does, invokes it once, prints the output, and exits.
 * Usage: {@code Launch MODE HANDLER_CLASS INPUT_FILE [WARMUPS MEASURED [RESET_CLASS RESET_INPUT_FILE]]}.
 * <ul>
 *   <li>{@code cold}: construct, one invoke;</li>
 *   <li>{@code primed}: construct, run the registered SnapStart (CRaC) hooks as before a snapshot, one invoke;</li>
 *   <li>{@code warm}: construct, one invoke, WARMUPS more, then MEASURED invokes, each reporting its total time and
 *       the time inside SDK calls ({@link SdkTimer}). A reset handler, if given, is invoked untimed after each
 *       invoke to put back what the measured one changed.</li>
 * </ul>
 * The first stdout line is the first invoke's output; lines starting with {@code #} carry timings in nanoseconds.
 * A handler that is not a {@link RequestStreamHandler} gets an SQS event bound for it ({@link SqsBatch}).
 * Exit status 1 if the handler threw.
 */
public final class Launch {

    private Launch() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        byte[] input = Files.readAllBytes(Path.of(args[2]));
        PrintStream out = System.out;
        System.setOut(System.err); // what else prints (hooks, EMF lines, the SDK) goes to stderr
        long start = System.nanoTime();
        RequestStreamHandler handler = create(args[1]);
        long constructed = System.nanoTime();
        int hooks = -1;
        if (mode.equals("primed")) {
            org.crac.Core.checkpointRestore(); // every registered beforeCheckpoint, then afterRestore
            hooks = (Integer) Class.forName("mlteams.local.peers.crac.Core").getMethod("registered").invoke(null);
        }
        long primed = System.nanoTime();
        BenchContext context = new BenchContext(args[1]);
        String output;
        try {
            output = invoke(handler, input, context);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
            return;
        }
        long invoked = System.nanoTime();
        out.println(output);
        out.printf("#construct %d%n#prime %d%n#invoke %d%n#hooks %d%n", constructed - start, primed - constructed,
                invoked - primed, hooks);
        if (mode.equals("warm")) {
            RequestStreamHandler reset = args.length > 6 ? create(args[5]) : null;
            byte[] resetInput = reset == null ? null : Files.readAllBytes(Path.of(args[6]));
            int warmups = Integer.parseInt(args[3]);
            int measured = Integer.parseInt(args[4]);
            for (int i = 0; i < warmups + measured; i++) {
                if (reset != null) {
                    invoke(reset, resetInput, context);
                }
                SdkTimer.NANOS.set(0);
                SdkTimer.CALLS.set(0);
                long t0 = System.nanoTime();
                invoke(handler, input, context);
                long total = System.nanoTime() - t0;
                if (i >= warmups) {
                    out.println("#warm " + total + " " + SdkTimer.NANOS.get() + " " + SdkTimer.CALLS.get());
                }
            }
        }
        out.flush();
        System.exit(0);
    }

    private static RequestStreamHandler create(String handlerClass) throws Exception {
        Object handler = Class.forName(handlerClass).getDeclaredConstructor().newInstance();
        return handler instanceof RequestStreamHandler streaming ? streaming : SqsBatch.adapt(handler);
    }

    private static String invoke(RequestStreamHandler handler, byte[] input, BenchContext context) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input), output, context);
        return output.toString(StandardCharsets.UTF_8);
    }
}
