package mlteams.local;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import mlteams.common.Env;
import mlteams.common.Json;
import mlteams.common.TeamNames;
import mlteams.domain.CheckDomainHandler;
import mlteams.domain.DeleteAppsHandler;
import mlteams.domain.DeleteDomainHandler;
import mlteams.domain.DeleteSpacesHandler;
import mlteams.domain.DeleteUserProfilesHandler;
import mlteams.domain.FindDomainHandler;
import mlteams.domain.SyncMembersHandler;
import mlteams.domain.TeardownSettings;
import mlteams.domain.DomainSettings;
import mlteams.domain.EnsureDomainHandler;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.LocalStepFunctions;
import mlteams.local.peers.RepoPaths;
import mlteams.logs.DeleteTeamLogGroupHandler;
import mlteams.logs.EnsureLogGroupHandler;
import mlteams.logs.EnsureLogStreamHandler;
import mlteams.logs.LogsSettings;
import mlteams.monitoring.DeleteTeamMonitoringHandler;
import mlteams.monitoring.EnsureTeamMonitoringHandler;
import mlteams.monitoring.MonitoringSettings;
import mlteams.publish.PublishOutputsHandler;
import mlteams.record.ClaimTeamHandler;
import mlteams.record.DeleteTeamParametersHandler;
import mlteams.record.RecordOutcomeHandler;
import mlteams.record.RecordSettings;
import mlteams.trail.EnsureTrailHandler;
import mlteams.trail.TrailSettings;
import mlteams.validate.PlatformDefaults;
import mlteams.validate.ValidateMembersRequestHandler;
import mlteams.validate.ValidateOffboardRequestHandler;
import mlteams.validate.ValidateRequestHandler;

/**
 * The deployed workflow, locally: the real handlers, built with the given clients and environment (what
 * template.yaml gives each function), served by a {@link LocalLambda} under the names the ASL's
 * {@code ${NameFunctionArn}} placeholders use, and executed from the real definition.
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
        this.lambda = new LocalLambda(logStream)
                .register("ValidateRequest", new ValidateRequestHandler(PlatformDefaults.from(env)))
                .register("EnsureTrail", new EnsureTrailHandler(clients.cloudTrail(), TrailSettings.from(env)))
                .register("EnsureLogGroup", new EnsureLogGroupHandler(clients.logs(), LogsSettings.from(env)))
                .register("EnsureLogStream", new EnsureLogStreamHandler(clients.logs(), LogsSettings.from(env)))
                .register("EnsureDomain", new EnsureDomainHandler(clients.sageMaker(), DomainSettings.from(env)))
                .register("CheckDomain", new CheckDomainHandler(clients.sageMaker(), DomainSettings.from(env)))
                .register("SyncMembers", new SyncMembersHandler(clients.sageMaker(), TeardownSettings.from(env)))
                .register("PublishOutputs", new PublishOutputsHandler(clients.ssm(),
                        Env.optional(env, "PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX)))
                .register("EnsureTeamMonitoring", new EnsureTeamMonitoringHandler(clients.logs(), clients.cloudWatch(),
                        MonitoringSettings.from(env)))
                .register("ClaimTeam", new ClaimTeamHandler(clients.ssm(), clients.dynamoDb(), RecordSettings.from(env)))
                .register("RecordOutcome", new RecordOutcomeHandler(clients.ssm(), clients.dynamoDb(),
                        RecordSettings.from(env)))
                // offboarding
                .register("ValidateOffboardRequest", ValidateOffboardRequestHandler.withoutPriming())
                // membership change (with FindDomain, ClaimTeam, SyncMembers, PublishOutputs, RecordOutcome)
                .register("ValidateMembersRequest", ValidateMembersRequestHandler.withoutPriming())
                .register("FindDomain", new FindDomainHandler(clients.sageMaker(), TeardownSettings.from(env)))
                .register("DeleteApps", new DeleteAppsHandler(clients.sageMaker(), TeardownSettings.from(env)))
                .register("DeleteSpaces", new DeleteSpacesHandler(clients.sageMaker(), TeardownSettings.from(env)))
                .register("DeleteUserProfiles", new DeleteUserProfilesHandler(clients.sageMaker(), TeardownSettings.from(env)))
                .register("DeleteDomain", new DeleteDomainHandler(clients.sageMaker(), TeardownSettings.from(env)))
                .register("DeleteTeamMonitoring", new DeleteTeamMonitoringHandler(clients.logs(), clients.cloudWatch(),
                        MonitoringSettings.from(env)))
                .register("DeleteTeamLogGroup", new DeleteTeamLogGroupHandler(clients.logs(), LogsSettings.from(env)))
                .register("DeleteTeamParameters", new DeleteTeamParametersHandler(clients.ssm(), RecordSettings.from(env)))
                // plan
                .register("PlanTrail", new mlteams.trail.PlanTrailHandler(clients.cloudTrail(), TrailSettings.from(env)))
                .register("PlanTeamLogs", new mlteams.logs.PlanTeamLogsHandler(clients.logs(), LogsSettings.from(env)))
                .register("PlanTeamMonitoring", new mlteams.monitoring.PlanTeamMonitoringHandler(clients.logs(),
                        clients.cloudWatch(), MonitoringSettings.from(env)))
                .register("PlanDomain", new mlteams.domain.PlanDomainHandler(clients.sageMaker(), DomainSettings.from(env),
                        TeardownSettings.from(env)))
                .register("PlanOutputs", new mlteams.publish.PlanOutputsHandler(clients.ssm(),
                        mlteams.publish.PublishSettings.from(env)));
        this.host = lambda.start();
    }

    /**
     * Interpreter overrides that shorten the pauses of both definitions: every Wait state to {@code waitMillis},
     * and, unless {@code retryMillis} is null, every Retry's interval. Read from the definitions themselves, so
     * a state added later is never left out.
     */
    public static Map<String, Object> pauses(int waitMillis, Integer retryMillis) {
        Map<String, Object> waits = new java.util.TreeMap<>();
        Map<String, Object> retries = new java.util.TreeMap<>();
        for (String definition : java.util.List.of(ONBOARD_DEFINITION, OFFBOARD_DEFINITION, MEMBERS_DEFINITION,
                PLAN_DEFINITION)) {
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
            for (Object branch : (java.util.List<Object>) state.getOrDefault("Branches", java.util.List.of())) {
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
