package mlteams.monitoring;

import java.util.Map;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** Onboarding step: create or repair the team's metric filters, alarms, dashboard and saved queries. */
public class EnsureTeamMonitoringHandler extends JsonHandler<TeamRequest, Map<String, Object>> {

    private final TeamMonitoring monitoring;

    public EnsureTeamMonitoringHandler() {
        this(AwsClients.build(CloudWatchLogsClient.builder(), ClientSettings.fromLambdaEnvironment()),
                AwsClients.build(CloudWatchClient.builder(), ClientSettings.fromLambdaEnvironment()),
                MonitoringSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_TEAM_REQUEST);
    }

    public EnsureTeamMonitoringHandler(CloudWatchLogsClient logs, CloudWatchClient cloudWatch,
            MonitoringSettings settings) {
        super(TeamRequest.class);
        this.monitoring = new TeamMonitoring(logs, cloudWatch, settings);
    }

    @Override
    protected Map<String, Object> handle(TeamRequest request, StepLog log) {
        return monitoring.ensure(request.teamName(), log);
    }

    @Override
    protected Map<String, Object> prime(TeamRequest sample, StepLog log) {
        return monitoring.primeEnsure(log);
    }
}
