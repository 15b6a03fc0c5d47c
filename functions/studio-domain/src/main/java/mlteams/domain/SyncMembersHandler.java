package mlteams.domain;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Step: the domain's member profiles made to match the request. Called first without {@code sync}, which adds
 * and starts removing; then, while removed members' resources remain, again with the state it returned.
 */
public class SyncMembersHandler extends JsonHandler<SyncMembersHandler.Step, MemberSync> {

    /** @param sync null on the first call; the previous result on the sweeps that follow */
    public record Step(TeamRequest request, String domainId, MemberSync sync) {
    }

    private final TeamMembers members;

    public SyncMembersHandler() {
        this(AwsClients.build(SageMakerClient.builder(), ClientSettings.fromLambdaEnvironment()),
                TeardownSettings.fromEnvironment());
        primeBeforeSnapshot(TeamMembers.PRIMING_STEP);
    }

    public SyncMembersHandler(SageMakerClient sageMaker, TeardownSettings settings) {
        super(Step.class);
        this.members = new TeamMembers(sageMaker, settings);
    }

    @Override
    protected MemberSync handle(Step step, StepLog log) {
        return step.sync() == null ? members.sync(step.request(), step.domainId(), log) : members.sweep(step.sync(), log);
    }

    @Override
    protected MemberSync prime(Step sample, StepLog log) {
        return members.prime(log);
    }
}
