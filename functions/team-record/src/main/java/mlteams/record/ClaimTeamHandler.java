package mlteams.record;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Step: claim the team for this execution. A second execution for the same team (an EventBridge redelivery,
 * a second console run) finds the claim held and ends without touching anything.
 */
public class ClaimTeamHandler extends JsonHandler<ClaimTeamHandler.Input, Claim> {

    /** @param purpose ONBOARDING or OFFBOARDING, recorded as the team's status */
    public record Input(String teamName, String executionId, String purpose) {
    }

    private final TeamClaims claims;
    private final TeamRecord record;

    public ClaimTeamHandler() {
        this(AwsClients.build(SsmClient.builder(), ClientSettings.fromLambdaEnvironment()),
                AwsClients.build(DynamoDbClient.builder(), ClientSettings.fromLambdaEnvironment()),
                RecordSettings.fromEnvironment());
        primeBeforeSnapshot(PRIMING_INPUT);
    }

    public ClaimTeamHandler(SsmClient ssm, DynamoDbClient dynamoDb, RecordSettings settings) {
        super(Input.class);
        this.claims = settings.claims(dynamoDb);
        this.record = settings.record(ssm);
    }

    @Override
    protected Claim handle(Input input, StepLog log) {
        Claim claim = claims.claim(input.teamName(), input.executionId(), log);
        if (claim.claimed()) {
            record.recordStart(input.teamName(), input.executionId(), input.purpose(), log);
        }
        return claim;
    }

    /** Reads the probe team's claim, as a claim held elsewhere is read; never puts one. */
    @Override
    protected Claim prime(Input sample, StepLog log) {
        return new Claim(false, claims.primeRead(log));
    }

    /** The execution the claim and outcome steps' priming inputs name: a run of no deployed state machine. */
    static final String PRIMING_EXECUTION_ID =
            "arn:aws:states:us-east-1:123456789012:execution:ml-platform-onboard-team:snapstart-priming";

    /** ClaimTeam's priming input, as the state machine passes it, for a team that cannot exist. */
    static final String PRIMING_INPUT = """
            {"teamName": "%s", "purpose": "ONBOARDING", "executionId": "%s"}""".formatted(SnapStartPriming.PROBE_TEAM,
            PRIMING_EXECUTION_ID);
}
