package mlteams.domain;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Step: create the team's Studio domain, or adopt the one that already has its name. */
public class EnsureDomainHandler extends JsonHandler<TeamRequest, DomainState> {

    private final StudioDomain domain;

    public EnsureDomainHandler() {
        this(AwsClients.build(SageMakerClient.builder(), ClientSettings.fromLambdaEnvironment()),
                DomainSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_TEAM_REQUEST);
    }

    public EnsureDomainHandler(SageMakerClient sageMaker, DomainSettings settings) {
        super(TeamRequest.class);
        this.domain = new StudioDomain(sageMaker, settings);
    }

    @Override
    protected DomainState handle(TeamRequest request, StepLog log) {
        return domain.ensure(request, log);
    }

    @Override
    protected DomainState prime(TeamRequest sample, StepLog log) {
        return domain.primeEnsure(log);
    }
}
