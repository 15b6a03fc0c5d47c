package mlteams.common;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;

/**
 * The baseline's client factory, in place of the function's own: region and credentials as the function gets
 * them, the endpoint only to reach the local emulator, and nothing else: the SDK's default HTTP client (Apache,
 * found on the classpath), retries and timeouts.
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, ClientSettings settings) {
        builder.region(settings.region()).credentialsProvider(settings.credentials());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }
}
