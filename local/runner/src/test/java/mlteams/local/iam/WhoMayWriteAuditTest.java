package mlteams.local.iam;

import static mlteams.local.iam.ServicePrincipalsTest.assertAllowed;
import static mlteams.local.iam.ServicePrincipalsTest.assertDenied;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mlteams.common.TeamNames;
import org.junit.jupiter.api.Test;

/**
 * Audit records are only as good as who may write them. Each function may write its own log group; only the
 * activity monitor may write activity records (team streams, the unattributed stream); none may write the trail's
 * log group. And no function may pass a role it does not need. Decided by {@link IamSimulator} on the roles SAM
 * generates, AWSLambdaBasicExecutionRole (PutLogEvents on "*") included.
 */
class WhoMayWriteAuditTest {

    private static final String MONITOR = "ActivityMonitorFunction";
    private final DeployedStack stack = DeployedStack.load();

    @Test
    void eachFunctionWritesItsOwnLogGroupAndOnlyTheMonitorWritesActivity() {
        String teamStream = stream(TeamNames.logGroupName((String) stack.parameter("LogGroupPrefix"), "computer-vision"),
                TeamNames.LOG_STREAM_NAME);
        String unattributed = stream(stack.physicalName("UnattributedActivityLogGroup"), "unattributed");
        String trail = stream(stack.physicalName("TrailLogGroup"), stack.account + "_CloudTrail_" + stack.region);
        List<String> functions = stack.ofType("AWS::Lambda::Function");
        List<IamCase> allowed = new ArrayList<>();
        List<IamCase> denied = new ArrayList<>();
        for (String function : functions) {
            String role = stack.roleOfFunction(function);
            String own = ownLogGroup(function);
            allowed.add(write(role, stream(own, "2026/11/29/[$LATEST]0123456789abcdef")));
            (function.equals(MONITOR) ? allowed : denied).add(write(role, teamStream));
            (function.equals(MONITOR) ? allowed : denied).add(write(role, unattributed));
            denied.add(write(role, trail));
            String other = ownLogGroup(functions.get((functions.indexOf(function) + 1) % functions.size()));
            denied.add(write(role, stream(other, "2026/11/29/[$LATEST]0123456789abcdef")));
        }
        assertEquals(stack.ofType("AWS::IAM::Role").stream().filter(r -> r.endsWith("FunctionRole")).count(),
                (long) functions.size(), "every function, each with a role of its own: " + functions);
        assertAllowed(allowed);
        assertDenied(denied);
    }

    @Test
    void onlyTheStepsThatPassARoleMayPassIt() {
        String executionRole = (String) stack.parameter("DefaultExecutionRoleArn");
        String deliveryRole = stack.roleArn("TrailLogsRole");
        String anyRole = "arn:aws:iam::" + stack.account + ":role/Admin";
        List<IamCase> allowed = new ArrayList<>();
        List<IamCase> denied = new ArrayList<>();
        List<String> roles = new ArrayList<>(stack.ofType("AWS::Lambda::Function").stream().map(stack::roleOfFunction)
                .toList());
        stack.ofType("AWS::StepFunctions::StateMachine").forEach(m -> roles.add(roleOf(m)));
        for (String role : roles) {
            (role.equals(stack.roleOfFunction("EnsureDomainFunction")) ? allowed : denied)
                    .add(passRole(role, executionRole, "sagemaker.amazonaws.com"));
            (role.equals(stack.roleOfFunction("EnsureTrailFunction")) ? allowed : denied)
                    .add(passRole(role, deliveryRole, "cloudtrail.amazonaws.com"));
            for (String service : List.of("sagemaker.amazonaws.com", "cloudtrail.amazonaws.com", "lambda.amazonaws.com")) {
                denied.add(passRole(role, anyRole, service));
            }
            denied.add(passRole(role, executionRole, "lambda.amazonaws.com"));
        }
        assertAllowed(allowed);
        assertDenied(denied);
    }

    private IamCase write(String role, String streamArn) {
        return IamCase.byRole(stack, role, "logs:PutLogEvents", streamArn, Map.of(), null);
    }

    private IamCase passRole(String role, String passed, String service) {
        return IamCase.byRole(stack, role, "iam:PassRole", passed, Map.of("iam:PassedToService", service), null);
    }

    private String stream(String group, String stream) {
        return stack.arn("logs", "log-group:" + group + ":log-stream:" + stream);
    }

    @SuppressWarnings("unchecked")
    private String ownLogGroup(String function) {
        return (String) ((Map<String, Object>) stack.properties(function).get("LoggingConfig")).get("LogGroup");
    }

    private String roleOf(String stateMachine) {
        String arn = (String) stack.properties(stateMachine).get("RoleArn");
        return stack.ofType("AWS::IAM::Role").stream().filter(r -> stack.roleArn(r).equals(arn)).findFirst().orElseThrow();
    }
}
