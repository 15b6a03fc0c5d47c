package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import mlteams.common.DomainRecord;
import mlteams.common.PlannedChange;
import mlteams.common.TeamNames;
import mlteams.domain.DomainSettings;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.SdkStub;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.cloudtrail.model.AddTagsRequest;
import software.amazon.awssdk.services.cloudtrail.model.CreateTrailRequest;
import software.amazon.awssdk.services.cloudtrail.model.PutEventSelectorsRequest;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;
import software.amazon.awssdk.services.cloudtrail.model.StartLoggingRequest;
import software.amazon.awssdk.services.cloudtrail.model.UpdateTrailRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutDashboardRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogGroupRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.CreateLogStreamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutMetricFilterRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutQueryDefinitionRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.TagResourceRequest;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateDomainRequest;
import software.amazon.awssdk.services.sagemaker.model.CreateUserProfileRequest;
import software.amazon.awssdk.services.sagemaker.model.DeleteAppRequest;
import software.amazon.awssdk.services.sagemaker.model.DeleteSpaceRequest;
import software.amazon.awssdk.services.sagemaker.model.DeleteUserProfileRequest;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.UpdateDomainRequest;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;

/**
 * The plan proven right. For each scenario: the plan of a request (the real plan-onboarding.asl.json with the plan
 * handlers), then the real onboarding of the same request, and the plan's action for each resource compared with the
 * writes the onboarding really made, recorded at the SDK boundary ({@link OperationRecorder}). They must agree
 * resource by resource: a write to a resource the plan calls unchanged, or no write to one it says would change, fails.
 * Each plan is also checked to have issued read calls only. ClaimTeam and RecordOutcome keep the workflow's own
 * bookkeeping (the team's claim and status), which a plan does not cover, so their writes are left out.
 *
 * <p>Some writes do not tell a create from an update (PutMetricFilter, PutMetricAlarm, PutDashboard): for those an
 * upsert matches either.
 */
class PlanMatchesOnboardingTest extends EndToEndTest {

    private static final Set<String> BOOKKEEPING = Set.of("ClaimTeam", "RecordOutcome");
    private static final String CREATE = "create";
    private static final String UPDATE = "update";
    private static final String UPSERT = "upsert";
    private static final String DELETE = "delete";

    @Test
    void nothingExists() {
        Map<String, String> plan = planThenOnboard(request(), true);
        assertEquals(Set.of(PlannedChange.CREATE), Set.copyOf(plan.values()), plan.toString());
        assertEquals(23, plan.size(), "trail, group, stream, 4 filters, 2 alarms, dashboard, 2 queries, domain,"
                + " 3 profiles, 7 parameters: " + plan.keySet());
    }

    @Test
    void everythingExistsARepeat() {
        assertTrue(account.onboard(request()).succeeded());
        Map<String, String> plan = planThenOnboard(request(), true);
        assertEquals(Map.of(), changing(plan), "a repeat changes nothing");
    }

    @Test
    void theTrailDrifted() {
        assertTrue(account.onboard(request()).succeeded());
        String trail = account.onlyTrail().name();
        account.clients.cloudTrail().updateTrail(r -> r.name(trail).enableLogFileValidation(false));
        account.clients.cloudTrail().stopLogging(r -> r.name(trail));
        account.clients.cloudTrail().putEventSelectors(r -> r.trailName(trail)
                .eventSelectors(s -> s.readWriteType(ReadWriteType.WRITE_ONLY).includeManagementEvents(true)));

        Map<String, Object> planned = plan(request());
        Map<String, String> plan = planThenOnboard(request(), true);
        assertEquals(Map.of("trail " + trail, PlannedChange.UPDATE), changing(plan));
        assertEquals(List.of("logFileValidationEnabled: false -> true",
                "event selectors: no selector for all management events -> one more selector for them",
                "logging: stopped -> started"), details(planned, "trail " + trail));
    }

    @Test
    void aLogGroupWithAnotherRetention() {
        assertTrue(account.onboard(request()).succeeded());
        String group = TeamNames.logGroupName(TeamNames.DEFAULT_LOG_GROUP_PREFIX, "computer-vision");
        account.clients.logs().putRetentionPolicy(r -> r.logGroupName(group).retentionInDays(30));

        Map<String, Object> planned = plan(request());
        Map<String, String> plan = planThenOnboard(request(), true);
        assertEquals(Map.of("log-group " + group, PlannedChange.UPDATE), changing(plan));
        assertEquals(List.of("retentionInDays: 30 -> 365"), details(planned, "log-group " + group));
    }

    @Test
    void aDomainInAnotherVpcIsAConflict() {
        assertTrue(account.onboard(request()).succeeded());
        String otherVpc = request().replace("vpc-0a1b2c3d4e5f60718", "vpc-0ffffffffffffffff");

        Map<String, Object> planned = plan(otherVpc);
        Map<String, String> plan = planThenOnboard(otherVpc, false);
        String domain = "domain " + domainName();
        assertEquals(Map.of(domain, PlannedChange.CONFLICT), changing(plan));
        assertEquals(List.of("vpcId: vpc-0a1b2c3d4e5f60718 -> vpc-0ffffffffffffffff"), details(planned, domain));
    }

    @Test
    void membersAddedAndRemoved() {
        assertTrue(account.onboard(request()).succeeded());
        String changed = WorkflowFixture.sampleEventWithMembers("alice", "dave");

        Map<String, String> plan = planThenOnboard(changed, true);
        String profiles = "user-profile " + domainName() + "/";
        String members = "parameter " + TeamNames.parameterPath(TeamNames.DEFAULT_PARAMETER_PREFIX, "computer-vision")
                + "members";
        assertEquals(Map.of(profiles + "dave", PlannedChange.CREATE, profiles + "bob", PlannedChange.DELETE,
                profiles + "carol", PlannedChange.DELETE, members, PlannedChange.UPDATE), changing(plan));
        assertEquals(PlannedChange.NONE, plan.get(profiles + "alice"));
    }

    @Test
    void aHalfMadeTeamLeftByAFailedRun() {
        // The run fails at bob's profile, after the domain and alice's profile, before carol's and the parameters.
        SageMakerClient refusing = SdkStub.of(SageMakerClient.class, account.clients.sageMaker(), (op, request) -> {
            if (op.equals("createUserProfile") && ((CreateUserProfileRequest) request).userProfileName().equals("bob")) {
                throw SageMakerException.builder().statusCode(400).message("ResourceLimitExceeded: profiles").build();
            }
            return SdkStub.PASS;
        });
        assertFalse(account.onboard(account.clients.withSageMaker(refusing), account.env, request()).succeeded());

        Map<String, String> plan = planThenOnboard(request(), true);
        String profiles = "user-profile " + domainName() + "/";
        Map<String, String> expected = new TreeMap<>(Map.of(profiles + "bob", PlannedChange.CREATE,
                profiles + "carol", PlannedChange.CREATE));
        plan.keySet().stream().filter(k -> k.startsWith("parameter ")).forEach(k -> expected.put(k, PlannedChange.CREATE));
        assertEquals(expected, new TreeMap<>(changing(plan)));
        assertEquals(PlannedChange.NONE, plan.get(profiles + "alice"), "made by the failed run");
    }

    /**
     * Plans the request, checks the plan read only, onboards it, and checks that the writes agree with the plan.
     *
     * @return each planned resource ("resource name") with its action
     */
    private Map<String, String> planThenOnboard(String request, boolean succeeds) {
        Map<String, Integer> mark = mark();
        Map<String, Object> planned = plan(request);
        List<String> planWrites = callsSince(mark).stream().filter(c -> !OperationRecorder.isRead(c.call().operation()))
                .map(c -> c.function() + " " + c.call().operation()).toList();
        assertEquals(List.of(), planWrites, "the plan must only read");

        mark = mark();
        Execution onboarding = account.onboard(request);
        assertEquals(succeeds, onboarding.succeeded(), onboarding.error() + ": " + onboarding.cause());
        if (!succeeds) {
            assertEquals("mlteams.common.ResourceConflictException", onboarding.error());
        }
        Map<String, String> plan = actions(planned);
        Map<String, Set<String>> writes = writesSince(mark, plan);
        List<String> disagreements = new ArrayList<>();
        Set<String> resources = new TreeSet<>(plan.keySet());
        resources.addAll(writes.keySet());
        for (String resource : resources) {
            String action = plan.get(resource);
            Set<String> kinds = writes.getOrDefault(resource, Set.of());
            if (!agrees(action, kinds, onboarding.succeeded())) {
                disagreements.add(resource + ": planned " + action + ", written " + kinds);
            }
        }
        assertEquals(List.of(), disagreements, "plan against the onboarding's writes");
        return plan;
    }

    /** Whether the writes to one resource are what its planned action says. A failed run may stop before any. */
    private static boolean agrees(String action, Set<String> kinds, boolean completed) {
        if (action == null) {
            return false; // a write the plan did not foresee
        }
        if (kinds.isEmpty()) {
            return Set.of(PlannedChange.NONE, PlannedChange.CONFLICT).contains(action) || !completed;
        }
        return switch (action) {
            case PlannedChange.CREATE -> kinds.contains(CREATE) || kinds.contains(UPSERT);
            case PlannedChange.UPDATE -> !kinds.contains(CREATE) && !kinds.contains(DELETE);
            case PlannedChange.DELETE -> kinds.contains(DELETE);
            default -> false; // none or conflict, yet written
        };
    }

    private Map<String, Object> plan(String request) {
        try (LocalWorkflow workflow = account.workflow(account.clients, account.env)) {
            Execution plan = workflow.plan(request, event -> { });
            assertTrue(plan.succeeded(), plan.error() + ": " + plan.cause());
            return WorkflowFixture.output(plan);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> actions(Map<String, Object> plan) {
        Map<String, String> actions = new LinkedHashMap<>();
        for (Map<String, Object> change : (List<Map<String, Object>>) plan.get("changes")) {
            String key = change.get("resource") + " " + change.get("name");
            assertEquals(null, actions.put(key, (String) change.get("action")), "planned twice: " + key);
        }
        return actions;
    }

    @SuppressWarnings("unchecked")
    private static List<String> details(Map<String, Object> plan, String resource) {
        return ((List<Map<String, Object>>) plan.get("changes")).stream()
                .filter(c -> resource.equals(c.get("resource") + " " + c.get("name")))
                .map(c -> (List<String>) c.get("details")).findFirst().orElseThrow();
    }

    /**
     * What the plan would change, without the saved queries: the local filler of moto's Logs Insights gap keeps no
     * query definition, so every onboarding writes them anew and every plan (rightly) says so.
     */
    private static Map<String, String> changing(Map<String, String> plan) {
        return plan.entrySet().stream()
                .filter(e -> !PlannedChange.NONE.equals(e.getValue()) && !e.getKey().startsWith("query-definition "))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private String request() {
        return Events.read("team-onboarded.json");
    }

    private String domainName() {
        return DomainSettings.from(account.env).domainName("computer-vision");
    }

    private record FunctionCall(String function, OperationRecorder.Call call) {
    }

    private static Map<String, Integer> mark() {
        Map<String, Integer> sizes = new HashMap<>();
        OperationRecorder.calls().forEach((function, calls) -> sizes.put(function, calls.size()));
        return sizes;
    }

    private static List<FunctionCall> callsSince(Map<String, Integer> mark) {
        List<FunctionCall> since = new ArrayList<>();
        OperationRecorder.calls().forEach((function, calls) -> calls.subList(mark.getOrDefault(function, 0), calls.size())
                .forEach(call -> since.add(new FunctionCall(function, call))));
        return since;
    }

    /** The onboarding's writes since the mark, by resource ("resource name"), each as create, update, upsert or delete. */
    private Map<String, Set<String>> writesSince(Map<String, Integer> mark, Map<String, String> plan) {
        String domain = domainName();
        String newDomainRecord = DomainRecord.name(TeamNames.DEFAULT_PARAMETER_PREFIX, "<new domain id>");
        Map<String, Set<String>> writes = new TreeMap<>();
        for (FunctionCall c : callsSince(mark)) {
            if (OperationRecorder.isRead(c.call().operation()) || BOOKKEEPING.contains(c.function())) {
                continue;
            }
            String[] write = resourceWritten(c.call().request(), domain);
            String resource = write[0] + " " + write[1];
            if (write[0].equals("parameter") && !plan.containsKey(resource)
                    && plan.containsKey("parameter " + newDomainRecord)
                    && write[1].startsWith(DomainRecord.name(TeamNames.DEFAULT_PARAMETER_PREFIX, ""))) {
                resource = "parameter " + newDomainRecord; // the new domain's record, planned before its id existed
            }
            writes.computeIfAbsent(resource, r -> new TreeSet<>()).add(write[2]);
        }
        return writes;
    }

    /** {resource, name, kind} of one write, named as the plan names it; an unknown write fails the test. */
    private static String[] resourceWritten(SdkRequest request, String domain) {
        return switch (request) {
            case CreateTrailRequest r -> new String[] {"trail", r.name(), CREATE};
            case UpdateTrailRequest r -> new String[] {"trail", r.name(), UPDATE};
            case StartLoggingRequest r -> new String[] {"trail", r.name(), UPDATE};
            case PutEventSelectorsRequest r -> new String[] {"trail", r.trailName(), UPDATE};
            case AddTagsRequest r -> new String[] {"trail", r.resourceId().replaceFirst(".*:trail/", ""), UPDATE};
            case CreateLogGroupRequest r -> new String[] {"log-group", r.logGroupName(), CREATE};
            case PutRetentionPolicyRequest r -> new String[] {"log-group", r.logGroupName(), UPDATE};
            case TagResourceRequest r -> new String[] {"log-group", r.resourceArn().replaceFirst(".*:log-group:", ""),
                    UPDATE};
            case CreateLogStreamRequest r -> new String[] {"log-stream", r.logGroupName() + ":" + r.logStreamName(),
                    CREATE};
            case PutMetricFilterRequest r -> new String[] {"metric-filter", r.filterName(), UPSERT};
            case PutMetricAlarmRequest r -> new String[] {"alarm", r.alarmName(), UPSERT};
            case PutDashboardRequest r -> new String[] {"dashboard", r.dashboardName(), UPSERT};
            case PutQueryDefinitionRequest r -> new String[] {"query-definition", r.name(),
                    r.queryDefinitionId() == null ? CREATE : UPDATE};
            case CreateDomainRequest r -> new String[] {"domain", r.domainName(), CREATE};
            case UpdateDomainRequest r -> new String[] {"domain", domain, UPDATE};
            case CreateUserProfileRequest r -> new String[] {"user-profile", domain + "/" + r.userProfileName(), CREATE};
            case DeleteUserProfileRequest r -> new String[] {"user-profile", domain + "/" + r.userProfileName(), DELETE};
            case DeleteAppRequest r -> new String[] {"user-profile", domain + "/" + r.userProfileName(), DELETE};
            case DeleteSpaceRequest r -> throw new AssertionError("no scenario gives a removed member a space: " + r);
            case PutParameterRequest r -> new String[] {"parameter", r.name(),
                    Boolean.TRUE.equals(r.overwrite()) ? UPDATE : CREATE};
            default -> throw new AssertionError("a write this test cannot place: " + request);
        };
    }
}
