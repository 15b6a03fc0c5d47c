package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import mlteams.activity.ActivityMonitorHandler;
import mlteams.activity.ActivitySettings;
import mlteams.local.iam.DeployedStack;
import mlteams.local.iam.IamCase;
import mlteams.local.iam.IamRequests;
import mlteams.local.iam.IamSimulator;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.RepoPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, proven: every AWS request a handler really issued (recorded by {@link OperationRecorder}
 * during this and every earlier end-to-end class) must be allowed, for its resource, by that function's role as
 * IAM would evaluate it,
 * no policy may grant every action, "*" resources are allowed only for actions AWS cannot scope, and each state
 * machine may invoke exactly the functions its definition calls.
 */
@Order(Integer.MAX_VALUE)
class PermissionsTest {

    /**
     * Actions that have no resource-level permissions (or whose resource comes from the request), so "*" is the
     * narrowest resource. template.yaml says why next to each.
     */
    static final List<String> UNSCOPABLE = List.of(
            "sagemaker:ListDomains", "sagemaker:ListApps", "sagemaker:ListSpaces", "sagemaker:ListUserProfiles",
            "ec2:Describe*", "elasticfilesystem:CreateFileSystem", "iam:CreateServiceLinkedRole",
            "kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlainText",
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
            "xray:GetSamplingTargets", "cloudwatch:DescribeAlarms", "logs:DescribeQueryDefinitions",
            "logs:PutQueryDefinition", "logs:DeleteQueryDefinition");

    private static TemplatePolicies template;
    private static Map<String, String> localEnvironment;
    private static final Map<String, Set<String>> INVOKED_BY_DEFINITION = new HashMap<>();

    /** Runs both workflows (and a failure) itself, so this class proves something when run alone too. */
    @BeforeAll
    static void runEveryHandler() {
        template = TemplatePolicies.load();
        try (WorkflowFixture account = new WorkflowFixture()) {
            localEnvironment = account.env;
            Map<String, String> deleteEverything = new HashMap<>(account.env);
            deleteEverything.put("RETAIN_TEAM_LOG_GROUP", "false");
            try (LocalWorkflow workflow = account.workflow(account.clients, account.env)) {
                assertTrue(workflow.onboard(Events.read("team-onboarded.json"), e -> { }).succeeded());
                Clients failing = account.clients.withSageMaker(account.domainStatuses("Failed"));
                try (LocalWorkflow failed = account.workflow(failing, account.env)) {
                    failed.onboard(Events.read("team-onboarded-minimal.json"), e -> { });
                    record(LocalWorkflow.ONBOARD_DEFINITION, failed);
                }
                record(LocalWorkflow.ONBOARD_DEFINITION, workflow);
            }
            try (LocalWorkflow workflow = account.workflow(account.clients, account.env)) {
                // the plan of a changed team (member profiles to remove: their tags are read), and of a new one
                assertTrue(workflow.plan(WorkflowFixture.sampleEventWithMembers("alice", "dave"), e -> { })
                        .succeeded());
                assertTrue(workflow.plan(Events.read("team-onboarded.json").replace("computer-vision", "new-team"),
                        e -> { }).succeeded());
                record(LocalWorkflow.PLAN_DEFINITION, workflow);
            }
            try (LocalWorkflow workflow = account.workflow(account.clients, account.env)) {
                assertTrue(workflow.changeMembers(Events.read("team-members-changed.json"), e -> { }).succeeded());
                record(LocalWorkflow.MEMBERS_DEFINITION, workflow);
            }
            monitorActivity(account);
            try (LocalWorkflow workflow = account.workflow(account.clients, deleteEverything)) {
                assertTrue(workflow.offboard(Events.read("team-offboarded.json"), e -> { }).succeeded());
                record(LocalWorkflow.OFFBOARD_DEFINITION, workflow);
            }
        }
    }

    /**
     * Every request a handler made, with its real resource ARN and the context keys IAM would see (see
     * {@link IamRequests}), is allowed by the role SAM generates for that function (managed policies and the
     * permissions boundary included), as {@link IamSimulator} evaluates it. Names that the local stand-in for the
     * stack gives differently (the trail's delivery role, say) are mapped to the deployed ones through the
     * functions' environment.
     */
    @Test
    void everyRequestAHandlerMadeIsAllowedForItsResourceByItsFunctionsRole() {
        Map<String, Set<String>> recorded = OperationRecorder.recorded();
        // Functions whose handlers make AWS calls (those with policies); each must show up in the recording.
        List<String> callingFunctions = template.ofType("AWS::Serverless::Function").stream()
                .filter(id -> template.properties(id).containsKey("Policies"))
                .map(id -> id.replaceFirst("Function$", "")).toList();
        assertTrue(callingFunctions.size() > 1, "no function of template.yaml has policies: " + callingFunctions);
        assertTrue(recorded.keySet().containsAll(callingFunctions),
                "the recording misses " + callingFunctions.stream().filter(f -> !recorded.containsKey(f)).toList());
        DeployedStack stack = DeployedStack.load();
        IamRequests iam = new IamRequests(stack.region, stack.account);
        Map<String, String> renames = stack.renamesFrom(localEnvironment);
        Map<String, IamCase> cases = new TreeMap<>();
        OperationRecorder.calls().forEach((function, calls) -> {
            for (OperationRecorder.Call call : calls) {
                for (IamRequests.Authorization a : iam.of(call.prefix(), call.operation(), call.request())) {
                    IamCase c = a.renamed(renames).byFunction(stack, function + "Function");
                    cases.putIfAbsent(c.id() + " " + c.context(), c);
                }
            }
        });
        System.err.println("Recorded AWS actions per function: " + recorded + "; " + cases.size()
                + " distinct requests evaluated");
        List<String> denied = IamSimulator.evaluate(List.copyOf(cases.values())).stream()
                .map(IamSimulator.Decision::whyNotAllowed).filter(java.util.Objects::nonNull).toList();
        assertEquals(List.of(), denied, "requests the functions' roles would be refused");
        assertTrue(cases.size() > 50, "only " + cases.size() + " distinct requests were recorded");
    }

    @Test
    void noPolicyGrantsEveryAction() {
        List<String> broad = new ArrayList<>();
        for (String type : List.of("AWS::Serverless::Function", "AWS::Serverless::StateMachine", "AWS::IAM::Role")) {
            for (String id : template.ofType(type)) {
                for (TemplatePolicies.Statement s : template.statements(id)) {
                    s.actions().stream().filter(a -> a.equals("*") || a.endsWith(":*"))
                            .forEach(a -> broad.add(id + "/" + s.sid() + ": " + a));
                }
            }
        }
        assertEquals(List.of(), broad);
    }

    @Test
    void wildcardResourcesOnlyForActionsThatCannotBeScoped() {
        List<String> unscoped = new ArrayList<>();
        for (String type : List.of("AWS::Serverless::Function", "AWS::Serverless::StateMachine", "AWS::IAM::Role")) {
            for (String id : template.ofType(type)) {
                for (TemplatePolicies.Statement s : template.statements(id)) {
                    if (s.resources().contains("*")) {
                        s.actions().stream().filter(a -> UNSCOPABLE.stream().noneMatch(u -> TemplatePolicies.allows(u, a)))
                                .forEach(a -> unscoped.add(id + "/" + s.sid() + ": " + a + " on *"));
                    }
                }
            }
        }
        assertEquals(List.of(), unscoped);
    }

    @Test
    void eachStateMachineMayInvokeExactlyTheFunctionsItsDefinitionCalls() throws IOException {
        List<String> stateMachines = template.ofType("AWS::Serverless::StateMachine");
        try (var definitions = Files.list(RepoPaths.root().resolve("statemachine"))) {
            assertEquals(definitions.count(), stateMachines.size(), "one state machine per definition: " + stateMachines);
        }
        for (String stateMachine : stateMachines) {
            String definition = (String) template.properties(stateMachine).get("DefinitionUri");
            Set<String> called = new TreeSet<>();
            Matcher placeholder = Pattern.compile("\\$\\{(\\w+FunctionArn)}")
                    .matcher(Files.readString(RepoPaths.root().resolve(definition)));
            Map<String, String> substitutions = template.substitutedFunctions(stateMachine);
            while (placeholder.find()) {
                assertTrue(substitutions.containsKey(placeholder.group(1)), stateMachine + " does not substitute "
                        + placeholder.group(1));
                called.add(substitutions.get(placeholder.group(1)));
            }
            assertEquals(called, new TreeSet<>(template.invocableFunctions(stateMachine)),
                    stateMachine + " may invoke exactly the functions " + definition + " calls");
            Set<String> invoked = INVOKED_BY_DEFINITION.getOrDefault(definition, Set.of());
            assertTrue(!invoked.isEmpty() && called.containsAll(invoked),
                    definition + " invoked " + invoked + " locally; allowed " + called);
        }
    }

    /**
     * The activity monitor is fed by its queue, not a state machine: invoked here with one record of each kind, one
     * of them a Studio session's naming no domain, whose team comes from the domain records (execution role).
     */
    private static void monitorActivity(WorkflowFixture account) {
        String domainId = account.domains().stream().filter(d -> d.domainName().equals("ml-team-computer-vision"))
                .findFirst().orElseThrow().domainId();
        SQSEvent batch = new SQSEvent();
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        String iamUser = "{\"type\":\"IAMUser\",\"userName\":\"ops\"}";
        String studioSession = "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::123456789012:assumed-role/"
                + "ml-platform-studio-execution/SageMaker\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
                + "\"arn\":\"arn:aws:iam::123456789012:role/ml-platform-studio-execution\"},\"sourceIdentity\":\"alice\"}}";
        for (String[] record : List.of(
                new String[] {"attributed", iamUser, "{\"domainId\":\"" + domainId + "\",\"userProfileName\":\"alice\"}"},
                new String[] {"byExecutionRole", studioSession, "{}"},
                new String[] {"unattributed", iamUser, "{}"})) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(record[0]);
            message.setBody("{\"detail\":{\"eventVersion\":\"1.10\",\"eventID\":\"" + record[0] + "\","
                    + "\"eventName\":\"CreatePresignedDomainUrl\",\"eventSource\":\"sagemaker.amazonaws.com\","
                    + "\"eventTime\":\"2026-11-25T12:00:00Z\",\"userIdentity\":" + record[1] + ","
                    + "\"requestParameters\":" + record[2] + "}}");
            messages.add(message);
        }
        batch.setRecords(messages);
        var handler = new ActivityMonitorHandler(account.clients.sageMaker(), account.clients.ssm(), account.clients.logs(),
                ActivitySettings.from(account.env));
        try {
            var response = LocalLambda.runAs("ActivityMonitor",
                    () -> handler.handleRequest(batch, new mlteams.local.peers.LocalContext("ActivityMonitor", System.err)));
            assertEquals(List.of(), response.getBatchItemFailures());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void record(String definition, LocalWorkflow workflow) {
        INVOKED_BY_DEFINITION.computeIfAbsent(definition, d -> new TreeSet<>()).addAll(workflow.lambda().invocations()
                .stream().map(LocalLambda.Invocation::function).map(f -> f + "Function").toList());
    }
}
