package mlteams.record;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Which execution holds a team: one item per team in a DynamoDB table (key {@code team}), holding the
 * execution's id and when it claimed. Every write is conditional, so DynamoDB decides each claim and release
 * atomically: of any number of executions that find the team free, or find the same stale claim, exactly one
 * succeeds. A claim older than the TTL belongs to an execution that died without its failure path (timed out
 * or was stopped) and may be taken over.
 */
public final class TeamClaims {

    /** The table's partition key: the team name. */
    public static final String TEAM = "team";
    public static final String EXECUTION_ID = "executionId";
    /** Epoch milliseconds of the claim, by the claiming function's clock. */
    public static final String CLAIMED_AT = "claimedAt";

    /** Free, ours already (a retry of this step), or stale; evaluated by DynamoDB together with the write. */
    private static final String CLAIMABLE = "attribute_not_exists(#team) OR #executionId = :me OR #claimedAt < :staleBefore";
    private static final String HELD_BY_ME = "#executionId = :me";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Duration ttl;
    private final Clock clock;

    public TeamClaims(DynamoDbClient dynamoDb, String table, Duration ttl, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = Objects.requireNonNull(table, "TEAM_CLAIMS_TABLE is not set");
        this.ttl = ttl;
        this.clock = clock;
    }

    /** @return whether this execution holds the team now, and who does */
    public Claim claim(String team, String executionId, StepLog log) {
        long now = clock.millis();
        try {
            Map<String, AttributeValue> before = dynamoDb.putItem(r -> r.tableName(table)
                    .item(Map.of(TEAM, text(team), EXECUTION_ID, text(executionId), CLAIMED_AT, number(now)))
                    .conditionExpression(CLAIMABLE)
                    .expressionAttributeNames(Map.of("#team", TEAM, "#executionId", EXECUTION_ID, "#claimedAt", CLAIMED_AT))
                    .expressionAttributeValues(Map.of(":me", text(executionId), ":staleBefore", number(now - ttl.toMillis())))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            String previous = before.containsKey(EXECUTION_ID) ? before.get(EXECUTION_ID).s() : null;
            if (previous != null && !previous.equals(executionId)) {
                log.warn("Claim on %s by %s was older than %s; taken over", team, previous, ttl);
            }
            return new Claim(true, executionId);
        } catch (ConditionalCheckFailedException held) {
            // The item that failed the condition, as DynamoDB saw it: held by another execution, and fresh.
            String holder = held.item().get(EXECUTION_ID).s();
            log.info("Team %s is being worked on by %s; this execution stops here", team, holder);
            return new Claim(false, holder);
        }
    }

    /** Deletes the claim if this execution holds it; a claim already gone, or another's, stays as it is. */
    public void release(String team, String executionId, StepLog log) {
        try {
            dynamoDb.deleteItem(r -> r.tableName(table).key(key(team))
                    .conditionExpression(HELD_BY_ME)
                    .expressionAttributeNames(Map.of("#executionId", EXECUTION_ID))
                    .expressionAttributeValues(Map.of(":me", text(executionId))));
            log.info("Released team %s", team);
        } catch (ConditionalCheckFailedException notOurs) {
            log.info("Team %s was not held by this execution; nothing to release", team);
        }
    }

    /**
     * SnapStart priming for the claim and outcome steps: GetItem of the claim of a team that cannot exist
     * ({@link SnapStartPriming#PROBE_TEAM}), which finds none. Read-only: nothing is put or deleted.
     *
     * @return the execution that holds the probe team: none
     */
    public String primeRead(StepLog log) {
        GetItemResponse found = SnapStartPriming.attempt(log, "GetItem", () -> dynamoDb.getItem(r -> r.tableName(table)
                .key(key(SnapStartPriming.PROBE_TEAM)).consistentRead(true)
                .overrideConfiguration(SnapStartPriming.REQUEST)));
        return found == null || !found.hasItem() ? null : found.item().get(EXECUTION_ID).s();
    }

    private static Map<String, AttributeValue> key(String team) {
        return Map.of(TEAM, text(team));
    }

    private static AttributeValue text(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
