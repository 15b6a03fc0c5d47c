package mlteams.local.iam;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkRequest;

/**
 * What IAM authorizes for one SDK call: the action, the resource ARN and the context keys, as the Service
 * Authorization Reference gives them for each operation, plus what the call implies (passing a role, tagging on
 * create). An operation without a rule here fails the test that meets it: a new call needs its ARN written down.
 */
public final class IamRequests {

    /** One authorization: action on resource, with context. */
    public record Authorization(String action, String resource, Map<String, Object> context) {

        /** The same request with local names replaced by the deployed ones ({@link DeployedStack#renamesFrom}). */
        public Authorization renamed(Map<String, String> renames) {
            Map<String, Object> renamedContext = new java.util.TreeMap<>();
            context.forEach((k, v) -> renamedContext.put(k, rename(String.valueOf(v), renames)));
            return new Authorization(action, rename(resource, renames), renamedContext);
        }

        /** This request as the function's deployed role makes it. */
        public IamCase byFunction(DeployedStack stack, String functionLogicalId) {
            return IamCase.byRole(stack, stack.roleOfFunction(functionLogicalId), action, resource, context, null);
        }

        private static String rename(String value, Map<String, String> renames) {
            for (Map.Entry<String, String> e : renames.entrySet()) {
                value = value.replace(e.getKey(), e.getValue());
            }
            return value;
        }
    }

    private final String region;
    private final String account;

    public IamRequests(String region, String account) {
        this.region = region;
        this.account = account;
    }

    /** The authorizations of one call; prefix is the IAM service prefix ("logs", "sagemaker", …). */
    public List<Authorization> of(String prefix, String operation, SdkRequest request) {
        List<Authorization> out = new ArrayList<>();
        String action = prefix + ":" + operation;
        switch (prefix) {
            case "logs" -> logs(out, action, operation, request);
            case "cloudwatch" -> cloudWatch(out, action, operation, request);
            case "cloudtrail" -> {
                String name = field(request, "Name").or(() -> field(request, "TrailName")).orElseThrow();
                String trail = name.startsWith("arn:") ? name : arn("cloudtrail", "trail/" + name);
                out.add(new Authorization(action, trail, Map.of()));
                field(request, "CloudWatchLogsRoleArn").ifPresent(role -> out.add(passRole(role, "cloudtrail")));
                if (hasTags(request, "TagsList")) {
                    out.add(new Authorization("cloudtrail:AddTags", trail, Map.of()));
                }
            }
            case "sagemaker" -> sageMaker(out, action, operation, request);
            case "ssm" -> {
                List<String> names = new ArrayList<>();
                field(request, "Name").or(() -> field(request, "Path")).ifPresent(names::add);
                request.getValueForField("Names", Collection.class).ifPresent(n -> n.forEach(x -> names.add((String) x)));
                for (String name : names) {
                    String parameter = arn("ssm", "parameter/" + name.replaceFirst("^/", ""));
                    out.add(new Authorization(action, parameter, Map.of()));
                    if (hasTags(request, "Tags")) {
                        out.add(new Authorization("ssm:AddTagsToResource", parameter, Map.of()));
                    }
                }
            }
            case "dynamodb" -> out.add(new Authorization(action, arn("dynamodb", "table/" + field(request, "TableName")
                    .orElseThrow()), Map.of()));
            default -> throw new IllegalArgumentException("no IAM rule for " + action);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no IAM rule for " + action);
        }
        return out;
    }

    private void logs(List<Authorization> out, String action, String operation, SdkRequest request) {
        Optional<String> group = field(request, "logGroupName").or(() -> field(request, "logGroupIdentifier"));
        Optional<String> stream = field(request, "logStreamName");
        switch (operation) {
            case "PutQueryDefinition", "DescribeQueryDefinitions", "DeleteQueryDefinition", "DescribeLogGroups" ->
                    out.add(new Authorization(action, "*", Map.of()));
            case "TagResource", "ListTagsForResource", "UntagResource" ->
                    out.add(new Authorization(action, field(request, "resourceArn").orElseThrow(), Map.of()));
            case "CreateLogStream", "PutLogEvents" -> out.add(new Authorization(action,
                    arn("logs", "log-group:" + group.orElseThrow() + ":log-stream:" + stream.orElseThrow()), Map.of()));
            default -> {
                // Log-group actions are authorized on the group's ARN as AWS returns it, ending in ":*".
                out.add(new Authorization(action, arn("logs", "log-group:" + group.orElse("*") + (group.isPresent()
                        ? ":*" : "")), Map.of()));
                if (operation.equals("CreateLogGroup") && hasTags(request, "tags")) {
                    out.add(new Authorization("logs:TagResource", arn("logs", "log-group:" + group.get() + ":*"), Map.of()));
                }
            }
        }
    }

    private void cloudWatch(List<Authorization> out, String action, String operation, SdkRequest request) {
        switch (operation) {
            case "PutMetricAlarm" -> out.add(new Authorization(action, arn("cloudwatch", "alarm:"
                    + field(request, "AlarmName").orElseThrow()), Map.of()));
            case "DescribeAlarms" -> out.add(new Authorization(action, arn("cloudwatch", "alarm:*"), Map.of()));
            case "DeleteAlarms" -> request.getValueForField("AlarmNames", Collection.class).orElseThrow()
                    .forEach(n -> out.add(new Authorization(action, arn("cloudwatch", "alarm:" + n), Map.of())));
            case "PutDashboard", "GetDashboard" -> out.add(new Authorization(action, dashboard(
                    field(request, "DashboardName").orElseThrow()), Map.of()));
            case "DeleteDashboards" -> request.getValueForField("DashboardNames", Collection.class).orElseThrow()
                    .forEach(n -> out.add(new Authorization(action, dashboard((String) n), Map.of())));
            default -> { }
        }
    }

    private void sageMaker(List<Authorization> out, String action, String operation, SdkRequest request) {
        Optional<String> domain = field(request, "DomainId");
        Optional<String> profile = field(request, "UserProfileName");
        switch (operation) {
            case "ListDomains", "ListApps", "ListSpaces", "ListUserProfiles" ->
                    out.add(new Authorization(action, "*", Map.of()));
            case "CreateDomain" -> {
                String arn = arn("sagemaker", "domain/" + field(request, "DomainName").orElseThrow());
                out.add(new Authorization(action, arn, Map.of()));
                if (hasTags(request, "Tags")) {
                    out.add(new Authorization("sagemaker:AddTags", arn, Map.of()));
                }
                request.getValueForField("DefaultUserSettings", Object.class)
                        .flatMap(s -> ((software.amazon.awssdk.core.SdkPojo) s).sdkFields().stream()
                                .filter(f -> f.memberName().equals("ExecutionRole"))
                                .map(f -> (String) f.getValueOrDefault(s)).findFirst())
                        .ifPresent(role -> out.add(passRole(role, "sagemaker")));
            }
            case "DescribeDomain", "DeleteDomain", "UpdateDomain" ->
                    out.add(new Authorization(action, arn("sagemaker", "domain/" + domain.orElseThrow()), Map.of()));
            case "DeleteApp" -> out.add(new Authorization(action, arn("sagemaker", "app/" + domain.orElseThrow() + "/"
                    + profile.or(() -> field(request, "SpaceName")).orElseThrow().toLowerCase() + "/"
                    + field(request, "AppType").orElseThrow().toLowerCase() + "/"
                    + field(request, "AppName").orElseThrow().toLowerCase()), Map.of()));
            case "DeleteSpace", "DescribeSpace" -> out.add(new Authorization(action, arn("sagemaker", "space/"
                    + domain.orElseThrow() + "/" + field(request, "SpaceName").orElseThrow()), Map.of()));
            case "CreateUserProfile", "DescribeUserProfile", "DeleteUserProfile", "UpdateUserProfile" -> {
                String arn = arn("sagemaker", "user-profile/" + domain.orElseThrow() + "/" + profile.orElseThrow());
                out.add(new Authorization(action, arn, Map.of()));
                if (hasTags(request, "Tags")) {
                    out.add(new Authorization("sagemaker:AddTags", arn, Map.of()));
                }
            }
            case "AddTags", "ListTags", "DeleteTags" ->
                    out.add(new Authorization(action, field(request, "ResourceArn").orElseThrow(), Map.of()));
            default -> { }
        }
    }

    private Authorization passRole(String role, String service) {
        return new Authorization("iam:PassRole", role, Map.of("iam:PassedToService", service + ".amazonaws.com"));
    }

    private String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + region + ":" + account + ":" + resource;
    }

    private String dashboard(String name) {
        return "arn:aws:cloudwatch::" + account + ":dashboard/" + name; // dashboards are global
    }

    private static Optional<String> field(SdkRequest request, String name) {
        return request.getValueForField(name, String.class);
    }

    private static boolean hasTags(SdkRequest request, String name) {
        Object tags = request.getValueForField(name, Object.class).orElse(null);
        return tags instanceof Collection<?> c && !c.isEmpty() || tags instanceof Map<?, ?> m && !m.isEmpty();
    }
}
