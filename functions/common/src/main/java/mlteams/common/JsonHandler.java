package mlteams.common;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Base of every handler: JSON in, one typed call, JSON out. Handlers stay thin and hold only their SDK
 * client and configuration; the work lives in a plain class that the tests drive directly too.
 *
 * <p>Exceptions propagate: the Java runtime reports the exception's fully qualified class name as the error
 * type, and the state machine's Retry and Catch match on it. AWS errors that are still transient after the
 * SDK's retries become {@link TransientAwsException}, so the state machine can tell them from permanent ones.
 *
 * <p>Under SnapStart, the Lambda constructors register {@link SnapStartPriming}, which reads a sample input
 * through the same JSON path, runs {@link #prime} (read-only calls only) and writes its result, before the
 * snapshot is taken.
 */
public abstract class JsonHandler<I, O> implements RequestStreamHandler {

    private final Class<I> inputType;

    protected JsonHandler(Class<I> inputType) {
        this.inputType = inputType;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StepLog log = new StepLog(context.getLogger());
        O result;
        try {
            result = handle(Json.read(input, inputType), log);
        } catch (SdkException e) {
            if (TransientAwsException.isTransient(e)) {
                log.warn("Transient AWS error, leaving the retry to the state machine: %s", e.getMessage());
                throw new TransientAwsException(e);
            }
            throw e;
        }
        Json.write(output, result);
    }

    protected abstract O handle(I input, StepLog log);

    /**
     * Registers SnapStart priming for this handler. Only the no-arg constructor that Lambda calls uses it.
     *
     * @param sampleInputJson an input of the shape this step receives, naming nothing that can exist
     */
    protected final void primeBeforeSnapshot(String sampleInputJson) {
        SnapStartPriming.register(this, sampleInputJson);
    }

    /**
     * Warms this step's request path before the SnapStart snapshot and returns a representative result, which
     * is then serialised like a real one. Overrides must be read-only: Get*, Describe* and List* calls on names
     * that cannot exist or on the function's own configuration, each through {@link SnapStartPriming#attempt}
     * with {@link SnapStartPriming#REQUEST}. The default does no AWS call.
     */
    protected O prime(I sampleInput, StepLog log) {
        return null;
    }

    /** The priming path: the JSON read and write of {@link #handleRequest} around {@link #prime}. */
    final void primeWith(String sampleInputJson, StepLog log) throws IOException {
        I input = Json.read(new ByteArrayInputStream(sampleInputJson.getBytes(StandardCharsets.UTF_8)), inputType);
        O result = prime(input, log);
        Json.write(OutputStream.nullOutputStream(), result);
    }
}
