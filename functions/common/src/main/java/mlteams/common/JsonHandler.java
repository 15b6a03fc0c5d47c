package mlteams.common;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Base of every handler: JSON in, one typed call, JSON out. Handlers stay thin and hold only their SDK
 * client and configuration; the work lives in a plain class that the tests drive directly too.
 *
 * <p>Exceptions propagate: the Java runtime reports the exception's fully qualified class name as the error
 * type, and the state machine's Retry and Catch match on it. AWS errors that are still transient after the
 * SDK's retries become {@link TransientAwsException}, so the state machine can tell them from permanent ones.
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
}
