package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mlteams.common.Json;
import mlteams.local.iam.DeployedStack;
import mlteams.local.peers.RepoPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.event.ruler.Machine;

/**
 * Every EventBridge pattern in template.yaml (AWS::Events::Rule and SAM EventBridgeRule events), read from the
 * deployed form of the template ({@link DeployedStack}) and matched by AWS's own matcher (event-ruler) against realistic events: each event must reach exactly
 * the rules events/cloudtrail/rule-cases.json names, on the bus it is put on, and each alert's text must find
 * what it names in the events it alerts on.
 */
class EventPatternsTest {

    /** CloudTrail delivers its events to the account's default bus only. */
    private static final String DEFAULT_BUS = "default";
    /** Input paths an event may lack: only sessions that carry a source identity have one. */
    private static final Set<String> OPTIONAL_PATHS = Set.of("$.detail.userIdentity.sessionContext.sourceIdentity");

    /** One rule: its bus and the input transformers of its targets, with every reference resolved. */
    private record Rule(String bus, List<Map<String, Object>> transformers) {
    }

    /** An event put on a bus, and the rules that must match it. */
    private record Sample(String name, String bus, Map<String, Object> event, Set<String> rules) {
    }

    private static DeployedStack stack;
    private static Map<String, Object> cases;
    private static final Map<String, Rule> RULES = new TreeMap<>();
    private static final Machine MACHINE = new Machine();

    @BeforeAll
    static void readRules() throws IOException {
        stack = DeployedStack.load();
        cases = Json.readMap(Files.readString(RepoPaths.root().resolve("events/cloudtrail/rule-cases.json")));
        // The deployed form: SAM's EventBridgeRule events are rules of their own there (named resource + event).
        for (String id : stack.ofType("AWS::Events::Rule")) {
            Map<String, Object> properties = stack.properties(id);
            List<Map<String, Object>> transformers = new ArrayList<>();
            for (Object target : (List<?>) properties.get("Targets")) {
                Object transformer = ((Map<?, ?>) target).get("InputTransformer");
                if (transformer != null) {
                    transformers.add(map(transformer));
                }
            }
            try {
                MACHINE.addRule(id, Json.write(properties.get("EventPattern")));
            } catch (Exception e) {
                throw new AssertionError(id + "'s EventPattern is not one EventBridge accepts: " + e.getMessage(), e);
            }
            Object bus = properties.get("EventBusName");
            RULES.put(id, new Rule(bus == null ? DEFAULT_BUS : String.valueOf(bus), transformers));
        }
    }

    @Test
    void everyRuleIsExercisedAndEveryNamedRuleExists() {
        Set<String> named = new TreeSet<>();
        samples().forEach(s -> named.addAll(s.rules()));
        assertEquals(RULES.keySet(), named, "the rules in template.yaml vs. the rules rule-cases.json expects");
    }

    @TestFactory
    Stream<DynamicTest> eachEventReachesExactlyItsRules() {
        return samples().map(s -> dynamicTest(s.name(), () -> assertEquals(s.rules(), matches(s), s.name())));
    }

    /** The same call on another bucket, key, log group or trail (or by another caller) alerts as the case says. */
    @TestFactory
    Stream<DynamicTest> theSameCallOnAnotherResource() {
        return list(cases.get("cases")).stream().map(EventPatternsTest::map).filter(c -> c.get("target") != null)
                .map(c -> dynamicTest(c.get("name") + " on another " + c.get("target"), () -> {
                    Map<String, Object> record = copy(map(c.get("record")));
                    String[] path = ((String) c.get("target")).split("\\.");
                    Map<String, Object> parent = record;
                    for (int i = 0; i < path.length - 1; i++) {
                        parent = map(parent.get(path[i]));
                    }
                    // A suffix, so that a prefix or wildcard pattern would still (wrongly) match.
                    parent.put(path[path.length - 1], parent.get(path[path.length - 1]) + "-other");
                    Sample other = new Sample("", DEFAULT_BUS, envelope(record),
                            new TreeSet<>(strings(c.getOrDefault("otherTargetRules", List.of()))));
                    assertEquals(other.rules(), matches(other), c.get("name") + " on another " + c.get("target"));
                }));
    }

    @TestFactory
    Stream<DynamicTest> teamEventsStartOnlyTheirWorkflowAndOnlyFromTheTeamBus() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Object> entry : map(cases.get("teamEvents")).entrySet()) {
            Map<String, Object> event = Json.readMap(Files.readString(RepoPaths.root().resolve(entry.getKey())));
            String teamBus = stack.physicalName("TeamEventBus");
            tests.add(dynamicTest(entry.getKey() + " on the default bus", () -> assertEquals(Set.of(),
                    matches(new Sample("", DEFAULT_BUS, event, Set.of())), entry.getKey() + " on the default bus")));
            for (String field : List.of("source", "detail-type")) {
                Map<String, Object> changed = copy(event);
                changed.put(field, event.get(field) + " (other)");
                tests.add(dynamicTest(entry.getKey() + " with another " + field, () -> assertEquals(Set.of(),
                        matches(new Sample("", teamBus, changed, Set.of())), entry.getKey() + " with another " + field)));
            }
        }
        return tests.stream();
    }

    /** Every input path of an alert is in each event the alert fires on, so its text names what was touched. */
    @TestFactory
    Stream<DynamicTest> alertTextFindsItsFields() {
        List<Sample> samples = samples().toList();
        return RULES.entrySet().stream().filter(r -> !r.getValue().transformers().isEmpty())
                .map(r -> dynamicTest(r.getKey(), () -> {
                    List<Sample> alerted = samples.stream().filter(s -> matches(s).contains(r.getKey())).toList();
                    assertTrue(!alerted.isEmpty(), "no sample event for " + r.getKey());
                    List<String> problems = new ArrayList<>();
                    for (Map<String, Object> transformer : r.getValue().transformers()) {
                        Map<String, Object> paths = map(transformer.get("InputPathsMap"));
                        Matcher placeholders = Pattern.compile("<([^>]+)>")
                                .matcher(String.valueOf(transformer.get("InputTemplate")));
                        while (placeholders.find()) {
                            if (!paths.containsKey(placeholders.group(1))) {
                                problems.add("<" + placeholders.group(1) + "> is not in InputPathsMap");
                            }
                        }
                        paths.forEach((name, path) -> {
                            List<String> lacking = alerted.stream()
                                    .filter(s -> valueAt(s.event(), (String) path) == null).map(Sample::name).toList();
                            if (OPTIONAL_PATHS.contains(path) ? lacking.size() == alerted.size() : !lacking.isEmpty()) {
                                problems.add("<" + name + "> (" + path + ") is missing from " + lacking);
                            }
                        });
                    }
                    assertEquals(List.of(), problems, r.getKey() + "'s alert text");
                }));
    }

    private static Set<String> matches(Sample sample) {
        try {
            Set<String> matched = new TreeSet<>(MACHINE.rulesForJSONEvent(Json.write(sample.event())));
            matched.removeIf(rule -> !RULES.get(rule).bus().equals(sample.bus())); // a rule sees only its bus
            return matched;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Every CloudTrail record of rule-cases.json and corpus.json, and the team events on the team bus. */
    private static Stream<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        for (Object c : list(cases.get("cases"))) {
            samples.add(new Sample((String) map(c).get("name"), DEFAULT_BUS, envelope(map(map(c).get("record"))),
                    new TreeSet<>(strings(map(c).get("rules")))));
        }
        try {
            Map<String, Object> corpus = Json.readMap(
                    Files.readString(RepoPaths.root().resolve("events/cloudtrail/corpus.json")));
            Map<String, Object> corpusRules = map(cases.get("corpusRules"));
            for (Object c : list(corpus.get("cases"))) {
                String name = (String) map(c).get("name");
                if (map(c).get("record") instanceof Map<?, ?> record && record.get("eventSource") != null) {
                    samples.add(new Sample("corpus " + name, DEFAULT_BUS, envelope(map(record)),
                            new TreeSet<>(strings(corpusRules.getOrDefault(name, List.of())))));
                }
            }
            for (Map.Entry<String, Object> entry : map(cases.get("teamEvents")).entrySet()) {
                samples.add(new Sample(entry.getKey(), stack.physicalName("TeamEventBus"),
                        Json.readMap(Files.readString(RepoPaths.root().resolve(entry.getKey()))),
                        new TreeSet<>(strings(entry.getValue()))));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return samples.stream();
    }

    /** The "AWS API Call via CloudTrail" event EventBridge makes of a CloudTrail record. */
    private static Map<String, Object> envelope(Map<String, Object> record) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", record.get("eventID"));
        event.put("detail-type", "AWS API Call via CloudTrail");
        event.put("source", "aws." + ((String) record.get("eventSource")).replace(".amazonaws.com", ""));
        event.put("account", record.get("recipientAccountId"));
        event.put("time", record.get("eventTime"));
        event.put("region", record.get("awsRegion"));
        event.put("resources", List.of());
        event.put("detail", record);
        return event;
    }

    private static Object valueAt(Map<String, Object> event, String path) {
        Object node = event;
        for (String key : path.replaceFirst("^\\$\\.", "").split("\\.")) {
            node = node instanceof Map<?, ?> m ? m.get(key) : null;
        }
        return node;
    }

    private static Map<String, Object> copy(Map<String, Object> value) {
        return Json.readMap(Json.write(value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static List<?> list(Object value) {
        return (List<?>) value;
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }
}
