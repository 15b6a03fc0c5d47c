package mlteams.activity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mlteams.common.DomainRecord;
import mlteams.local.peers.Events;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AuthMode;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * events/cloudtrail/corpus.json with its placeholder domain ids replaced by real ones. In moto the domains are
 * created for real and their ids used; the benchmark keeps the placeholders and a fixed lookup. Records are handed
 * on exactly as written (nulls included), one line each.
 */
final class Corpus {

    static final ObjectMapper MAPPER = new ObjectMapper();
    /** The ParameterPrefix the tests' domain records live under (the template's default). */
    static final String PARAMETER_PREFIX = "/ml-teams";

    /** One record and what attribution must say about it. recordJson is exactly what goes into the Attributor. */
    record Case(String name, Map<String, String> expected, String recordJson) {
        boolean malformed() {
            return expected.containsKey("malformed");
        }

        String expect(String key) {
            return expected.get(key);
        }
    }

    private final JsonNode raw;
    private final Map<String, String> ids; // placeholder -> real

    private Corpus(JsonNode raw, Map<String, String> ids) {
        this.raw = raw;
        this.ids = ids;
    }

    static JsonNode read() {
        return parse(Events.read("cloudtrail/corpus.json"));
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Creates the corpus's named domains in the emulator, each giving its people its executionRole; domains without
     * a name stay unknown to it. A team's domain gets the durable record onboarding writes (PublishOutputs, under
     * {@link #PARAMETER_PREFIX}); a deleted one is then deleted, which leaves its record, as offboarding does.
     */
    static Corpus inEmulator(SageMakerClient sageMaker, SsmClient ssm) {
        JsonNode raw = read();
        Map<String, String> ids = new LinkedHashMap<>();
        raw.get("domains").properties().forEach(domain -> {
            JsonNode d = domain.getValue();
            if (!d.get("name").isNull()) {
                String role = d.get("executionRole").asText();
                var created = sageMaker.createDomain(r -> r.domainName(d.get("name").asText()).authMode(AuthMode.IAM)
                        .vpcId("vpc-0a1b2c3d4e5f60718").subnetIds("subnet-0a1b2c3d4e5f60718")
                        .defaultUserSettings(u -> u.executionRole(role)));
                // CreateDomain answers with the domain's ARN (moto gives no DomainId); the id is its last part.
                String id = created.domainId() != null ? created.domainId() : DomainIds.fromArn(created.domainArn());
                ids.put(domain.getKey(), id);
                if (!d.get("team").isNull()) {
                    ssm.putParameter(r -> r.name(DomainRecord.name(PARAMETER_PREFIX, id)).type(ParameterType.STRING)
                            .value(new DomainRecord(d.get("team").asText(), role).toJson()));
                }
                if (d.path("deleted").asBoolean()) {
                    sageMaker.deleteDomain(r -> r.domainId(id));
                }
            }
        });
        return new Corpus(raw, ids);
    }

    /** The corpus as written, placeholder ids and all. */
    static Corpus asWritten() {
        return new Corpus(read(), Map.of());
    }

    /** The teams of the corpus's domains, by placeholder id, as an in-memory lookup. */
    static TeamLookup fixedLookup() {
        Map<String, String> teams = new LinkedHashMap<>();
        read().get("domains").properties().forEach(domain -> {
            JsonNode team = domain.getValue().get("team");
            if (!team.isNull()) {
                teams.put(domain.getKey(), team.asText());
            }
        });
        return id -> Optional.ofNullable(teams.get(id));
    }

    String realId(String placeholder) {
        return ids.getOrDefault(placeholder, placeholder);
    }

    String template(String text) {
        for (var e : ids.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        return text;
    }

    List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : raw.get("cases")) {
            Map<String, String> expected = new LinkedHashMap<>();
            c.get("expected").properties().forEach(e ->
                    expected.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
            expected.computeIfPresent("domainId", (k, id) -> realId(id));
            expected.computeIfPresent("unattributedReason", (k, reason) -> template(reason));
            String json;
            if (c.has("recordText")) {
                json = c.get("recordText").asText();
            } else if (c.has("padTo")) {
                json = padded((ObjectNode) c.get("record").deepCopy(), c.get("padTo").asInt());
            } else {
                json = write(c.get("record"));
            }
            cases.add(new Case(c.get("name").asText(), expected, template(json)));
        }
        return cases;
    }

    /** The record grown to the given size in UTF-8 bytes, by a padding hyperparameter. */
    static String padded(ObjectNode record, int bytes) {
        ObjectNode hyper = ((ObjectNode) record.get("requestParameters")).withObject("/hyperParameters");
        hyper.put("padding", "");
        int size = write(record).getBytes(StandardCharsets.UTF_8).length;
        hyper.put("padding", "x".repeat(Math.max(0, bytes - size)));
        return write(record);
    }

    /** The committed sample log file, with real ids. */
    String sampleLogFile() {
        return template(Events.read("cloudtrail/sample-log-file.json"));
    }
}
