package mlteams.logs;

import java.util.Map;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** Offboarding step: remove the team's log group, or keep it when the deployment retains team logs. */
public class DeleteTeamLogGroupHandler extends JsonHandler<TeamRequest, Map<String, Object>> {

    private final TeamLogs teamLogs;

    public DeleteTeamLogGroupHandler() {
        this(AwsClients.build(CloudWatchLogsClient.builder(), ClientSettings.fromLambdaEnvironment()),
                LogsSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_OFFBOARD_REQUEST);
    }

    public DeleteTeamLogGroupHandler(CloudWatchLogsClient logs, LogsSettings settings) {
        super(TeamRequest.class);
        this.teamLogs = new TeamLogs(logs, settings);
    }

    @Override
    protected Map<String, Object> handle(TeamRequest request, StepLog log) {
        return teamLogs.removeGroup(request, log);
    }

    @Override
    protected Map<String, Object> prime(TeamRequest sample, StepLog log) {
        return teamLogs.primeRemoval(log);
    }
}
