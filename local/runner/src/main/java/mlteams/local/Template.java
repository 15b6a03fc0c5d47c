package mlteams.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.Json;
import mlteams.local.peers.RepoPaths;
import mlteams.local.peers.ToolProcess;

/**
 * template.yaml, the source of truth for which functions exist and how the workflows call them, read through
 * cfn-lint's own template decoder (so intrinsic functions like !Sub arrive as {"Fn::Sub": …}). Decoded once per JVM.
 */
public class Template {

    private static Map<String, Object> decoded;

    private final Map<String, Object> template;
    private final Map<String, Object> resources;

    @SuppressWarnings("unchecked")
    protected Template(Map<String, Object> template) {
        this.template = template;
        this.resources = (Map<String, Object>) template.get("Resources");
    }

    /** The repository's template.yaml. */
    public static Template load() {
        return new Template(decoded());
    }

    /** template.yaml as cfn-lint decodes it (python3 with cfn-lint, as scripts/setup.sh checks). */
    protected static synchronized Map<String, Object> decoded() {
        if (decoded == null) {
            String script = "import json,sys\nfrom cfnlint.decode import decode\n"
                    + "t, m = decode(sys.argv[1])\n"
                    + "sys.exit('cannot decode: ' + str(m)) if m else print(json.dumps(t, default=str))\n";
            decoded = Json.readMap(ToolProcess.output(null, null,
                    List.of("python3", "-c", script, RepoPaths.root().resolve("template.yaml").toString())));
        }
        return decoded;
    }

    /** A top-level section of the template (Parameters, Globals, …), empty if it has none. */
    @SuppressWarnings("unchecked")
    protected Map<String, Object> section(String name) {
        return (Map<String, Object>) template.getOrDefault(name, Map.of());
    }

    /** Logical ids of resources of a type, sorted. */
    public List<String> ofType(String type) {
        return resources.entrySet().stream().filter(e -> type.equals(type(e.getValue()))).map(Map.Entry::getKey)
                .sorted().toList();
    }

    /** Logical ids of every resource, sorted. */
    public List<String> resourceIds() {
        return resources.keySet().stream().sorted().toList();
    }

    public String typeOf(String logicalId) {
        return type(resource(logicalId));
    }

    @SuppressWarnings("unchecked")
    protected Map<String, Object> resource(String logicalId) {
        Map<String, Object> resource = (Map<String, Object>) resources.get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return resource;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> properties(String logicalId) {
        return (Map<String, Object>) resource(logicalId).getOrDefault("Properties", Map.of());
    }

    /** The class a function's Handler names ({@code package.Class::handleRequest}). */
    public String handlerClass(String functionLogicalId) {
        return String.valueOf(properties(functionLogicalId).get("Handler")).replaceFirst("::handleRequest$", "");
    }

    /** DefinitionSubstitutions of a state machine: placeholder name to the function logical id it points at. */
    @SuppressWarnings("unchecked")
    public Map<String, String> substitutedFunctions(String stateMachine) {
        Map<String, String> functions = new LinkedHashMap<>();
        Map<String, Object> substitutions = (Map<String, Object>) properties(stateMachine).get("DefinitionSubstitutions");
        substitutions.forEach((name, value) -> {
            if (value instanceof Map<?, ?> ref && ref.get("Ref") instanceof String target) {
                functions.put(name, target.replaceFirst("\\.Alias$", ""));
            }
        });
        return functions;
    }

    /**
     * The functions the state machines call, by the name their {@code ${NameFunctionArn}} placeholders use (the
     * name a local Lambda serves them under), to the function's logical id; in the order the state machines
     * substitute them. Fails if one placeholder names two functions.
     */
    public Map<String, String> stepFunctions() {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String stateMachine : ofType("AWS::Serverless::StateMachine")) {
            substitutedFunctions(stateMachine).forEach((placeholder, logicalId) -> {
                if (!placeholder.endsWith("FunctionArn")) {
                    return;
                }
                String name = placeholder.substring(0, placeholder.length() - "FunctionArn".length());
                String before = byName.putIfAbsent(name, logicalId);
                if (before != null && !before.equals(logicalId)) {
                    throw new IllegalStateException("${" + placeholder + "} names " + before + " in one state machine and "
                            + logicalId + " in " + stateMachine);
                }
            });
        }
        return byName;
    }

    @SuppressWarnings("unchecked")
    private static String type(Object resource) {
        return (String) ((Map<String, Object>) resource).get("Type");
    }
}
