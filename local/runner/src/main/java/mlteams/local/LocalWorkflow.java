package mlteams.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import mlteams.common.Json;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.LocalStepFunctions;
import mlteams.local.peers.RepoPaths;

/**
 * The deployed workflow, locally: the real handlers, built with the given clients and environment (what
 * template.yaml gives each function), served by a {@link LocalLambda} under the names the ASL's
 * {@code ${NameFunctionArn}} placeholders use, and executed from the real definition.
 *
 * <p>The functions are template.yaml's ({@link Template#stepFunctions}); each Handler class is built by its public
 * constructor whose parameters all resolve by type: a client of {@link Clients}, or settings with a public static
 * {@code from(Map<String, String>)} given {@code env}; one needing neither, by its static {@code withoutPriming()}.
 */
public final class LocalWorkflow implements AutoCloseable {

    public static final String ONBOARD_DEFINITION = "statemachine/onboard-team.asl.json";
    public static final String OFFBOARD_DEFINITION = "statemachine/offboard-team.asl.json";
    public static final String MEMBERS_DEFINITION = "statemachine/change-members.asl.json";
    public static final String PLAN_DEFINITION = "statemachine/plan-onboarding.asl.json";

    private final LocalLambda lambda;
    private final URI host;
    private final LocalStepFunctions stepFunctions = LocalStepFunctions.inRepo();
    private final Map<String, Object> options;

    /**
     * @param options interpreter overrides, usually {@link #pauses}
     */
    public LocalWorkflow(Clients clients, Map<String, String> env, PrintStream logStream, Map<String, Object> options) {
        this.options = options;
        this.lambda = new LocalLambda(logStream);
        Template template = Template.load();
        template.stepFunctions().forEach((name, logicalId) ->
                lambda.register(name, handler(name, template.handlerClass(logicalId), clients, env)));
        this.host = lambda.start();
    }

    /** The handler of one function, built as the class comment says; fails naming the function and what is missing. */
    static RequestStreamHandler handler(String function, String handlerClass, Clients clients, Map<String, String> env) {
        Class<?> type;
        try {
            type = Class.forName(handlerClass);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(function + ": handler class " + handlerClass
                    + " is not on the classpath (is its module a dependency of local/runner?)", e);
        }
        List<Constructor<?>> buildable = Arrays.stream(type.getConstructors())
                .filter(c -> c.getParameterCount() > 0)
                .filter(c -> Arrays.stream(c.getParameterTypes()).allMatch(p -> resolves(p, clients)))
                .sorted(Comparator.comparingInt(Constructor::getParameterCount)).toList();
        if (buildable.size() > 1 && buildable.get(buildable.size() - 1).getParameterCount()
                == buildable.get(buildable.size() - 2).getParameterCount()) {
            throw new IllegalStateException(function + ": " + handlerClass + " has more than one public constructor"
                    + " LocalWorkflow could build with the most parameters: " + buildable);
        }
        Optional<Constructor<?>> constructor = buildable.stream().reduce((first, second) -> second);
        try {
            Object handler;
            if (constructor.isPresent()) {
                List<Object> arguments = new ArrayList<>();
                for (Class<?> parameter : constructor.get().getParameterTypes()) {
                    arguments.add(argument(parameter, clients, env));
                }
                handler = constructor.get().newInstance(arguments.toArray());
            } else {
                Method factory = withoutPriming(type).orElseThrow(() -> new IllegalStateException(function + ": "
                        + handlerClass + " has no public constructor LocalWorkflow can build; unresolved parameter types: "
                        + unresolved(type, clients) + " (neither an SDK client of Clients nor a settings type with a"
                        + " public static from(Map<String, String>))"));
                handler = factory.invoke(null);
            }
            if (!(handler instanceof RequestStreamHandler streamHandler)) {
                throw new IllegalStateException(function + ": " + handlerClass + " is not a RequestStreamHandler");
            }
            return streamHandler;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(function + ": building " + handlerClass + " failed: " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(function + ": cannot build " + handlerClass, e);
        }
    }

    /** Whether a constructor parameter of this type resolves: an SDK client of {@link Clients}, or settings. */
    private static boolean resolves(Class<?> type, Clients clients) {
        return clients.ofType(type).isPresent() || settingsFactory(type).isPresent();
    }

    /** The argument for a parameter that {@link #resolves}: the client of that type, or the settings from env. */
    private static Object argument(Class<?> type, Clients clients, Map<String, String> env)
            throws ReflectiveOperationException {
        Optional<?> client = clients.ofType(type);
        if (client.isPresent()) {
            return client.get();
        }
        try {
            return settingsFactory(type).orElseThrow().invoke(null, env);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause; // a required variable missing from env, say: as the handler's own from(env) reports it
            }
            throw e;
        }
    }

    /** A settings type's public static {@code from(Map<String, String>)}. */
    private static Optional<Method> settingsFactory(Class<?> type) {
        try {
            Method from = type.getMethod("from", Map.class);
            return Modifier.isStatic(from.getModifiers()) && type.isAssignableFrom(from.getReturnType())
                    ? Optional.of(from) : Optional.empty();
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    private static Optional<Method> withoutPriming(Class<?> type) {
        try {
            Method factory = type.getMethod("withoutPriming");
            return Modifier.isStatic(factory.getModifiers()) ? Optional.of(factory) : Optional.empty();
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    private static List<String> unresolved(Class<?> type, Clients clients) {
        return Arrays.stream(type.getConstructors()).flatMap(c -> Arrays.stream(c.getParameterTypes()))
                .filter(p -> !resolves(p, clients)).map(Class::getName).distinct().toList();
    }

    /**
     * Interpreter overrides that shorten the pauses of every definition template.yaml deploys: every Wait state to
     * {@code waitMillis} and, unless {@code retryMillis} is null, every Retry's interval. Read from the definitions
     * themselves, so a state or a state machine added later is never left out.
     */
    public static Map<String, Object> pauses(int waitMillis, Integer retryMillis) {
        Map<String, Object> waits = new java.util.TreeMap<>();
        Map<String, Object> retries = new java.util.TreeMap<>();
        Template template = Template.load();
        for (String machine : template.ofType("AWS::Serverless::StateMachine")) {
            String definition = (String) template.properties(machine).get("DefinitionUri");
            try {
                collectPauses(Json.readMap(java.nio.file.Files.readString(RepoPaths.root().resolve(definition))),
                        waitMillis, retryMillis, waits, retries);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return retryMillis == null ? Map.of("waitTimeOverrides", waits)
                : Map.of("waitTimeOverrides", waits, "retryIntervalOverrides", retries);
    }

    @SuppressWarnings("unchecked")
    private static void collectPauses(Map<String, Object> machine, int waitMillis, Integer retryMillis,
            Map<String, Object> waits, Map<String, Object> retries) {
        ((Map<String, Object>) machine.get("States")).forEach((name, value) -> {
            Map<String, Object> state = (Map<String, Object>) value;
            if ("Wait".equals(state.get("Type"))) {
                waits.put(name, waitMillis);
            }
            if (state.containsKey("Retry") && retryMillis != null) {
                retries.put(name, retryMillis);
            }
            for (Object branch : (List<Object>) state.getOrDefault("Branches", List.of())) {
                collectPauses((Map<String, Object>) branch, waitMillis, retryMillis, waits, retries);
            }
        });
    }

    public LocalStepFunctions.Execution onboard(String inputJson, Consumer<Map<String, Object>> onEvent) {
        return run(ONBOARD_DEFINITION, inputJson, onEvent);
    }

    public LocalStepFunctions.Execution offboard(String inputJson, Consumer<Map<String, Object>> onEvent) {
        return run(OFFBOARD_DEFINITION, inputJson, onEvent);
    }

    public LocalStepFunctions.Execution changeMembers(String inputJson, Consumer<Map<String, Object>> onEvent) {
        return run(MEMBERS_DEFINITION, inputJson, onEvent);
    }

    /** Plans an onboarding of this request: what it would change, changing nothing. */
    public LocalStepFunctions.Execution plan(String inputJson, Consumer<Map<String, Object>> onEvent) {
        return run(PLAN_DEFINITION, inputJson, onEvent);
    }

    public LocalStepFunctions.Execution run(String definition, String inputJson, Consumer<Map<String, Object>> onEvent) {
        Path path = RepoPaths.root().resolve(definition);
        return stepFunctions.run(path, inputJson, host, options, onEvent);
    }

    public LocalLambda lambda() {
        return lambda;
    }

    @Override
    public void close() {
        lambda.close();
    }
}
