package mlteams.domain;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.StepLog;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Step: one status check of a domain being created. The state machine waits between checks. */
public class CheckDomainHandler extends JsonHandler<DomainState, DomainState> {

    private final StudioDomain domain;

    public CheckDomainHandler() {
        this(AwsClients.build(SageMakerClient.builder(), ClientSettings.fromLambdaEnvironment()),
                DomainSettings.fromEnvironment());
        primeBeforeSnapshot(StudioDomain.PRIMING_STATE);
    }

    public CheckDomainHandler(SageMakerClient sageMaker, DomainSettings settings) {
        super(DomainState.class);
        this.domain = new StudioDomain(sageMaker, settings);
    }

    @Override
    protected DomainState handle(DomainState state, StepLog log) {
        return domain.check(state, log);
    }

    @Override
    protected DomainState prime(DomainState sample, StepLog log) {
        return domain.primeCheck(log);
    }
}
