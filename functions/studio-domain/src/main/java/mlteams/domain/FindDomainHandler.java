package mlteams.domain;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Offboarding step: the team's domain by its deterministic name, if it has one. */
public class FindDomainHandler extends JsonHandler<TeamRequest, DomainSweep> {

    private final DomainTeardown teardown;

    public FindDomainHandler() {
        this(AwsClients.build(SageMakerClient.builder(), ClientSettings.fromLambdaEnvironment()),
                TeardownSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_OFFBOARD_REQUEST);
    }

    public FindDomainHandler(SageMakerClient sageMaker, TeardownSettings settings) {
        super(TeamRequest.class);
        this.teardown = new DomainTeardown(sageMaker, settings);
    }

    @Override
    protected DomainSweep handle(TeamRequest request, StepLog log) {
        return teardown.find(request.teamName(), log);
    }

    @Override
    protected DomainSweep prime(TeamRequest sample, StepLog log) {
        return teardown.primeFind(log);
    }
}
