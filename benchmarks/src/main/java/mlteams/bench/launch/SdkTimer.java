package mlteams.bench.launch;

import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Time spent inside SDK calls, from the first interceptor hook (before marshalling) to the last (after
 * unmarshalling or failure). Active only when the warm run puts the SDK's global interceptor file naming this
 * class on the classpath.
 */
public final class SdkTimer implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("mlteams.bench.started");
    private static final AtomicLong NANOS = new AtomicLong();
    private static final AtomicLong CALLS = new AtomicLong();

    static void reset() {
        NANOS.set(0);
        CALLS.set(0);
    }

    static long nanos() {
        return NANOS.get();
    }

    static long calls() {
        return CALLS.get();
    }

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
