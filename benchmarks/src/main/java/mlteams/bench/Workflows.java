package mlteams.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mlteams.common.Json;
import mlteams.local.Clients;
import mlteams.local.LocalWorkflow;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.SdkStub;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteQueryDefinitionRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteQueryDefinitionResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeQueryDefinitionsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeQueryDefinitionsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutQueryDefinitionRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutQueryDefinitionResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryDefinition;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AuthMode;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The real workflows, run once through {@link LocalWorkflow} (the real ASL in aws-local-stepfunctions, the real
 * handlers, moto behind MotoGaps) on a fresh account. They give the counted figures (state transitions, and the AWS
 * calls each function makes, attributed by the function running on the calling thread) and every Task's input,
 * which the measured invokes replay: the last successful input each function received.
 *
 * <p>A second team is onboarded, its members changed, offboarded and offboarded again (the counted executions),
 * so the offboarding steps replay against a team that is gone and repeat identically. Then nlp-research (for the
 * activity batch) and the sample team are onboarded, planned (the plan's steps read what exists) and the sample
 * team's members changed: every onboarding and membership step replays against what exists, and adopts it.
 */
final class Workflows implements AutoCloseable {

    /** One counted execution: its state transitions and each function's calls, in order. */
    record Counted(String label, long transitions, Map<String, List<String>> calls) {
        int total() {
            return calls.values().stream().mapToInt(List::size).sum();
        }
    }

    static final String GONE_TEAM = "offboarded-team";
    /** Functions that undo each other's change: each is invoked before the other's measured invoke. */
    static final Map<String, String> RESETS = Map.of("ClaimTeam", "RecordOutcome", "RecordOutcome", "ClaimTeam");

    private final Clients clients;
    private final LocalWorkflow workflow;
    private final Map<String, String> inputs = new LinkedHashMap<>();
    private final List<Counted> counted = new ArrayList<>();
    private volatile Map<String, List<String>> calls;

    Workflows(Clients clients, Map<String, String> env) {
        this.clients = clients;
        Clients countedClients = new Clients(count(CloudTrailClient.class, clients.cloudTrail()),
                count(CloudWatchLogsClient.class, savedQueries(clients.logs())),
                count(SageMakerClient.class, clients.sageMaker()), count(SsmClient.class, clients.ssm()),
                count(CloudWatchClient.class, clients.cloudWatch()), count(DynamoDbClient.class, clients.dynamoDb()));
        this.workflow = new LocalWorkflow(countedClients, env, new PrintStream(OutputStream.nullOutputStream()),
                LocalWorkflow.pauses(0, 0));
    }

    /** Runs every execution; afterwards {@link #inputs()} and {@link #counted()} hold the results. */
    void run() {
        String onboard = Events.read("team-onboarded.json");
        String members = Events.read("team-members-changed.json");
        String offboard = Events.read("team-offboarded.json");
        String team = (String) ((Map<?, ?>) Json.readMap(onboard).get("detail")).get("teamName");
        execute("onboarding, fresh account", LocalWorkflow.ONBOARD_DEFINITION, onboard.replace(team, GONE_TEAM));
        execute("onboarding again (repeat run)", LocalWorkflow.ONBOARD_DEFINITION, onboard.replace(team, GONE_TEAM));
        execute("membership change", LocalWorkflow.MEMBERS_DEFINITION, members.replace(team, GONE_TEAM));
        execute("offboarding", LocalWorkflow.OFFBOARD_DEFINITION, offboard.replace(team, GONE_TEAM));
        execute("offboarding again", LocalWorkflow.OFFBOARD_DEFINITION, offboard.replace(team, GONE_TEAM));
        execute(null, LocalWorkflow.ONBOARD_DEFINITION, onboard.replace(team, "nlp-research"));
        execute(null, LocalWorkflow.ONBOARD_DEFINITION, onboard);
        execute("plan, team onboarded", LocalWorkflow.PLAN_DEFINITION, onboard);
        execute(null, LocalWorkflow.MEMBERS_DEFINITION, members);
    }

    private void execute(String label, String definition, String input) {
        Map<String, List<String>> these = new LinkedHashMap<>();
        calls = label == null ? null : these;
        workflow.lambda().clearInvocations();
        Execution execution = workflow.run(definition, input, event -> { });
        calls = null;
        if (!execution.succeeded()) {
            throw new IllegalStateException(definition + " failed: " + execution.error() + ": " + execution.cause());
        }
        for (LocalLambda.Invocation invocation : workflow.lambda().invocations()) {
            if (invocation.errorType() == null) {
                inputs.put(invocation.function(), invocation.input());
            }
        }
        if (label != null) {
            synchronized (these) {
                counted.add(new Counted(label, execution.stateTransitions(), Map.copyOf(these)));
            }
        }
    }

    Map<String, String> inputs() {
        return inputs;
    }

    List<Counted> counted() {
        return counted;
    }

    /** Puts back what the function's measured invoke changes, by invoking its partner in {@link #RESETS}. */
    void reset(String function) {
        String partner = RESETS.get(function);
        if (partner != null) {
            LocalLambda.Invocation done = workflow.lambda().invoke(partner, inputs.get(partner));
            if (done.errorType() != null) {
                throw new IllegalStateException(partner + " (reset before " + function + ") failed: " + done.errorMessage());
            }
        }
    }

    /**
     * One SQS batch as the activity queue delivers it: each well-formed record of events/cloudtrail/corpus.json in
     * its EventBridge envelope, the corpus's placeholder domain ids replaced by the real ones of the onboarded
     * teams and a sandbox domain of no team. Records naming a domain that exists in no form here are left out;
     * those of a deleted domain stay, as unknown ids.
     */
    @SuppressWarnings("unchecked")
    String activityBatch() {
        clients.sageMaker().createDomain(r -> r.domainName("data-science-sandbox").authMode(AuthMode.IAM)
                .vpcId("vpc-0a1b2c3d4e5f60718").subnetIds("subnet-0a1b2c3d4e5f60718")
                .defaultUserSettings(u -> u.executionRole("arn:aws:iam::123456789012:role/ml-platform-studio-execution")));
        Map<String, String> idsByName = new LinkedHashMap<>();
        clients.sageMaker().listDomainsPaginator(r -> r.maxResults(100)).domains()
                .forEach(d -> idsByName.put(d.domainName(), d.domainId()));
        Map<String, Object> corpus = Json.readMap(Events.read("cloudtrail/corpus.json"));
        Map<String, String> ids = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        ((Map<String, Object>) corpus.get("domains")).forEach((placeholder, about) -> {
            Map<String, Object> domain = (Map<String, Object>) about;
            String id = idsByName.get((String) domain.get("name"));
            if (id != null) {
                ids.put(placeholder, id);
            } else if (domain.get("name") != null && !Boolean.TRUE.equals(domain.get("deleted"))) {
                missing.add(placeholder);
            }
        });
        List<Map<String, Object>> records = new ArrayList<>();
        for (Object c : (List<?>) corpus.get("cases")) {
            Map<String, Object> theCase = (Map<String, Object>) c;
            String record = theCase.containsKey("record") ? Json.write(theCase.get("record")) : null;
            if (record == null || theCase.containsKey("padTo") || missing.stream().anyMatch(record::contains)
                    || ((Map<String, Object>) theCase.get("expected")).containsKey("malformed")) {
                continue;
            }
            for (Map.Entry<String, String> id : ids.entrySet()) {
                record = record.replace(id.getKey(), id.getValue());
            }
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("messageId", "benchmark-" + records.size());
            message.put("receiptHandle", "benchmark-" + records.size());
            message.put("body", "{\"version\":\"0\",\"id\":\"e-" + theCase.get("name") + "\",\"detail-type\":\"AWS API"
                    + " Call via CloudTrail\",\"source\":\"aws.sagemaker\",\"account\":\"123456789012\",\"region\":"
                    + "\"us-east-1\",\"detail\":" + record + "}");
            message.put("attributes", Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1795615200000"));
            message.put("md5OfBody", "");
            message.put("eventSource", "aws:sqs");
            message.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:ml-platform-ActivityQueue");
            message.put("awsRegion", "us-east-1");
            records.add(message);
        }
        return Json.write(Map.of("Records", records));
    }

    /** The real client, each call recorded under the function invoked on this thread (a page counts one call). */
    private <T> T count(Class<T> type, T real) {
        return SdkStub.of(type, real, (operation, request) -> {
            Map<String, List<String>> these = calls;
            String function = LocalLambda.currentFunction();
            if (these != null && function != null) {
                synchronized (these) {
                    these.computeIfAbsent(function, f -> new ArrayList<>())
                            .add(Character.toUpperCase(operation.charAt(0)) + operation.substring(1));
                }
            }
            return SdkStub.PASS;
        });
    }

    /**
     * Saved Logs Insights queries remembered as CloudWatch Logs does: MotoGaps answers statelessly (it finds none),
     * which would count writes on a repeat onboarding that AWS never sees.
     */
    private static CloudWatchLogsClient savedQueries(CloudWatchLogsClient real) {
        Map<String, QueryDefinition> byId = new LinkedHashMap<>();
        AtomicInteger ids = new AtomicInteger();
        return SdkStub.of(CloudWatchLogsClient.class, real, (operation, request) -> {
            synchronized (byId) {
                switch (operation) {
                    case "describeQueryDefinitions" -> {
                        String prefix = ((DescribeQueryDefinitionsRequest) request).queryDefinitionNamePrefix();
                        return DescribeQueryDefinitionsResponse.builder().queryDefinitions(byId.values().stream()
                                .filter(q -> prefix == null || q.name().startsWith(prefix)).toList()).build();
                    }
                    case "putQueryDefinition" -> {
                        PutQueryDefinitionRequest put = (PutQueryDefinitionRequest) request;
                        String id = put.queryDefinitionId() != null ? put.queryDefinitionId() : "query-" + ids.incrementAndGet();
                        byId.put(id, QueryDefinition.builder().queryDefinitionId(id).name(put.name())
                                .queryString(put.queryString()).logGroupNames(put.logGroupNames()).build());
                        return PutQueryDefinitionResponse.builder().queryDefinitionId(id).build();
                    }
                    case "deleteQueryDefinition" -> {
                        boolean deleted = byId.remove(((DeleteQueryDefinitionRequest) request).queryDefinitionId()) != null;
                        return DeleteQueryDefinitionResponse.builder().success(deleted).build();
                    }
                    default -> {
                        return SdkStub.PASS;
                    }
                }
            }
        });
    }

    @Override
    public void close() {
        workflow.close();
    }
}
