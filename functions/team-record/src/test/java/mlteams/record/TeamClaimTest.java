package mlteams.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.StepLog;
import mlteams.local.peers.LocalContext;
import mlteams.local.peers.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The team's claim against moto's DynamoDB, through the real SDK. */
class TeamClaimTest {

    private static final String TABLE = "team-claims";
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final int EXECUTIONS = 8;
    private static final StepLog LOG = new StepLog(new LocalContext("ClaimTeam", System.err).getLogger());

    private final MotoServer moto = MotoServer.shared();
    private DynamoDbClient dynamoDb;

    @BeforeEach
    void emptyAccountWithTheTable() {
        moto.reset();
        dynamoDb = AwsClients.build(DynamoDbClient.builder(), ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1),
                oneRequestAtATime(UrlConnectionHttpClient.create()));
        dynamoDb.createTable(r -> r.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName(TeamClaims.TEAM).attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName(TeamClaims.TEAM).keyType(KeyType.HASH)));
    }

    @AfterEach
    void close() {
        dynamoDb.close();
    }

    /**
     * Executions that find the same stale claim at once: exactly one may take it over, in every round. (Against the
     * Parameter Store lock this replaced, which overwrote and then read back, two executions won in the first round.)
     * The executions interleave freely between their requests; see {@link #oneRequestAtATime} for why moto sees one
     * request at a time.
     */
    @Test
    void ofManyExecutionsTakingOverOneStaleClaimExactlyOneWins() throws Exception {
        List<String> teams = java.util.stream.IntStream.range(0, 60).mapToObj(i -> "round-" + i).toList();
        // Planted by an execution that claimed an hour ago and died; a winner's own claim stays fresh for the TTL.
        TeamClaims anHourAgo = new TeamClaims(dynamoDb, TABLE, TTL, Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
        for (String team : teams) {
            assertTrue(anHourAgo.claim(team, "crashed", LOG).claimed());
        }

        ExecutorService pool = Executors.newFixedThreadPool(EXECUTIONS);
        try {
            for (String team : teams) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Claim>> claims = new ArrayList<>();
                for (int i = 0; i < EXECUTIONS; i++) {
                    String executionId = "execution-" + i;
                    TeamClaims own = claims();
                    claims.add(pool.submit(() -> {
                        start.await();
                        return own.claim(team, executionId, LOG);
                    }));
                }
                start.countDown();
                List<String> winners = new ArrayList<>();
                List<String> heldBy = new ArrayList<>();
                for (Future<Claim> claim : claims) {
                    Claim result = claim.get();
                    if (result.claimed()) {
                        winners.add(result.heldBy());
                    }
                    heldBy.add(result.heldBy());
                }
                assertEquals(1, winners.size(), team + ": executions that believe they hold the team: " + winners);
                assertEquals(List.of(winners.get(0)), heldBy.stream().distinct().toList(),
                        team + ": every loser names the winner");
                assertEquals(winners.get(0), holder(team), team + ": the table names the winner");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFreshClaimIsHeldAgainstOthersButNotAgainstItsOwnRetry() {
        assertTrue(claims().claim("cv", "first", LOG).claimed());

        Claim second = claims().claim("cv", "second", LOG);
        assertFalse(second.claimed());
        assertEquals("first", second.heldBy());
        assertTrue(claims().claim("cv", "first", LOG).claimed(), "a retry of the claiming step");
        assertEquals("first", holder("cv"));
    }

    @Test
    void onlyTheHolderReleasesAndAReleaseRepeatsHarmlessly() {
        claims().claim("cv", "first", LOG);

        claims().release("cv", "second", LOG);
        assertEquals("first", holder("cv"), "another execution's release leaves the claim");
        claims().release("cv", "first", LOG);
        assertEquals(null, holder("cv"));
        claims().release("cv", "first", LOG);
        assertTrue(claims().claim("cv", "second", LOG).claimed(), "a released team can be claimed at once");
    }

    /**
     * moto 5.2.1 evaluates a condition and then writes without a lock, so two concurrent requests can both pass
     * one condition (seen once in 60 rounds of this test); DynamoDB applies each conditional write to an item
     * atomically. Sending moto one request at a time gives its conditional writes DynamoDB's atomicity, and leaves
     * every interleaving between requests (the race a read-then-write claim loses) possible.
     */
    private static SdkHttpClient oneRequestAtATime(SdkHttpClient http) {
        Object turn = new Object();
        return new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                ExecutableHttpRequest prepared = http.prepareRequest(request);
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        synchronized (turn) { // moto has handled the request once its response status is in
                            return prepared.call();
                        }
                    }

                    @Override
                    public void abort() {
                        prepared.abort();
                    }
                };
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }

    private TeamClaims claims() {
        return new TeamClaims(dynamoDb, TABLE, TTL, Clock.systemUTC());
    }

    private String holder(String team) {
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(TABLE).consistentRead(true)
                .key(Map.of(TeamClaims.TEAM, AttributeValue.fromS(team)))).item();
        return item.isEmpty() ? null : item.get(TeamClaims.EXECUTION_ID).s();
    }
}
