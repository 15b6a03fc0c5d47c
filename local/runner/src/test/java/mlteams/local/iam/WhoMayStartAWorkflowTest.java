package mlteams.local.iam;

import static mlteams.local.iam.ServicePrincipalsTest.assertAllowed;
import static mlteams.local.iam.ServicePrincipalsTest.assertDenied;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Onboarding and offboarding start from team events on the stack's own bus, or from the console. Only the
 * principals TeamEventPublisherArns names may put team events, whatever their own IAM policies allow; console
 * runs need the operator policy, which reaches the two workflows and nothing else.
 */
class WhoMayStartAWorkflowTest {

    private static final String PUBLISHER = "arn:aws:iam::123456789012:role/platform-team-service";
    private static final Map<String, Object> EVERYTHING = Map.of("Version", "2012-10-17", "Statement",
            List.of(Map.of("Effect", "Allow", "Action", "*", "Resource", "*")));

    @Test
    void onlyTheNamedPublishersMayPutTeamEvents() {
        DeployedStack stack = DeployedStack.load(Map.of("TeamEventPublisherArns", PUBLISHER));
        String bus = stack.arn("events", "event-bus/" + stack.physicalName("TeamEventBus"));
        assertAllowed(List.of(putEvents(stack, PUBLISHER, bus, List.of())));
        assertDenied(List.of(
                putEvents(stack, "arn:aws:iam::123456789012:role/Admin", bus, List.of(EVERYTHING)),
                putEvents(stack, "arn:aws:iam::123456789012:user/alice", bus, List.of(EVERYTHING)),
                putEvents(stack, "arn:aws:iam::999999999999:role/platform-team-service", bus, List.of(EVERYTHING))));
    }

    @Test
    void withNoPublisherNamedNobodyMayPutTeamEvents() {
        DeployedStack stack = DeployedStack.load(Map.of("TeamEventPublisherArns", ""));
        String bus = stack.arn("events", "event-bus/" + stack.physicalName("TeamEventBus"));
        assertDenied(List.of(putEvents(stack, PUBLISHER, bus, List.of(EVERYTHING)),
                putEvents(stack, "arn:aws:iam::123456789012:role/Admin", bus, List.of(EVERYTHING))));
    }

    @Test
    void theOperatorPolicyReachesTheWorkflowsAndThePlanAndNothingElse() {
        DeployedStack stack = DeployedStack.load();
        List<IamCase.Policy> operator = List.of(new IamCase.Policy("TeamOperatorPolicy",
                stack.properties("TeamOperatorPolicy").get("PolicyDocument")));
        String onboarding = stack.arn("states", "stateMachine:" + stack.physicalName("OnboardingStateMachine"));
        String offboarding = stack.arn("states", "stateMachine:" + stack.physicalName("OffboardingStateMachine"));
        String execution = stack.arn("states", "execution:" + stack.physicalName("OffboardingStateMachine") + ":run-1");
        String plan = stack.arn("states", "stateMachine:" + stack.physicalName("PlanStateMachine"));
        String planLog = stack.arn("logs", "log-group:" + stack.physicalName("PlanStateMachineLogGroup") + ":log-stream:x");
        assertAllowed(List.of(
                operator(stack, operator, "states:StartSyncExecution", plan),
                operator(stack, operator, "states:StartExecution", plan),
                operator(stack, operator, "logs:GetLogEvents", planLog),
                operator(stack, operator, "states:StartExecution", onboarding),
                operator(stack, operator, "states:StartExecution", offboarding),
                operator(stack, operator, "states:DescribeExecution", execution),
                operator(stack, operator, "states:StopExecution", execution)));
        assertDenied(List.of(
                operator(stack, operator, "states:StartExecution", stack.arn("states", "stateMachine:someone-elses")),
                operator(stack, operator, "states:StartSyncExecution", onboarding),
                operator(stack, operator, "logs:GetLogEvents", stack.arn("logs", "log-group:"
                        + stack.physicalName("TrailLogGroup") + ":log-stream:x")),
                operator(stack, operator, "states:StopExecution", stack.arn("states", "execution:someone-elses:run-1")),
                operator(stack, operator, "lambda:InvokeFunction", stack.arn("lambda", "function:"
                        + stack.physicalName("EnsureDomainFunction"))),
                putEvents(stack, "arn:aws:iam::123456789012:role/operator", stack.arn("events", "event-bus/"
                        + stack.physicalName("TeamEventBus")), List.of(operator.get(0).policy()))));
    }

    private static IamCase operator(DeployedStack stack, List<IamCase.Policy> policies, String action, String resource) {
        return new IamCase("operator " + action + " " + resource, "arn:aws:iam::123456789012:role/operator", action,
                resource, stack.account, Map.of(), policies, null, null);
    }

    private static IamCase putEvents(DeployedStack stack, String principal, String bus, List<Object> identity) {
        return new IamCase(principal + " events:PutEvents " + bus, principal, "events:PutEvents", bus, stack.account,
                Map.of(), identity.stream().map(p -> new IamCase.Policy("identity", p)).toList(), null,
                stack.properties("TeamEventBus").get("Policy"));
    }
}
