package mlteams.bench.launch;

import mlteams.activity.ActivityMonitorHandler;
import mlteams.activity.ActivitySettings;
import mlteams.common.Env;
import mlteams.common.TeamNames;
import mlteams.domain.CheckDomainHandler;
import mlteams.domain.DeleteAppsHandler;
import mlteams.domain.DeleteDomainHandler;
import mlteams.domain.DeleteSpacesHandler;
import mlteams.domain.DeleteUserProfilesHandler;
import mlteams.domain.DomainSettings;
import mlteams.domain.EnsureDomainHandler;
import mlteams.domain.FindDomainHandler;
import mlteams.domain.TeardownSettings;
import mlteams.logs.DeleteTeamLogGroupHandler;
import mlteams.logs.EnsureLogGroupHandler;
import mlteams.logs.EnsureLogStreamHandler;
import mlteams.logs.LogsSettings;
import mlteams.monitoring.DeleteTeamMonitoringHandler;
import mlteams.monitoring.EnsureTeamMonitoringHandler;
import mlteams.monitoring.MonitoringSettings;
import mlteams.publish.PublishOutputsHandler;
import mlteams.record.ClaimTeamHandler;
import mlteams.record.DeleteTeamParametersHandler;
import mlteams.record.RecordOutcomeHandler;
import mlteams.record.RecordSettings;
import mlteams.trail.EnsureTrailHandler;
import mlteams.trail.TrailSettings;
import mlteams.validate.PlatformDefaults;
import mlteams.validate.ValidateOffboardRequestHandler;
import mlteams.validate.ValidateRequestHandler;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The naive baseline: the same handler code, with clients built as most examples do, {@code
 * XxxClient.builder().build()}: the default HTTP client found on the classpath (Apache), the default credentials
 * chain, the default region chain, and AWS_ENDPOINT_URL read by the SDK itself. Returns a {@code
 * RequestStreamHandler}, or the activity monitor's {@code RequestHandler}.
 */
public final class NaiveHandlers {

    private NaiveHandlers() {
    }

    public static Object create(String handlerClass, String unused) {
        return switch (handlerClass) {
            // onboarding
            case "mlteams.validate.ValidateRequestHandler" -> new ValidateRequestHandler(PlatformDefaults.fromEnvironment());
            case "mlteams.record.ClaimTeamHandler" ->
                    new ClaimTeamHandler(SsmClient.builder().build(), DynamoDbClient.builder().build(),
                            RecordSettings.fromEnvironment());
            case "mlteams.trail.EnsureTrailHandler" ->
                    new EnsureTrailHandler(CloudTrailClient.builder().build(), TrailSettings.fromEnvironment());
            case "mlteams.logs.EnsureLogGroupHandler" ->
                    new EnsureLogGroupHandler(CloudWatchLogsClient.builder().build(), LogsSettings.fromEnvironment());
            case "mlteams.logs.EnsureLogStreamHandler" ->
                    new EnsureLogStreamHandler(CloudWatchLogsClient.builder().build(), LogsSettings.fromEnvironment());
            case "mlteams.monitoring.EnsureTeamMonitoringHandler" -> new EnsureTeamMonitoringHandler(
                    CloudWatchLogsClient.builder().build(), CloudWatchClient.builder().build(),
                    MonitoringSettings.fromEnvironment());
            case "mlteams.domain.EnsureDomainHandler" ->
                    new EnsureDomainHandler(SageMakerClient.builder().build(), DomainSettings.fromEnvironment());
            case "mlteams.domain.CheckDomainHandler" ->
                    new CheckDomainHandler(SageMakerClient.builder().build(), DomainSettings.fromEnvironment());
            case "mlteams.publish.PublishOutputsHandler" -> new PublishOutputsHandler(SsmClient.builder().build(),
                    Env.optional(System.getenv(), "PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX));
            case "mlteams.record.RecordOutcomeHandler" ->
                    new RecordOutcomeHandler(SsmClient.builder().build(), DynamoDbClient.builder().build(),
                            RecordSettings.fromEnvironment());
            // offboarding
            case "mlteams.validate.ValidateOffboardRequestHandler" -> new ValidateOffboardRequestHandler();
            case "mlteams.domain.FindDomainHandler" ->
                    new FindDomainHandler(SageMakerClient.builder().build(), TeardownSettings.fromEnvironment());
            case "mlteams.domain.DeleteAppsHandler" ->
                    new DeleteAppsHandler(SageMakerClient.builder().build(), TeardownSettings.fromEnvironment());
            case "mlteams.domain.DeleteSpacesHandler" ->
                    new DeleteSpacesHandler(SageMakerClient.builder().build(), TeardownSettings.fromEnvironment());
            case "mlteams.domain.DeleteUserProfilesHandler" ->
                    new DeleteUserProfilesHandler(SageMakerClient.builder().build(), TeardownSettings.fromEnvironment());
            case "mlteams.domain.DeleteDomainHandler" ->
                    new DeleteDomainHandler(SageMakerClient.builder().build(), TeardownSettings.fromEnvironment());
            case "mlteams.monitoring.DeleteTeamMonitoringHandler" -> new DeleteTeamMonitoringHandler(
                    CloudWatchLogsClient.builder().build(), CloudWatchClient.builder().build(),
                    MonitoringSettings.fromEnvironment());
            case "mlteams.logs.DeleteTeamLogGroupHandler" ->
                    new DeleteTeamLogGroupHandler(CloudWatchLogsClient.builder().build(), LogsSettings.fromEnvironment());
            case "mlteams.record.DeleteTeamParametersHandler" ->
                    new DeleteTeamParametersHandler(SsmClient.builder().build(), RecordSettings.fromEnvironment());
            // the activity monitor
            case "mlteams.activity.ActivityMonitorHandler" -> new ActivityMonitorHandler(
                    SageMakerClient.builder().build(), SsmClient.builder().build(),
                    CloudWatchLogsClient.builder().build(), ActivitySettings.fromEnvironment());
            default -> throw new IllegalArgumentException("no naive construction for " + handlerClass);
        };
    }
}
