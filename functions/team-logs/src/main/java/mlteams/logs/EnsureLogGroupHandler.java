package mlteams.logs;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** Step: ensure the team's activity log group, with retention, optional KMS key and tags. */
public class EnsureLogGroupHandler extends JsonHandler<TeamRequest, LogGroupResult> {

    private final TeamLogs teamLogs;

    public EnsureLogGroupHandler() {
        this(AwsClients.build(CloudWatchLogsClient.builder(), ClientSettings.fromLambdaEnvironment()),
                LogsSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_TEAM_REQUEST);
    }

    public EnsureLogGroupHandler(CloudWatchLogsClient logs, LogsSettings settings) {
        super(TeamRequest.class);
        this.teamLogs = new TeamLogs(logs, settings);
    }

    @Override
    protected LogGroupResult handle(TeamRequest request, StepLog log) {
        return teamLogs.ensureGroup(request, log);
    }

    @Override
    protected LogGroupResult prime(TeamRequest sample, StepLog log) {
        return teamLogs.primeGroup(log);
    }
}
