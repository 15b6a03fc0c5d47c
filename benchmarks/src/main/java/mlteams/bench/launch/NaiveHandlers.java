package mlteams.bench.launch;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import mlteams.common.Env;
import mlteams.common.TeamNames;
import mlteams.domain.CheckDomainHandler;
import mlteams.domain.DomainSettings;
import mlteams.domain.EnsureDomainHandler;
import mlteams.logs.EnsureLogGroupHandler;
import mlteams.logs.EnsureLogStreamHandler;
import mlteams.logs.LogsSettings;
import mlteams.publish.PublishOutputsHandler;
import mlteams.trail.EnsureTrailHandler;
import mlteams.trail.TrailSettings;
import mlteams.validate.PlatformDefaults;
import mlteams.validate.ValidateRequestHandler;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The naive baseline: the same handler code, with clients built as most examples do, {@code
 * XxxClient.builder().build()}: the default HTTP client found on the classpath (Apache), the default credentials
 * chain, the default region chain, and AWS_ENDPOINT_URL read by the SDK itself.
 */
public final class NaiveHandlers {

    private NaiveHandlers() {
    }

    public static RequestStreamHandler create(String handlerClass, String unused) {
        return switch (handlerClass) {
            case "mlteams.validate.ValidateRequestHandler" -> new ValidateRequestHandler(PlatformDefaults.fromEnvironment());
            case "mlteams.trail.EnsureTrailHandler" ->
                    new EnsureTrailHandler(CloudTrailClient.builder().build(), TrailSettings.fromEnvironment());
            case "mlteams.logs.EnsureLogGroupHandler" ->
                    new EnsureLogGroupHandler(CloudWatchLogsClient.builder().build(), LogsSettings.fromEnvironment());
            case "mlteams.logs.EnsureLogStreamHandler" ->
                    new EnsureLogStreamHandler(CloudWatchLogsClient.builder().build(), LogsSettings.fromEnvironment());
            case "mlteams.domain.EnsureDomainHandler" ->
                    new EnsureDomainHandler(SageMakerClient.builder().build(), DomainSettings.fromEnvironment());
            case "mlteams.domain.CheckDomainHandler" ->
                    new CheckDomainHandler(SageMakerClient.builder().build(), DomainSettings.fromEnvironment());
            case "mlteams.publish.PublishOutputsHandler" -> new PublishOutputsHandler(SsmClient.builder().build(),
                    Env.optional(System.getenv(), "PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX));
            default -> throw new IllegalArgumentException("no naive construction for " + handlerClass);
        };
    }
}
