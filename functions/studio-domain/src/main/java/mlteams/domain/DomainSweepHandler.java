package mlteams.domain;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.StepLog;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Base of the offboarding handlers for a domain, one per resource kind: a sweep state in, the next one out.
 * Each subclass binds one {@link DomainTeardown} phase, and the read-only priming of that phase.
 */
public abstract class DomainSweepHandler extends JsonHandler<DomainSweep, DomainSweep> {

    /** One teardown phase, or its SnapStart priming, as an unbound method of {@link DomainTeardown}. */
    @FunctionalInterface
    protected interface Phase {
        DomainSweep run(DomainTeardown teardown, DomainSweep state, StepLog log);
    }

    private final DomainTeardown teardown;
    private final Phase phase;
    private final Phase priming;

    protected DomainSweepHandler(SageMakerClient sageMaker, TeardownSettings settings, Phase phase, Phase priming) {
        super(DomainSweep.class);
        this.teardown = new DomainTeardown(sageMaker, settings);
        this.phase = phase;
        this.priming = priming;
    }

    protected static SageMakerClient lambdaClient() {
        return AwsClients.build(SageMakerClient.builder(), ClientSettings.fromLambdaEnvironment());
    }

    /** For the subclasses' Lambda constructors: registers SnapStart priming of their phase. */
    protected final void primeBeforeSnapshot() {
        primeBeforeSnapshot(DomainTeardown.PRIMING_SWEEP);
    }

    @Override
    protected DomainSweep handle(DomainSweep state, StepLog log) {
        return phase.run(teardown, state, log);
    }

    @Override
    protected DomainSweep prime(DomainSweep sample, StepLog log) {
        return priming.run(teardown, sample, log);
    }
}
