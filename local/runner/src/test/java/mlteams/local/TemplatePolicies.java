package mlteams.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mlteams.common.Json;
import mlteams.local.iam.ToolProcess;
import mlteams.local.peers.RepoPaths;

/**
 * The IAM policies template.yaml gives each function and state machine, read through cfn-lint's own template
 * decoder (so intrinsic functions like !Sub arrive as {"Fn::Sub": …}).
 */
final class TemplatePolicies {

    /** How a state machine's policy names a function it may invoke, aliases included. */
    private static final Pattern FUNCTION_ARN_PATTERN = Pattern.compile("\\$\\{(\\w+)\\.Arn}\\*");

    /** One Allow statement: its actions and resources, as written (resources may be intrinsic-function maps). */
    record Statement(String owner, String sid, List<String> actions, List<Object> resources) {
    }

    private final Map<String, Object> resources;
    private final Map<String, Object> parameters;
    private final Map<String, Object> functionGlobals;

    @SuppressWarnings("unchecked")
    private TemplatePolicies(Map<String, Object> template) {
        this.resources = (Map<String, Object>) template.get("Resources");
        this.parameters = (Map<String, Object>) template.get("Parameters");
        this.functionGlobals = (Map<String, Object>) ((Map<String, Object>) template.getOrDefault("Globals", Map.of()))
                .getOrDefault("Function", Map.of());
    }

    static TemplatePolicies load() {
        String script = "import json,sys\nfrom cfnlint.decode import decode\n"
                + "t, m = decode(sys.argv[1])\n"
                + "sys.exit('cannot decode: ' + str(m)) if m else print(json.dumps(t, default=str))\n";
        return new TemplatePolicies(Json.readMap(ToolProcess.output(null, null,
                List.of("python3", "-c", script, RepoPaths.root().resolve("template.yaml").toString()))));
    }

    /** Logical ids of resources of a type. */
    List<String> ofType(String type) {
        return resources.entrySet().stream().filter(e -> type.equals(type(e.getValue()))).map(Map.Entry::getKey)
                .sorted().toList();
    }

    /** Every Allow statement of the resource's inline Policies (SAM) or Policies (IAM role). */
    @SuppressWarnings("unchecked")
    List<Statement> statements(String logicalId) {
        Map<String, Object> properties = properties(logicalId);
        List<Statement> statements = new ArrayList<>();
        for (Object policy : list(properties.get("Policies"))) {
            Map<String, Object> map = (Map<String, Object>) policy;
            Object document = map.containsKey("PolicyDocument") ? map.get("PolicyDocument") : map;
            if (!(document instanceof Map<?, ?> doc) || !doc.containsKey("Statement")) {
                continue; // a SAM policy template such as LambdaInvokePolicy
            }
            for (Object s : list(doc.get("Statement"))) {
                Map<String, Object> statement = (Map<String, Object>) s;
                if ("Allow".equals(statement.get("Effect"))) {
                    statements.add(new Statement(logicalId, (String) statement.get("Sid"),
                            list(statement.get("Action")).stream().map(String::valueOf).toList(),
                            list(statement.get("Resource"))));
                }
            }
        }
        return statements;
    }

    /** The logical id of the function whose Handler is this class's handleRequest. */
    String functionWithHandler(String handlerClass) {
        List<String> functions = ofType("AWS::Serverless::Function").stream()
                .filter(id -> (handlerClass + "::handleRequest").equals(properties(id).get("Handler"))).toList();
        if (functions.size() != 1) {
            throw new IllegalArgumentException("template.yaml has " + functions.size() + " functions with handler "
                    + handlerClass);
        }
        return functions.get(0);
    }

    /** Functions a state machine may invoke: each {@code !Sub ${NameFunction.Arn}*} of its lambda:InvokeFunction statements. */
    List<String> invocableFunctions(String stateMachine) {
        List<String> functions = new ArrayList<>();
        for (Statement statement : statements(stateMachine)) {
            if (statement.actions().contains("lambda:InvokeFunction")) {
                for (Object resource : statement.resources()) {
                    Matcher arn = resource instanceof Map<?, ?> sub && sub.get("Fn::Sub") instanceof String s
                            ? FUNCTION_ARN_PATTERN.matcher(s) : null;
                    if (arn == null || !arn.matches()) {
                        throw new IllegalStateException(stateMachine + " may invoke " + resource
                                + ", not written as !Sub ${NameFunction.Arn}*");
                    }
                    functions.add(arn.group(1));
                }
            }
        }
        return functions;
    }

    /** DefinitionSubstitutions of a state machine: placeholder name to the function logical id it points at. */
    @SuppressWarnings("unchecked")
    Map<String, String> substitutedFunctions(String stateMachine) {
        Map<String, String> functions = new LinkedHashMap<>();
        Map<String, Object> substitutions = (Map<String, Object>) properties(stateMachine).get("DefinitionSubstitutions");
        substitutions.forEach((name, value) -> {
            if (value instanceof Map<?, ?> ref && ref.get("Ref") instanceof String target) {
                functions.put(name, target.replaceFirst("\\.Alias$", ""));
            }
        });
        return functions;
    }

    /** Logical ids of every resource. */
    List<String> resourceIds() {
        return resources.keySet().stream().sorted().toList();
    }

    String typeOf(String logicalId) {
        return type(resource(logicalId));
    }

    /** What CloudFormation does with the resource when the stack is deleted; Delete when the template is silent. */
    String deletionPolicy(String logicalId) {
        return (String) resource(logicalId).getOrDefault("DeletionPolicy", "Delete");
    }

    /** A template parameter's declaration (Type, Default, MinValue, …). */
    @SuppressWarnings("unchecked")
    Map<String, Object> parameter(String name) {
        Map<String, Object> parameter = (Map<String, Object>) parameters.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("template.yaml has no parameter " + name);
        }
        return parameter;
    }

    /** A function's Timeout, its own or from Globals (SAM's default is 3 s). */
    int functionTimeoutSeconds(String logicalId) {
        Object timeout = properties(logicalId).getOrDefault("Timeout", functionGlobals.getOrDefault("Timeout", 3));
        return Integer.parseInt(String.valueOf(timeout));
    }

    boolean isParameter(String name) {
        return parameters.containsKey(name);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> resource(String logicalId) {
        Map<String, Object> resource = (Map<String, Object>) resources.get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return resource;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> properties(String logicalId) {
        return (Map<String, Object>) resource(logicalId).getOrDefault("Properties", Map.of());
    }

    /** IAM's action wildcards: '*' for any run of characters, '?' for one. */
    static boolean allows(String pattern, String action) {
        String regex = Pattern.quote(pattern.toLowerCase()).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return action.toLowerCase().matches(regex);
    }

    @SuppressWarnings("unchecked")
    private static String type(Object resource) {
        return (String) ((Map<String, Object>) resource).get("Type");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> l ? (List<Object>) l : List.of(value);
    }
}
