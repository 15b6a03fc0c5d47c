package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The roles validation lets a request name are exactly the roles EnsureDomain may pass to SageMaker: both come from
 * the same template parameters, so a request can never get past validation with a role CreateDomain cannot pass.
 */
class ExecutionRolesTemplateTest {

    private final TemplatePolicies template = TemplatePolicies.load();

    @Test
    void validationAllowsExactlyTheRolesEnsureDomainMayPass() {
        List<Object> passRoleResources = new ArrayList<>();
        statements(template.properties("EnsureDomainFunction").get("Policies"), passRoleResources);
        Set<String> passable = new TreeSet<>();
        for (Object resource : passRoleResources) {
            if (!(resource instanceof Map<?, ?> ref && ref.get("Ref") instanceof String parameter)) {
                throw new AssertionError("EnsureDomain may pass a role that is not a parameter: " + resource);
            }
            passable.add(parameter);
        }
        Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) template.properties("ValidateRequestFunction").get("Environment"))
                .get("Variables");
        Set<String> allowed = new TreeSet<>();
        refs(variables.get("ALLOWED_EXECUTION_ROLE_ARNS"), allowed);

        assertEquals(Set.of("DefaultExecutionRoleArn", "ExtraExecutionRoleArns"), passable);
        assertEquals(passable, allowed);
    }

    /** The resources of every iam:PassRole statement, through Fn::If branches (AWS::NoValue adds none). */
    private static void statements(Object node, List<Object> passRoleResources) {
        if (node instanceof List<?> list) {
            list.forEach(item -> statements(item, passRoleResources));
        } else if (node instanceof Map<?, ?> map) {
            if ("iam:PassRole".equals(map.get("Action"))) {
                Object resource = map.get("Resource");
                passRoleResources.addAll(resource instanceof List<?> many ? many : List.of(resource));
            } else {
                map.values().forEach(value -> statements(value, passRoleResources));
            }
        }
    }

    private static void refs(Object node, Set<String> names) {
        if (node instanceof List<?> list) {
            list.forEach(item -> refs(item, names));
        } else if (node instanceof Map<?, ?> map) {
            if (map.get("Ref") instanceof String name) {
                names.add(name);
            } else {
                map.values().forEach(value -> refs(value, names));
            }
        }
    }
}
