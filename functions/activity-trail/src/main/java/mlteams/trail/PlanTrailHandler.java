package mlteams.trail;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.PlanHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.StepPlan;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;

/** Plan step: what EnsureTrail would do to the shared trail (read-only). */
public class PlanTrailHandler extends PlanHandler<TeamRequest> {

    private final SharedTrail trail;

    public PlanTrailHandler() {
        this(AwsClients.build(CloudTrailClient.builder(), ClientSettings.fromLambdaEnvironment()),
                TrailSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_TEAM_REQUEST);
    }

    public PlanTrailHandler(CloudTrailClient cloudTrail, TrailSettings settings) {
        super(TeamRequest.class);
        this.trail = new SharedTrail(cloudTrail, settings);
    }

    @Override
    protected StepPlan plan(TeamRequest request, StepLog log) {
        return trail.plan(log);
    }

    @Override
    protected void primeReads(StepLog log) {
        trail.prime(log);
    }
}
