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
 * classpath. Usage: {@code Launch MODE HANDLER_CLASS INPUT_FILE [WARMUPS MEASURED]}.
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
 *       classpath).</li>
 * </ul>
 * The first stdout line is the first invoke's output; lines starting with {@code #} carry timings in nanoseconds.
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
        RequestStreamHandler handler = switch (mode) {
            case "cold", "primed", "warm" -> (RequestStreamHandler) Class.forName(handlerClass)
                    .getDeclaredConstructor().newInstance();
            case "naive" -> create("mlteams.bench.launch.NaiveHandlers", handlerClass, null);
            case "crt", "url" -> create("mlteams.bench.launch.HttpClientHandlers", handlerClass, mode);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        long constructed = System.nanoTime();
        long primed = constructed;
        if (mode.equals("primed")) {
            org.crac.Core.checkpointRestore(); // runs every registered beforeCheckpoint, then afterRestore
            primed = System.nanoTime();
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
        if (mode.equals("warm")) {
            int warmups = Integer.parseInt(args[3]);
            int measured = Integer.parseInt(args[4]);
            for (int i = 0; i < warmups; i++) {
                invoke(handler, input, context);
            }
            for (int i = 0; i < measured; i++) {
                SdkTimer.reset();
                long t0 = System.nanoTime();
                invoke(handler, input, context);
                long total = System.nanoTime() - t0;
                out.println("#warm " + total + " " + SdkTimer.nanos() + " " + SdkTimer.calls());
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

    private static RequestStreamHandler create(String factory, String handlerClass, String variant) throws Exception {
        return (RequestStreamHandler) Class.forName(factory).getMethod("create", String.class, String.class)
                .invoke(null, handlerClass, variant);
    }
}
