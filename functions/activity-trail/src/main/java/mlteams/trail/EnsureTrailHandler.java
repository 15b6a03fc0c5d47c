package mlteams.trail;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;

/** Step: ensure the account's shared activity trail exists, is configured and is logging. */
public class EnsureTrailHandler extends JsonHandler<TeamRequest, TrailResult> {

    private final SharedTrail trail;

    public EnsureTrailHandler() {
        this(AwsClients.build(CloudTrailClient.builder(), ClientSettings.fromLambdaEnvironment()),
                TrailSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_TEAM_REQUEST);
    }

    public EnsureTrailHandler(CloudTrailClient cloudTrail, TrailSettings settings) {
        super(TeamRequest.class);
        this.trail = new SharedTrail(cloudTrail, settings);
    }

    @Override
    protected TrailResult handle(TeamRequest request, StepLog log) {
        log.info("Ensuring shared trail for team %s", request.teamName());
        TrailResult result = trail.ensure(log);
        log.info("Trail %s: created=%s repaired=%s logging=%s", result.trailArn(), result.created(),
                result.repaired(), result.logging());
        return result;
    }

    @Override
    protected TrailResult prime(TeamRequest sample, StepLog log) {
        return trail.prime(log);
    }
}
