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

/** Offboarding step: remove the team's metric filters, alarms, dashboard and saved queries. */
public class DeleteTeamMonitoringHandler extends JsonHandler<TeamRequest, Map<String, Object>> {

    private final TeamMonitoring monitoring;

    public DeleteTeamMonitoringHandler() {
        this(AwsClients.build(CloudWatchLogsClient.builder(), ClientSettings.fromLambdaEnvironment()),
                AwsClients.build(CloudWatchClient.builder(), ClientSettings.fromLambdaEnvironment()),
                MonitoringSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_OFFBOARD_REQUEST);
    }

    public DeleteTeamMonitoringHandler(CloudWatchLogsClient logs, CloudWatchClient cloudWatch,
            MonitoringSettings settings) {
        super(TeamRequest.class);
        this.monitoring = new TeamMonitoring(logs, cloudWatch, settings);
    }

    @Override
    protected Map<String, Object> handle(TeamRequest request, StepLog log) {
        return monitoring.remove(request.teamName(), log);
    }

    @Override
    protected Map<String, Object> prime(TeamRequest sample, StepLog log) {
        return monitoring.primeRemove(log);
    }
}
