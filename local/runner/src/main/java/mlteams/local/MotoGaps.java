package mlteams.local;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.util.Map;

/**
 * The one place where the local tooling fills in what moto 5.2.1 does not implement. It is a proxy in front of
 * moto: every request goes through to moto, except these operations, which moto answers with HTTP 500 and which
 * the workflows need.
 *
 * <ul>
 *   <li>SageMaker {@code ListApps}, {@code ListSpaces} → empty lists: the state a domain made by onboarding
 *       truly has (no apps, no spaces). User profiles are not filled here: they are stateful, inside the moto
 *       process itself ({@code local/moto/moto_server.py}), so that two runs against one endpoint see the same
 *       profiles.</li>
 *   <li>CloudWatch Logs {@code DescribeQueryDefinitions} → none, {@code PutQueryDefinition} → an id,
 *       {@code DeleteQueryDefinition} → success. These are stateless: against moto, saved queries are not
 *       remembered, so their idempotency is tested at the SDK boundary (TeamMonitoringTest), not here.</li>
 * </ul>
 *
 * Product code never knows it is there. Tests that need apps, spaces and profiles to exist (and go away) add
 * WireMock scenario stubs of higher priority on {@link #server()}.
 */
public final class MotoGaps implements AutoCloseable {

    /** Operation (X-Amz-Target) to the JSON it is answered with. */
    static final Map<String, String> FILLED = Map.of(
            "SageMaker.ListApps", "{\"Apps\":[]}",
            "SageMaker.ListSpaces", "{\"Spaces\":[]}",
            "Logs_20140328.DescribeQueryDefinitions", "{\"queryDefinitions\":[]}",
            "Logs_20140328.PutQueryDefinition", "{\"queryDefinitionId\":\"filled-by-moto-gaps\"}",
            "Logs_20140328.DeleteQueryDefinition", "{\"success\":true}");
    /** Scenario stubs use priorities below this; the fills and the proxy come after them. */
    public static final int FILL_PRIORITY = 5;

    private final WireMockServer server;

    private MotoGaps(WireMockServer server) {
        this.server = server;
    }

    public static MotoGaps inFrontOf(URI moto) {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(moto.toString())));
        FILLED.forEach((target, answer) -> server.stubFor(post(urlEqualTo("/")).atPriority(FILL_PRIORITY)
                .withHeader("X-Amz-Target", equalTo(target))
                .willReturn(okJson(answer))));
        return new MotoGaps(server);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public WireMockServer server() {
        return server;
    }

    @Override
    public void close() {
        server.stop();
    }
}
