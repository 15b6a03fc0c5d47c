package mlteams.local.iam;

import java.util.List;
import java.util.Map;

/**
 * One request for the IAM evaluator: who asks to do what on which resource, with the context keys IAM would see,
 * and the policies that decide it (the caller's identity policies and boundary, the resource's own policy).
 */
public record IamCase(String id, String principal, String action, String resource, String accountId,
        Map<String, Object> context, List<Policy> identityPolicies, Object permissionsBoundary, Object resourcePolicy) {

    /** IAM always knows an IAM caller's ARN: aws:PrincipalArn is in every such request's context. */
    public IamCase {
        if (principal.startsWith("arn:") && !context.containsKey("aws:PrincipalArn")) {
            context = new java.util.LinkedHashMap<>(context);
            context.put("aws:PrincipalArn", principal);
        }
    }

    /** A named policy document, as IAM holds it. */
    public record Policy(String name, Object policy) {
    }

    /** A call by a role of the stack, under its identity policies, boundary and principal tags. */
    public static IamCase byRole(DeployedStack stack, String roleLogicalId, String action, String resource,
            Map<String, Object> context, Object resourcePolicy) {
        Map<String, Object> withTags = new java.util.LinkedHashMap<>(stack.principalTags(roleLogicalId));
        withTags.putAll(context);
        String roleArn = stack.roleArn(roleLogicalId);
        return new IamCase(roleLogicalId + " " + action + " " + resource, roleArn, action, resource, stack.account,
                withTags, stack.identityPolicies(roleLogicalId), stack.permissionsBoundary(roleLogicalId),
                resourcePolicy);
    }

    /** A call by an AWS service principal, decided by the resource's policy alone. */
    public static IamCase byService(DeployedStack stack, String service, String action, String resource,
            Map<String, Object> context, Object resourcePolicy) {
        return new IamCase(service + " " + action + " " + resource + " " + context, service, action, resource, stack.account,
                context, List.of(), null, resourcePolicy);
    }
}
