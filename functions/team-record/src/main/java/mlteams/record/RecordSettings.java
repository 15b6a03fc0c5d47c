package mlteams.record;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import mlteams.common.Env;
import mlteams.common.TeamNames;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * @param claimsTable the DynamoDB table of the teams' claims; only the claim and outcome steps are given it
 * @param lockTtl longer than the state machine's own timeout, so a live execution never loses its claim
 */
public record RecordSettings(String parameterPrefix, String claimsTable, Duration lockTtl) {

    public static RecordSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static RecordSettings from(Map<String, String> env) {
        return new RecordSettings(Env.optional(env, "PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX),
                Env.optional(env, "TEAM_CLAIMS_TABLE", null),
                Duration.ofSeconds(Long.parseLong(Env.optional(env, "LOCK_TTL_SECONDS", "14400"))));
    }

    TeamRecord record(SsmClient ssm) {
        return new TeamRecord(ssm, parameterPrefix);
    }

    TeamClaims claims(DynamoDbClient dynamoDb) {
        return new TeamClaims(dynamoDb, claimsTable, lockTtl, Clock.systemUTC());
    }
}
