package mlteams.logs;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Step: ensure the team's activity stream in its log group. This is where the activity monitor writes the
 * team's attributed records; CloudTrail itself writes only to its own streams in the trail's log group.
 */
public class EnsureLogStreamHandler extends JsonHandler<TeamRequest, LogStreamResult> {

    private final TeamLogs teamLogs;

    public EnsureLogStreamHandler() {
        this(AwsClients.build(CloudWatchLogsClient.builder(), ClientSettings.fromLambdaEnvironment()),
                LogsSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_TEAM_REQUEST);
    }

    public EnsureLogStreamHandler(CloudWatchLogsClient logs, LogsSettings settings) {
        super(TeamRequest.class);
        this.teamLogs = new TeamLogs(logs, settings);
    }

    @Override
    protected LogStreamResult handle(TeamRequest request, StepLog log) {
        return teamLogs.ensureStream(request, log);
    }

    @Override
    protected LogStreamResult prime(TeamRequest sample, StepLog log) {
        return teamLogs.primeStream(log);
    }
}
