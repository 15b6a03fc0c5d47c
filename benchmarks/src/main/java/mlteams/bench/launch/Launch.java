package mlteams.bench.launch;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny launcher that runs inside each measured JVM: builds one handler, invokes it with one input, prints the
 * output, and exits. It depends on nothing but the Lambda core interfaces, so it runs on a function.zip's own
 * classpath (the activity monitor's SQS adapter, {@link SqsBatch}, also uses that zip's Lambda events and JSON
 * classes, and is loaded only for it). Usage:
 * {@code Launch MODE HANDLER_CLASS INPUT_FILE [WARMUPS MEASURED [RESET_HANDLER_CLASS RESET_INPUT_FILE]]}.
 *
 * <ul>
 *   <li>{@code cold}: the no-arg constructor, as Lambda builds the handler, then one invoke;</li>
 *   <li>{@code primed}: the same, then the registered CRaC hooks (SnapStart priming) run as before a snapshot,
 *       then one invoke: the in-process "first invoke after restore" proxy;</li>
 *   <li>{@code naive}: SDK clients built with {@code XxxClient.builder().build()} ({@link NaiveHandlers});</li>
 *   <li>{@code crt} / {@code url}: our client settings with the AWS CRT or the URL-connection HTTP client
 *       ({@link HttpClientHandlers});</li>
 *   <li>{@code warm}: the no-arg constructor, WARMUPS invokes, then MEASURED invokes, each reporting its total
 *       time and the time spent inside SDK calls ({@link SdkTimer}, when its interceptor file is on the
 *       classpath). With a reset handler, that handler (built the same way, same zip) is invoked untimed after
 *       every invoke, to put back the state the measured handler changed (a team's claim taken, then released);</li>
 * </ul>
 * A handler that is not a {@link RequestStreamHandler} (the activity monitor's {@code RequestHandler<SQSEvent, ...>})
 * is invoked through {@link SqsBatch}, which stands in for the Lambda runtime's event binding.
 * The first stdout line is the first invoke's output; lines starting with {@code #} carry timings in nanoseconds
 * (and, primed, the number of SnapStart hooks the handler registered).
 * Anything else printed goes to stderr.
 * Exit status 1 if the handler threw.
 */
public final class Launch {

    private Launch() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String handlerClass = args[1];
        byte[] input = Files.readAllBytes(Path.of(args[2]));
        PrintStream out = System.out;
        System.setOut(System.err); // whatever else prints (SnapStart hooks, the SDK) goes to stderr
        long start = System.nanoTime();
        RequestStreamHandler handler = stream(switch (mode) {
            case "cold", "primed", "warm" -> Class.forName(handlerClass).getDeclaredConstructor().newInstance();
            case "naive" -> create("mlteams.bench.launch.NaiveHandlers", handlerClass, null);
            case "crt", "url" -> create("mlteams.bench.launch.HttpClientHandlers", handlerClass, mode);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        });
        long constructed = System.nanoTime();
        long primed = constructed;
        int hooks = -1;
        if (mode.equals("primed")) {
            org.crac.Core.checkpointRestore(); // runs every registered beforeCheckpoint, then afterRestore
            primed = System.nanoTime();
            // How many SnapStart hooks the handler registered, from the local CRaC implementation the primed
            // variant runs with (-Dorg.crac.Core.Compat=mlteams.local.peers.crac).
            hooks = (Integer) Class.forName("mlteams.local.peers.crac.Core").getMethod("registered").invoke(null);
        }
        BenchContext context = new BenchContext(handlerClass);
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
        out.println("#construct " + (constructed - start));
        out.println("#prime " + (primed - constructed));
        out.println("#invoke " + (invoked - primed));
        out.println("#hooks " + hooks);
        if (mode.equals("warm")) {
            int warmups = Integer.parseInt(args[3]);
            int measured = Integer.parseInt(args[4]);
            RequestStreamHandler reset = args.length > 6
                    ? stream(Class.forName(args[5]).getDeclaredConstructor().newInstance()) : null;
            byte[] resetInput = reset == null ? null : Files.readAllBytes(Path.of(args[6]));
            BenchContext resetContext = new BenchContext(args.length > 6 ? args[5] : handlerClass);
            if (reset != null) {
                invoke(reset, resetInput, resetContext); // after the first invoke above
            }
            for (int i = 0; i < warmups; i++) {
                invoke(handler, input, context);
                if (reset != null) {
                    invoke(reset, resetInput, resetContext);
                }
            }
            for (int i = 0; i < measured; i++) {
                SdkTimer.reset();
                long t0 = System.nanoTime();
                invoke(handler, input, context);
                long total = System.nanoTime() - t0;
                out.println("#warm " + total + " " + SdkTimer.nanos() + " " + SdkTimer.calls());
                if (reset != null) {
                    invoke(reset, resetInput, resetContext);
                }
            }
        }
        out.flush();
        System.exit(0);
    }

    private static String invoke(RequestStreamHandler handler, byte[] input, BenchContext context) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input), output, context);
        return output.toString(StandardCharsets.UTF_8);
    }

    private static Object create(String factory, String handlerClass, String variant) throws Exception {
        return Class.forName(factory).getMethod("create", String.class, String.class).invoke(null, handlerClass, variant);
    }

    /** Every handler but the activity monitor streams its JSON itself; that one gets an SQS event bound for it. */
    private static RequestStreamHandler stream(Object handler) {
        return handler instanceof RequestStreamHandler streaming ? streaming : SqsBatch.adapt(handler);
    }
}
