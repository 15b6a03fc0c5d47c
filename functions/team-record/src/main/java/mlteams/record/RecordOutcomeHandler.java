package mlteams.record;

import java.util.Map;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Step: record how the execution ended and release the team. {@code FAILED} keeps the error and cause in
 * {@code status-reason}; {@code OFFBOARDED} only releases the claim, since offboarding has removed the record.
 */
public class RecordOutcomeHandler extends JsonHandler<RecordOutcomeHandler.Input, Map<String, String>> {

    public record Input(String teamName, String executionId, String outcome, String error, String cause) {
    }

    private final TeamClaims claims;
    private final TeamRecord record;

    public RecordOutcomeHandler() {
        this(AwsClients.build(SsmClient.builder(), ClientSettings.fromLambdaEnvironment()),
                AwsClients.build(DynamoDbClient.builder(), ClientSettings.fromLambdaEnvironment()),
                RecordSettings.fromEnvironment());
        primeBeforeSnapshot(PRIMING_INPUT);
    }

    public RecordOutcomeHandler(SsmClient ssm, DynamoDbClient dynamoDb, RecordSettings settings) {
        super(Input.class);
        this.claims = settings.claims(dynamoDb);
        this.record = settings.record(ssm);
    }

    @Override
    protected Map<String, String> handle(Input input, StepLog log) {
        switch (input.outcome()) {
            case "FAILED" -> record.recordFailure(input.teamName(), input.executionId(), input.error(), input.cause(), log);
            case "OFFBOARDED" -> { }
            case "ONBOARDED" -> record.recordSuccess(input.teamName(), input.executionId(), input.outcome(), log);
            default -> throw new IllegalArgumentException("Unknown outcome " + input.outcome());
        }
        claims.release(input.teamName(), input.executionId(), log);
        return Map.of("teamName", input.teamName(), "outcome", input.outcome());
    }

    /** Reads the probe team's claim, as a release does; never writes the status or deletes a claim. */
    @Override
    protected Map<String, String> prime(Input sample, StepLog log) {
        claims.primeRead(log);
        return Map.of("teamName", SnapStartPriming.PROBE_TEAM, "outcome", sample.outcome());
    }

    /** RecordOutcome's priming input: a failure, as the state machine's Catch passes it, of a team that cannot exist. */
    static final String PRIMING_INPUT = """
            {"teamName": "%s", "outcome": "FAILED", "executionId": "%s",
             "error": "mlteams.domain.DomainFailedException",
             "cause": "{\\"errorMessage\\":\\"Domain %s is Failed: no reason given\\"}"}""".formatted(
            SnapStartPriming.PROBE_TEAM, ClaimTeamHandler.PRIMING_EXECUTION_ID, SnapStartPriming.PROBE_DOMAIN_ID);
}
