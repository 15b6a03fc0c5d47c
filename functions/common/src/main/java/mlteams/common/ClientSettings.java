package mlteams.common;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where SDK clients connect and as whom. Lambda handlers use {@link #fromLambdaEnvironment()}; the local
 * runner and the tests pass an endpoint (moto) and their own credentials.
 *
 * @param endpoint null for the service's real endpoint
 */
public record ClientSettings(Region region, AwsCredentialsProvider credentials, URI endpoint) {

    /** Read once: a process's environment never changes, and clients built from it share one credentials cache. */
    private static volatile ClientSettings lambdaEnvironment;

    /**
     * The region Lambda runs in and the function's own credentials. Both are explicit, so no provider chain
     * is walked at cold start. Under SnapStart Lambda serves credentials through the container endpoint
     * (env-var keys would be frozen into the snapshot), so that provider wins when it is offered. The same
     * instance every call, so a handler with two clients fetches and refreshes its credentials once.
     */
    public static ClientSettings fromLambdaEnvironment() {
        ClientSettings settings = lambdaEnvironment;
        if (settings == null) {
            settings = readLambdaEnvironment();
            lambdaEnvironment = settings; // a race builds it twice at worst, never differently
        }
        return settings;
    }

    private static ClientSettings readLambdaEnvironment() {
        AwsCredentialsProvider credentials = System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null
                ? ContainerCredentialsProvider.builder().build()
                : EnvironmentVariableCredentialsProvider.create();
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        return new ClientSettings(Region.of(Env.required("AWS_REGION")), credentials,
                endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint));
    }

    /** An AWS API emulator such as moto: any credentials do. */
    public static ClientSettings emulator(URI endpoint, Region region) {
        return new ClientSettings(region, StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")),
                endpoint);
    }
}
