package mlteams.logs;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.PlanHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.StepPlan;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** Plan step: what EnsureLogGroup and EnsureLogStream would do to the team's log group and stream (read-only). */
public class PlanTeamLogsHandler extends PlanHandler<TeamRequest> {

    private final TeamLogs teamLogs;

    public PlanTeamLogsHandler() {
        this(AwsClients.build(CloudWatchLogsClient.builder(), ClientSettings.fromLambdaEnvironment()),
                LogsSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_TEAM_REQUEST);
    }

    public PlanTeamLogsHandler(CloudWatchLogsClient logs, LogsSettings settings) {
        super(TeamRequest.class);
        this.teamLogs = new TeamLogs(logs, settings);
    }

    @Override
    protected StepPlan plan(TeamRequest request, StepLog log) {
        return teamLogs.plan(request);
    }

    @Override
    protected void primeReads(StepLog log) {
        teamLogs.primeGroup(log);
        teamLogs.primeStream(log);
    }
}
