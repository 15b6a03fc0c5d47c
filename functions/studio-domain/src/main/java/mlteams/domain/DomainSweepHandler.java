package mlteams.domain;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.StepLog;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Base of the offboarding handlers for a domain, one per resource kind: a sweep state in, the next one out.
 * Each subclass binds one {@link DomainTeardown} phase.
 */
public abstract class DomainSweepHandler extends JsonHandler<DomainSweep, DomainSweep> {

    /** One teardown phase, as an unbound method of {@link DomainTeardown}. */
    @FunctionalInterface
    protected interface Phase {
        DomainSweep run(DomainTeardown teardown, DomainSweep state, StepLog log);
    }

    private final DomainTeardown teardown;
    private final Phase phase;

    protected DomainSweepHandler(SageMakerClient sageMaker, TeardownSettings settings, Phase phase) {
        super(DomainSweep.class);
        this.teardown = new DomainTeardown(sageMaker, settings);
        this.phase = phase;
    }

    protected static SageMakerClient lambdaClient() {
        return AwsClients.build(SageMakerClient.builder(), ClientSettings.fromLambdaEnvironment());
    }

    @Override
    protected DomainSweep handle(DomainSweep state, StepLog log) {
        return phase.run(teardown, state, log);
    }
}
