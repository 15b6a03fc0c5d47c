package mlteams.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import mlteams.common.Json;
import mlteams.local.iam.IamRequests;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Appends "Service Operation", a tab and what IAM authorizes for the call ({@link IamRequests}, as JSON) to the file
 * named by the system property {@code mlteams.sdk.record} for every SDK call, before it is sent (so failed calls
 * count too). {@link SnapStartPrimingTest} installs it as a global
 * interceptor in the JVM it forks, through the SDK's {@code execution.interceptors} file; {@link PrimingProbe} adds
 * a "# handler" line before each handler's priming runs, so that every call is attributed to its handler.
 */
public final class RecordingInterceptor implements ExecutionInterceptor {

    /** Starts a new handler's section in the recording. */
    static final String HANDLER_MARK = "# ";

    /** The account and Region of the emulator the forked JVM talks to, for the requests' ARNs. */
    private static final IamRequests IAM = new IamRequests("us-east-1", "123456789012");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        append(service + " " + operation + "\t" + Json.write(IAM.of(OperationRecorder.IAM_PREFIX.get(service),
                operation, context.request()).stream()
                .map(a -> Map.of("action", a.action(), "resource", a.resource(), "context", a.context())).toList()));
    }

    static void markHandler(String handlerClass) {
        append(HANDLER_MARK + handlerClass);
    }

    private static void append(String line) {
        synchronized (RecordingInterceptor.class) {
            try {
                Files.writeString(Path.of(System.getProperty("mlteams.sdk.record")), line + "\n",
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
