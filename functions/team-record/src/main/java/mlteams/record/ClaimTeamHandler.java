package mlteams.record;

import java.time.Clock;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Step: claim the team for this execution. A second execution for the same team (an EventBridge redelivery,
 * a second console run) finds the claim held and ends without touching anything.
 */
public class ClaimTeamHandler extends JsonHandler<ClaimTeamHandler.Input, Claim> {

    /** @param purpose ONBOARDING or OFFBOARDING, recorded as the team's status */
    public record Input(String teamName, String executionId, String purpose) {
    }

    private final TeamRecord record;

    public ClaimTeamHandler() {
        this(AwsClients.build(SsmClient.builder(), ClientSettings.fromLambdaEnvironment()),
                RecordSettings.fromEnvironment());
        primeBeforeSnapshot(PRIMING_INPUT);
    }

    public ClaimTeamHandler(SsmClient ssm, RecordSettings settings) {
        super(Input.class);
        this.record = new TeamRecord(ssm, settings.parameterPrefix(), settings.lockTtl(), Clock.systemUTC());
    }

    @Override
    protected Claim handle(Input input, StepLog log) {
        return record.claim(input.teamName(), input.executionId(), input.purpose(), log);
    }

    /** Reads the probe team's lock, as a claim held elsewhere does; never puts one. */
    @Override
    protected Claim prime(Input sample, StepLog log) {
        return new Claim(false, record.primeLock(log));
    }

    /** ClaimTeam's priming input, as the state machine passes it, for a team that cannot exist. */
    static final String PRIMING_INPUT = """
            {"teamName": "%s", "purpose": "ONBOARDING", "executionId": "%s"}""".formatted(SnapStartPriming.PROBE_TEAM,
            TeamRecord.PRIMING_EXECUTION_ID);
}
