package mlteams.monitoring;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.PlanHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.StepPlan;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** Plan step: what EnsureTeamMonitoring would write (metric filters, alarms, dashboard, saved queries); read-only. */
public class PlanTeamMonitoringHandler extends PlanHandler<TeamRequest> {

    private final TeamMonitoring monitoring;

    public PlanTeamMonitoringHandler() {
        this(AwsClients.build(CloudWatchLogsClient.builder(), ClientSettings.fromLambdaEnvironment()),
                AwsClients.build(CloudWatchClient.builder(), ClientSettings.fromLambdaEnvironment()),
                MonitoringSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_TEAM_REQUEST);
    }

    public PlanTeamMonitoringHandler(CloudWatchLogsClient logs, CloudWatchClient cloudWatch,
            MonitoringSettings settings) {
        super(TeamRequest.class);
        this.monitoring = new TeamMonitoring(logs, cloudWatch, settings);
    }

    @Override
    protected StepPlan plan(TeamRequest request, StepLog log) {
        return monitoring.plan(request.teamName());
    }

    @Override
    protected void primeReads(StepLog log) {
        monitoring.primeEnsure(log);
    }
}
