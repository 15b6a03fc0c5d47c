package mlteams.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tests check in template.yaml beyond {@link Template}: the IAM policies it gives each function and state
 * machine, its parameters, and the functions' settings from Globals.
 */
final class TemplatePolicies extends Template {

    /** How a state machine's policy names a function it may invoke, aliases included. */
    private static final Pattern FUNCTION_ARN_PATTERN = Pattern.compile("\\$\\{(\\w+)\\.Arn}\\*");

    /** One Allow statement: its actions and resources, as written (resources may be intrinsic-function maps). */
    record Statement(String owner, String sid, List<String> actions, List<Object> resources) {
    }

    private final Map<String, Object> parameters;
    private final Map<String, Object> functionGlobals;

    @SuppressWarnings("unchecked")
    private TemplatePolicies(Map<String, Object> template) {
        super(template);
        this.parameters = section("Parameters");
        this.functionGlobals = (Map<String, Object>) section("Globals").getOrDefault("Function", Map.of());
    }

    public static TemplatePolicies load() {
        return new TemplatePolicies(decoded());
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
                continue; // a SAM policy template
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

    /** Functions a state machine may invoke: each {@code !Sub ${NameFunction.Arn}*} its lambda:InvokeFunction names. */
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

    /** IAM's action wildcards: '*' for any run of characters, '?' for one. */
    static boolean allows(String pattern, String action) {
        String regex = Pattern.quote(pattern.toLowerCase()).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return action.toLowerCase().matches(regex);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> l ? (List<Object>) l : List.of(value);
    }
}
