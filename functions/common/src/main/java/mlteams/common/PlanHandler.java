package mlteams.common;

/**
 * Base of the plan steps: the read-only twin of an apply step, built on the same class and the same assessment, so
 * the plan says what that step would do. Logs each planned change, so a plan's progress shows in the logs too.
 * Priming runs the twin's own priming reads (the plan path reads exactly what the apply path reads).
 */
public abstract class PlanHandler<I> extends JsonHandler<I, StepPlan> {

    protected PlanHandler(Class<I> inputType) {
        super(inputType);
    }

    @Override
    protected final StepPlan handle(I input, StepLog log) {
        StepPlan plan = plan(input, log);
        plan.changes().forEach(change -> log(change, log));
        return plan;
    }

    /** One planned change as a log line, the same in every plan step. */
    public static void log(PlannedChange change, StepLog log) {
        log.info("Plan: %s %s: %s %s", change.resource(), change.name(), change.action(), change.details());
    }

    /** The planned changes: read-only calls only. */
    protected abstract StepPlan plan(I input, StepLog log);

    @Override
    protected final StepPlan prime(I sample, StepLog log) {
        primeReads(log);
        return new StepPlan(java.util.List.of(), null);
    }

    /** The apply step's own priming reads. */
    protected abstract void primeReads(StepLog log);
}
