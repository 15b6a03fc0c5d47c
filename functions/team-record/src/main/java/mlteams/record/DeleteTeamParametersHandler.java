package mlteams.record;

import java.util.Map;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Offboarding step: delete the team's published outputs and status; the claim is released after it. */
public class DeleteTeamParametersHandler extends JsonHandler<TeamRequest, Map<String, Object>> {

    private final TeamRecord record;

    public DeleteTeamParametersHandler() {
        this(AwsClients.build(SsmClient.builder(), ClientSettings.fromLambdaEnvironment()),
                RecordSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_OFFBOARD_REQUEST);
    }

    public DeleteTeamParametersHandler(SsmClient ssm, RecordSettings settings) {
        super(TeamRequest.class);
        this.record = settings.record(ssm);
    }

    @Override
    protected Map<String, Object> handle(TeamRequest request, StepLog log) {
        return Map.of("deleted", record.deleteAll(request.teamName(), log));
    }

    @Override
    protected Map<String, Object> prime(TeamRequest sample, StepLog log) {
        return Map.of("deleted", record.primeDeleteAll(log));
    }
}
