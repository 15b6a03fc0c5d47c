package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What template.yaml leaves behind when a create rolls back and when the stack is deleted. */
class StackDeletionTest {

    private static final TemplatePolicies TEMPLATE = TemplatePolicies.load();
    private static final Set<String> RETAINED = Set.of("Retain", "RetainExceptOnCreate");

    /** The property that names each resource type the template retains. */
    private static final Map<String, String> NAME_PROPERTY = Map.ofEntries(
            Map.entry("AWS::Logs::LogGroup", "LogGroupName"),
            Map.entry("AWS::S3::Bucket", "BucketName"),
            Map.entry("AWS::S3::BucketPolicy", ""), // no name of its own: one policy per bucket, replaced in place
            Map.entry("AWS::KMS::Key", ""), // keys have generated ids only
            Map.entry("AWS::IAM::Role", "RoleName"),
            Map.entry("AWS::SQS::Queue", "QueueName"),
            Map.entry("AWS::SNS::Topic", "TopicName"));

    /**
     * A resource kept by {@code Retain} survives a create that rolls back. If its name is fixed, the next deploy
     * of the stack fails with "already exists". {@code RetainExceptOnCreate} keeps it on stack deletion only.
     * A name made from the stack name counts as fixed too: a rolled-back stack is deleted and created again
     * under the same name.
     */
    @Test
    void noResourceWithAFixedNameSurvivesARolledBackCreate() {
        List<String> blocking = new ArrayList<>();
        for (String id : TEMPLATE.resourceIds()) {
            if (!"Retain".equals(TEMPLATE.deletionPolicy(id))) {
                continue;
            }
            String nameProperty = NAME_PROPERTY.get(TEMPLATE.typeOf(id));
            if (nameProperty == null) {
                throw new AssertionError(id + " (" + TEMPLATE.typeOf(id) + ") is retained; add its name property to "
                        + "NAME_PROPERTY so that this test can tell whether its name is fixed");
            }
            Object name = nameProperty.isEmpty() ? null : TEMPLATE.properties(id).get(nameProperty);
            if (name != null && isFixed(name)) {
                blocking.add(id + " " + name);
            }
        }
        assertEquals(List.of(), blocking, "fixed-name resources with DeletionPolicy Retain (use RetainExceptOnCreate)");
    }

    /**
     * The shared trail is made by a function, not by the stack, so it outlives a stack deletion and keeps
     * logging. Everything it delivers through must outlive the stack too, or auditing stops silently: the
     * bucket, the bucket's policy, the key, the trail's log group and the delivery role.
     */
    @Test
    void everythingTheTrailDeliversThroughIsRetainedOnStackDeletion() {
        String ensureTrail = TEMPLATE.functionWithHandler("mlteams.trail.EnsureTrailHandler");
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) TEMPLATE.properties(ensureTrail)
                .get("Environment")).get("Variables");
        Set<String> dependencies = new TreeSet<>();
        variables.values().forEach(value -> dependencies.addAll(referencedResources(value)));
        for (String policy : TEMPLATE.ofType("AWS::S3::BucketPolicy")) {
            if (dependencies.containsAll(referencedResources(TEMPLATE.properties(policy).get("Bucket")))) {
                dependencies.add(policy);
            }
        }
        assertEquals(Set.of("AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::KMS::Key", "AWS::Logs::LogGroup",
                "AWS::IAM::Role"), dependencies.stream().map(TEMPLATE::typeOf).collect(java.util.stream.Collectors.toSet()),
                "what the trail delivers through: " + dependencies);

        List<String> deleted = dependencies.stream().filter(id -> !RETAINED.contains(TEMPLATE.deletionPolicy(id)))
                .map(id -> id + " (" + TEMPLATE.deletionPolicy(id) + ")").toList();
        assertEquals(List.of(), deleted, "trail delivery dependencies deleted with the stack");
    }

    @Test
    void fixedNamesAreToldFromGeneratedOnes() {
        assertTrue(isFixed("/ml-platform/activity/unattributed"));
        assertTrue(isFixed(Map.of("Fn::Sub", "/ml-platform/cloudtrail/${TrailName}")));
        assertTrue(isFixed(Map.of("Fn::Sub", "/aws/lambda/${AWS::StackName}-ClaimTeam")));
        assertTrue(isFixed(Map.of("Ref", "TrailName")));
        assertTrue(!isFixed(Map.of("Fn::Sub", "${TrailBucket}-copy")));
        assertTrue(!isFixed(Map.of("Fn::Sub", "logs-${AWS::StackId}")));
        assertTrue(!isFixed(Map.of("Fn::GetAtt", List.of("TrailBucket", "Arn"))));
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");
    /** Pseudo parameters whose value is the same for every stack of this name in this account and Region. */
    private static final Set<String> FIXED_PSEUDO = Set.of("AWS::StackName", "AWS::Region", "AWS::AccountId",
            "AWS::Partition", "AWS::URLSuffix");

    /** Whether a name is the same on every deploy: literals, parameters and the stack name, nothing generated. */
    @SuppressWarnings("unchecked")
    private static boolean isFixed(Object name) {
        if (name instanceof String) {
            return true;
        }
        if (name instanceof Map<?, ?> function && function.size() == 1) {
            Map.Entry<?, ?> entry = function.entrySet().iterator().next();
            Object argument = entry.getValue();
            switch ((String) entry.getKey()) {
                case "Ref":
                    return isFixedReference((String) argument);
                case "Fn::Sub": {
                    String text = argument instanceof List<?> l ? (String) l.get(0) : (String) argument;
                    Map<String, Object> locals = argument instanceof List<?> l && l.size() > 1
                            ? (Map<String, Object>) l.get(1) : Map.of();
                    Matcher variable = SUB_VARIABLE.matcher(text);
                    while (variable.find()) {
                        String reference = variable.group(1);
                        boolean fixed = locals.containsKey(reference) ? isFixed(locals.get(reference))
                                : isFixedReference(reference);
                        if (!fixed) {
                            return false;
                        }
                    }
                    return true;
                }
                case "Fn::Join":
                    return ((List<Object>) ((List<Object>) argument).get(1)).stream().allMatch(StackDeletionTest::isFixed);
                default:
                    return false; // Fn::GetAtt, Fn::Select of generated values, …: unique to this stack
            }
        }
        return false;
    }

    private static boolean isFixedReference(String reference) {
        return FIXED_PSEUDO.contains(reference) || TEMPLATE.isParameter(reference);
    }

    /** Logical ids of the resources a value refers to through Ref, Fn::GetAtt or Fn::Sub. */
    @SuppressWarnings("unchecked")
    private static Set<String> referencedResources(Object value) {
        Set<String> ids = new TreeSet<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, argument) -> {
                if ("Ref".equals(key) && argument instanceof String ref) {
                    ids.add(ref);
                } else if ("Fn::GetAtt".equals(key)) {
                    ids.add(argument instanceof List<?> l ? (String) l.get(0) : ((String) argument).split("\\.")[0]);
                } else if ("Fn::Sub".equals(key)) {
                    String text = argument instanceof List<?> l ? (String) l.get(0) : (String) argument;
                    Matcher variable = SUB_VARIABLE.matcher(text);
                    while (variable.find()) {
                        ids.add(variable.group(1).split("\\.")[0]);
                    }
                } else {
                    ids.addAll(referencedResources(argument));
                }
            });
        } else if (value instanceof List<?> list) {
            list.forEach(item -> ids.addAll(referencedResources(item)));
        }
        ids.removeIf(id -> id.startsWith("AWS::") || TEMPLATE.isParameter(id));
        return ids;
    }
}
