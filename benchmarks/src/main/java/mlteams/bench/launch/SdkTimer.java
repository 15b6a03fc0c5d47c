package mlteams.bench.launch;

import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Time inside SDK calls, first interceptor hook (before marshalling) to last (after unmarshalling or failure).
 * Active only in the warm run, which puts the SDK's global interceptor file naming this class on the classpath.
 */
public final class SdkTimer implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("mlteams.bench.started");
    static final AtomicLong NANOS = new AtomicLong();
    static final AtomicLong CALLS = new AtomicLong();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        stop(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        stop(attributes);
    }

    private static void stop(ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            NANOS.addAndGet(System.nanoTime() - started);
            CALLS.incrementAndGet();
        }
    }
}
