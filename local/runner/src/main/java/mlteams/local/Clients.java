package mlteams.local;

import java.lang.reflect.RecordComponent;
import java.util.Optional;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/** The SDK clients the handlers use, built once for a local run or a test; any one can be swapped for a stub. */
public record Clients(CloudTrailClient cloudTrail, CloudWatchLogsClient logs, SageMakerClient sageMaker, SsmClient ssm,
        CloudWatchClient cloudWatch, DynamoDbClient dynamoDb)
        implements AutoCloseable {

    public static Clients connect(ClientSettings settings) {
        return new Clients(AwsClients.build(CloudTrailClient.builder(), settings),
                AwsClients.build(CloudWatchLogsClient.builder(), settings),
                AwsClients.build(SageMakerClient.builder(), settings),
                AwsClients.build(SsmClient.builder(), settings),
                AwsClients.build(CloudWatchClient.builder(), settings),
                AwsClients.build(DynamoDbClient.builder(), settings));
    }

    /** The client of this type, if there is one (how {@link LocalWorkflow} gives each handler its clients). */
    public <T> Optional<T> ofType(Class<T> type) {
        for (RecordComponent component : Clients.class.getRecordComponents()) {
            if (component.getType() == type) {
                try {
                    return Optional.of(type.cast(component.getAccessor().invoke(this)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Optional.empty();
    }

    public Clients withCloudTrail(CloudTrailClient replacement) {
        return new Clients(replacement, logs, sageMaker, ssm, cloudWatch, dynamoDb);
    }

    public Clients withLogs(CloudWatchLogsClient replacement) {
        return new Clients(cloudTrail, replacement, sageMaker, ssm, cloudWatch, dynamoDb);
    }

    public Clients withSageMaker(SageMakerClient replacement) {
        return new Clients(cloudTrail, logs, replacement, ssm, cloudWatch, dynamoDb);
    }

    public Clients withSsm(SsmClient replacement) {
        return new Clients(cloudTrail, logs, sageMaker, replacement, cloudWatch, dynamoDb);
    }

    public Clients withDynamoDb(DynamoDbClient replacement) {
        return new Clients(cloudTrail, logs, sageMaker, ssm, cloudWatch, replacement);
    }

    @Override
    public void close() {
        cloudTrail.close();
        logs.close();
        sageMaker.close();
        ssm.close();
        cloudWatch.close();
        dynamoDb.close();
    }
}
