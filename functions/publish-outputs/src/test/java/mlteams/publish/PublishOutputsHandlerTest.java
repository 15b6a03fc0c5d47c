package mlteams.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.DomainRecord;
import mlteams.common.Json;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;

/** The publish step against moto, through the real SDK. */
class PublishOutputsHandlerTest {

    private static final String PATH = "/ml-teams/computer-vision/";

    private final MotoServer moto = MotoServer.shared();
    private SsmClient ssm;

    @BeforeEach
    void emptyAccount() {
        moto.reset();
        ssm = AwsClients.build(SsmClient.builder(), ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1));
    }

    @AfterEach
    void close() {
        ssm.close();
    }

    @Test
    void publishesTheFiveOutputsAndReturnsThem() throws Exception {
        Map<String, Object> output = publish("https://d-abc123.studio.us-east-1.sagemaker.aws");

        assertEquals(Map.of(
                PATH + "sagemaker-domain-url", "https://d-abc123.studio.us-east-1.sagemaker.aws",
                PATH + "sagemaker-domain-id", "d-abc123",
                PATH + "cloudtrail-arn", "arn:aws:cloudtrail:us-east-1:123456789012:trail/ml-platform-activity",
                PATH + "log-group-name", "/ml-teams/computer-vision/activity",
                PATH + "log-stream-name", "user-activity"), parameters(Parameter::value));
        assertEquals("https://d-abc123.studio.us-east-1.sagemaker.aws", output.get("sagemakerDomainUrl"));
        assertEquals("d-abc123", output.get("sagemakerDomainId"));
        assertEquals(PATH, output.get("parameterPath"));
        assertEquals("computer-vision", output.get("teamName"));
    }

    @Test
    void aRepeatWritesNothingAndAChangedValueIsOverwritten() throws Exception {
        publish("https://d-abc123.studio.us-east-1.sagemaker.aws");
        publish("https://d-abc123.studio.us-east-1.sagemaker.aws");

        assertEquals(5, parameters(Parameter::version).values().stream().filter(v -> v == 1L).count());

        publish("https://d-abc123.studio.us-east-1.sagemaker.aws/new");

        assertEquals(2L, parameters(Parameter::version).get(PATH + "sagemaker-domain-url"));
        assertEquals(1L, parameters(Parameter::version).get(PATH + "cloudtrail-arn"));
    }

    @Test
    void theDomainsRecordIsWrittenOutsideTheTeamsFolderOnceWithTheTeamAndItsExecutionRole() throws Exception {
        publish("https://d-abc123.studio.us-east-1.sagemaker.aws");
        publish("https://d-abc123.studio.us-east-1.sagemaker.aws/new");

        Parameter record = ssm.getParameter(r -> r.name("/ml-teams-domains/d-abc123")).parameter();
        assertEquals(new DomainRecord("computer-vision", "arn:aws:iam::123456789012:role/ml-platform-studio-execution"),
                DomainRecord.parse(record.value()));
        assertEquals(1L, record.version(), "an unchanged record is not written again");
        assertEquals(Map.of("ml-platform:team", "computer-vision"), ssm.listTagsForResource(r -> r
                .resourceType("Parameter").resourceId("/ml-teams-domains/d-abc123")).tagList().stream()
                .filter(t -> t.key().equals("ml-platform:team"))
                .collect(Collectors.toMap(software.amazon.awssdk.services.ssm.model.Tag::key,
                        software.amazon.awssdk.services.ssm.model.Tag::value)));
    }

    private Map<String, Object> publish(String url) throws Exception {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("request", Json.readMap(Events.read("team-onboarded.json")).get("detail"));
        state.put("resources", Map.of(
                "trail", Map.of("trailArn", "arn:aws:cloudtrail:us-east-1:123456789012:trail/ml-platform-activity",
                        "created", true),
                "logGroup", Map.of("logGroupName", "/ml-teams/computer-vision/activity"),
                "logStream", Map.of("logGroupName", "/ml-teams/computer-vision/activity", "logStreamName", "user-activity"),
                "domain", Map.of("domainId", "d-abc123", "url", url, "status", "InService")));
        return Json.readMap(LocalLambda.call(new PublishOutputsHandler(ssm, "/ml-teams"), "PublishOutputs",
                Json.write(state)));
    }

    private <T> Map<String, T> parameters(java.util.function.Function<Parameter, T> field) {
        return ssm.getParametersByPathPaginator(r -> r.path(PATH)).stream()
                .flatMap(page -> page.parameters().stream())
                .collect(Collectors.toMap(Parameter::name, field));
    }
}
