package mlteams.common;

import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Builds every SDK client the same way: explicit region and credentials, the URL-connection HTTP client
 * (no Apache or Netty on the classpath), and bounded retries.
 *
 * <p>Who retries what: the SDK's standard mode retries throttling, 5xx and I/O errors up to 3 attempts with
 * jittered backoff inside one invocation (seconds). Step Functions retries the whole Task for Lambda
 * service errors and for our own retryable errors (minutes). Keeping the SDK at 3 stops the two layers
 * from multiplying into minutes of hammering one API.
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, ClientSettings settings) {
        return build(builder, settings, UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build());
    }

    /** The same, with another HTTP client (the benchmarks compare the AWS CRT client this way). */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, ClientSettings settings, SdkHttpClient httpClient) {
        builder.region(settings.region())
                .credentialsProvider(settings.credentials())
                .httpClient(httpClient)
                .overrideConfiguration(o -> o
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallAttemptTimeout(Duration.ofSeconds(30))
                        .apiCallTimeout(Duration.ofSeconds(90))
                        .addExecutionInterceptor(new OperationInErrors()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }
}
