package mlteams.local.iam;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.Json;
import mlteams.local.peers.RepoPaths;
import mlteams.local.peers.ToolProcess;

/**
 * template.yaml as IAM sees it once deployed: SAM's own transform (so the roles SAM generates are here, managed
 * policies included), with every parameter, condition and intrinsic function resolved to concrete names and ARNs
 * for one made-up account, Region and stack ({@code local/iam/stack.py}). Loaded once per JVM.
 */
public final class DeployedStack {

    /** The parameters without defaults, as a sample platform would give them. */
    static final Map<String, String> SAMPLE_PARAMETERS = Map.of(
            "DefaultVpcId", "vpc-0a1b2c3d4e5f60718",
            "DefaultSubnetIds", "subnet-0a1b2c3d4e5f60718,subnet-0f1e2d3c4b5a69788",
            "DefaultSecurityGroupIds", "sg-0a1b2c3d4e5f60718",
            "DefaultExecutionRoleArn", "arn:aws:iam::123456789012:role/ml-platform-studio-execution",
            "TeamEventPublisherArns", "arn:aws:iam::123456789012:role/platform-team-service");

    private static final Map<Map<String, String>, DeployedStack> LOADED = new java.util.HashMap<>();

    public final String account;
    public final String region;
    public final String stackName;
    private final Map<String, Object> resources;
    private final Map<String, Object> parameters;
    private final Map<String, Object> managedPolicies;

    @SuppressWarnings("unchecked")
    private DeployedStack(Map<String, Object> stack, Map<String, Object> managedPolicies) {
        this.account = (String) stack.get("Account");
        this.region = (String) stack.get("Region");
        this.stackName = (String) stack.get("StackName");
        this.resources = (Map<String, Object>) stack.get("Resources");
        this.parameters = (Map<String, Object>) stack.get("Parameters");
        this.managedPolicies = managedPolicies;
    }

    public static DeployedStack load() {
        return load(Map.of());
    }

    /** The stack deployed with the sample parameters, these overriding them. */
    public static synchronized DeployedStack load(Map<String, String> overrides) {
        return LOADED.computeIfAbsent(overrides, o -> {
            Map<String, String> parameters = new java.util.HashMap<>(SAMPLE_PARAMETERS);
            parameters.putAll(o);
            String json = ToolProcess.output(null, null, List.of("python3",
                    RepoPaths.root().resolve("local/iam/stack.py").toString(),
                    RepoPaths.root().resolve("template.yaml").toString(), Json.write(parameters)));
            try {
                return new DeployedStack(Json.readMap(json), Json.readMap(
                        Files.readString(RepoPaths.root().resolve("local/iam/aws-managed-policies.json"))));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Logical ids of the deployed resources of a CloudFormation type (after SAM's transform). */
    public List<String> ofType(String type) {
        return resources.entrySet().stream().filter(e -> type.equals(resource(e.getKey()).get("Type")))
                .map(Map.Entry::getKey).sorted().toList();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> resource(String logicalId) {
        Map<String, Object> resource = (Map<String, Object>) resources.get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("the deployed stack has no resource " + logicalId);
        }
        return resource;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> properties(String logicalId) {
        return (Map<String, Object>) resource(logicalId).getOrDefault("Properties", Map.of());
    }

    /** The name CloudFormation gives the resource (its explicit name, or stack-LogicalId). */
    public String physicalName(String logicalId) {
        return (String) resource(logicalId).get("PhysicalName");
    }

    public Object parameter(String name) {
        return parameters.get(name);
    }

    public String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + region + ":" + account + ":" + resource;
    }

    /** The role a function runs as, by the function's logical id in template.yaml. */
    public String roleOfFunction(String functionLogicalId) {
        String roleArn = (String) properties(functionLogicalId).get("Role");
        return ofType("AWS::IAM::Role").stream().filter(id -> roleArn(id).equals(roleArn)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(functionLogicalId + " runs as no role of the stack"));
    }

    /** A KMS key's ARN (keys have no physical name; stack.py gives every key the same made-up id). */
    public String keyArn(String keyLogicalId) {
        return arn("kms", "key/" + physicalName(keyLogicalId));
    }

    public String roleArn(String roleLogicalId) {
        return "arn:aws:iam::" + account + ":role/" + physicalName(roleLogicalId);
    }

    /**
     * Names and ARNs that a local stand-in for the stack (its functions' environment) gives differently from this
     * stack's functions, local to deployed: the trail's delivery role, the claims table, the alarm topic, ….
     */
    @SuppressWarnings("unchecked")
    public Map<String, String> renamesFrom(Map<String, String> localEnvironment) {
        Map<String, String> renames = new java.util.TreeMap<>();
        for (String function : ofType("AWS::Lambda::Function")) {
            Map<String, Object> environment = (Map<String, Object>) properties(function).get("Environment");
            Map<String, Object> variables = environment == null ? Map.of()
                    : (Map<String, Object>) environment.get("Variables");
            variables.forEach((name, deployed) -> {
                String local = localEnvironment.get(name);
                if (local != null && local.length() >= 8 && !local.matches("[0-9]+|true|false")
                        && !local.equals(deployed)) {
                    renames.put(local, String.valueOf(deployed));
                }
            });
        }
        return renames;
    }

    /** A role's identity policies: its inline policies and the documents of its managed policies. */
    @SuppressWarnings("unchecked")
    public List<IamCase.Policy> identityPolicies(String roleLogicalId) {
        Map<String, Object> role = properties(roleLogicalId);
        List<IamCase.Policy> policies = new ArrayList<>();
        for (Object inline : (List<Object>) role.getOrDefault("Policies", List.of())) {
            Map<String, Object> policy = (Map<String, Object>) inline;
            policies.add(new IamCase.Policy((String) policy.get("PolicyName"), policy.get("PolicyDocument")));
        }
        for (Object arn : (List<Object>) role.getOrDefault("ManagedPolicyArns", List.of())) {
            policies.add(new IamCase.Policy(String.valueOf(arn), managedPolicy(String.valueOf(arn))));
        }
        return policies;
    }

    /** A role's permissions boundary document, or null. */
    public Object permissionsBoundary(String roleLogicalId) {
        Object arn = properties(roleLogicalId).get("PermissionsBoundary");
        return arn == null ? null : managedPolicy(String.valueOf(arn));
    }

    /** Principal tags a role's sessions carry: its own tags, as aws:PrincipalTag/<key> context keys. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> principalTags(String roleLogicalId) {
        Map<String, Object> context = new LinkedHashMap<>();
        for (Object tag : (List<Object>) properties(roleLogicalId).getOrDefault("Tags", List.of())) {
            Map<String, Object> t = (Map<String, Object>) tag;
            context.put("aws:PrincipalTag/" + t.get("Key"), t.get("Value"));
        }
        return context;
    }

    /** A managed policy's document: one of the stack's own, or an AWS managed one from local/iam. */
    private Object managedPolicy(String arn) {
        for (String id : ofType("AWS::IAM::ManagedPolicy")) {
            if (arn.equals("arn:aws:iam::" + account + ":policy/" + physicalName(id))) {
                return properties(id).get("PolicyDocument");
            }
        }
        Object document = managedPolicies.get(arn);
        if (document == null) {
            throw new IllegalStateException("no document for managed policy " + arn
                    + ": add AWS's published document to local/iam/aws-managed-policies.json");
        }
        return document;
    }
}
