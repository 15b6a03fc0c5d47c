package mlteams.local;

import static mlteams.local.WorkflowFixture.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import mlteams.common.Json;
import mlteams.common.StepLog;
import mlteams.local.peers.LocalContext;
import mlteams.record.RecordSettings;
import mlteams.record.TeamClaims;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.SdkStub;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * EventBridge delivers at least once and people click twice: duplicates and concurrent runs must give one
 * set of resources, and a request that would need a replacement must fail instead.
 */
class IdempotencyTest extends EndToEndTest {


    @Test
    void tenDeliveriesOfTheSameEventGiveOneSetOfResources() {
        Execution first = null;
        for (int delivery = 1; delivery <= 10; delivery++) {
            Execution execution = account.onboard(Events.read("team-onboarded.json"));
            assertTrue(execution.succeeded(), "delivery " + delivery + ": " + execution.error() + " " + execution.cause());
            if (first == null) {
                first = execution;
                continue;
            }
            assertEquals(WorkflowFixture.withoutMembers(output(first)), WorkflowFixture.withoutMembers(output(execution)),
                    "delivery " + delivery);
            WorkflowFixture.assertRepeatKeptEveryMember(first, execution);
        }

        assertEquals(1, account.domains().size());
        assertEquals(1, account.teamLogGroups().size());
        assertEquals(List.of("user-activity"), account.logStreams("/ml-teams/computer-vision/activity"));
        assertEquals(1, account.clients.cloudTrail().describeTrails().trailList().size());
        assertEquals(6, account.outputVersions().size());
        assertTrue(account.outputVersions().values().stream().allMatch(v -> v == 1L), account.outputVersions().toString());
        assertEquals("ONBOARDED", account.teamParameter("computer-vision", "status"));
    }

    @Test
    void concurrentExecutionsForOneTeamCreateNothingTwice() throws Exception {
        AtomicInteger creates = new AtomicInteger();
        SageMakerClient slowAndCounted = SdkStub.of(SageMakerClient.class, account.clients.sageMaker(), (op, request) -> {
            if (op.equals("listDomains")) {
                Thread.sleep(1500); // widen the window in which a second execution could slip in
            } else if (op.equals("createDomain")) {
                creates.incrementAndGet();
            }
            return SdkStub.PASS;
        });
        List<Execution> executions;
        try (LocalWorkflow workflow = account.workflow(account.clients.withSageMaker(slowAndCounted), account.env)) {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<Execution>> running = List.of(
                    pool.submit(() -> workflow.onboard(Events.read("team-onboarded.json"), e -> { })),
                    pool.submit(() -> workflow.onboard(Events.read("team-onboarded.json"), e -> { })),
                    pool.submit(() -> workflow.onboard(Events.read("team-onboarded-minimal.json").replace(
                            "nlp-research", "computer-vision"), e -> { })));
            executions = new java.util.ArrayList<>();
            for (Future<Execution> execution : running) {
                executions.add(execution.get());
            }
            pool.shutdown();
        }

        assertTrue(executions.stream().allMatch(Execution::succeeded), executions.toString());
        long worked = executions.stream().filter(e -> output(e).containsKey("sagemakerDomainId")).count();
        long stood = executions.stream().filter(e -> "ALREADY_IN_PROGRESS".equals(output(e).get("status"))).count();
        assertEquals(1, worked, "exactly one execution does the work");
        assertEquals(2, stood, "the others stop at the claim");
        assertEquals(1, creates.get(), "CreateDomain is called once");
        assertEquals(1, account.domains().size());
        assertEquals(1, account.teamLogGroups().size());
        assertNull(account.claimHolder("computer-vision"));
    }

    @Test
    void aClaimLeftByADeadExecutionIsTakenOverOnlyAfterItsTtl() {
        RecordSettings settings = RecordSettings.from(account.env);
        new TeamClaims(account.clients.dynamoDb(), settings.claimsTable(), settings.lockTtl(), Clock.systemUTC())
                .claim("computer-vision", "arn:aws:states:us-east-1:000000000000:execution:local:crashed",
                        new StepLog(new LocalContext("test", System.err).getLogger()));

        Execution blocked = account.onboard(Events.read("team-onboarded.json"));
        assertEquals("ALREADY_IN_PROGRESS", output(blocked).get("status"));
        assertEquals("arn:aws:states:us-east-1:000000000000:execution:local:crashed", output(blocked).get("heldBy"));
        assertEquals(List.of(), account.domains());

        Map<String, String> expired = new HashMap<>(account.env);
        expired.put("LOCK_TTL_SECONDS", "0");
        Execution takeover = account.onboard(account.clients, expired, Events.read("team-onboarded.json"));
        assertTrue(takeover.succeeded(), takeover.error() + ": " + takeover.cause());
        assertEquals(1, account.domains().size());
        assertNull(account.claimHolder("computer-vision"));
    }

    @Test
    void aDifferentVpcForAnExistingDomainFailsInsteadOfReplacingIt() {
        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());
        @SuppressWarnings("unchecked")
        Map<String, Object> event = Json.readMap(Events.read("team-onboarded.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) event.get("detail");
        detail.put("vpcId", "vpc-0fffffffffffffff0");

        Execution execution = account.onboard(Json.write(event));

        assertEquals("mlteams.common.ResourceConflictException", execution.error());
        assertTrue(execution.cause().contains("vpcId: vpc-0a1b2c3d4e5f60718 -> vpc-0fffffffffffffff0"),
                execution.cause());
        assertEquals(1, account.domains().size());
        assertEquals("vpc-0a1b2c3d4e5f60718", account.clients.sageMaker()
                .describeDomain(r -> r.domainId(account.domains().get(0).domainId())).vpcId());
        assertEquals("FAILED", account.teamParameter("computer-vision", "status"));
    }
}
