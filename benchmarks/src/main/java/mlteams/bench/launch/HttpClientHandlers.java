package mlteams.bench.launch;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.time.Duration;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.trail.EnsureTrailHandler;
import mlteams.trail.TrailSettings;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;

/**
 * The HTTP client comparison: EnsureTrail built exactly as its Lambda constructor does (our client settings),
 * except for the HTTP client, which is the AWS CRT client or the URL-connection client with the same timeouts.
 */
public final class HttpClientHandlers {

    private HttpClientHandlers() {
    }

    public static RequestStreamHandler create(String handlerClass, String http) {
        if (!handlerClass.equals("mlteams.trail.EnsureTrailHandler")) {
            throw new IllegalArgumentException("the HTTP client comparison runs EnsureTrail only");
        }
        SdkHttpClient client = http.equals("crt")
                ? AwsCrtHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).build()
                : UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)).build();
        return new EnsureTrailHandler(AwsClients.build(CloudTrailClient.builder(), ClientSettings.fromLambdaEnvironment(),
                client), TrailSettings.fromEnvironment());
    }
}
