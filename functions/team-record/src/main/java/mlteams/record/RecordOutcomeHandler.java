package mlteams.record;

import java.time.Clock;
import java.util.Map;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.StepLog;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Step: record how the execution ended and release the team. {@code FAILED} keeps the error and cause in
 * {@code status-reason}; {@code OFFBOARDED} only releases the claim, since offboarding has removed the record.
 */
public class RecordOutcomeHandler extends JsonHandler<RecordOutcomeHandler.Input, Map<String, String>> {

    public record Input(String teamName, String executionId, String outcome, String error, String cause) {
    }

    private final TeamRecord record;

    public RecordOutcomeHandler() {
        this(AwsClients.build(SsmClient.builder(), ClientSettings.fromLambdaEnvironment()),
                RecordSettings.fromEnvironment());
    }

    public RecordOutcomeHandler(SsmClient ssm, RecordSettings settings) {
        super(Input.class);
        this.record = new TeamRecord(ssm, settings.parameterPrefix(), settings.lockTtl(), Clock.systemUTC());
    }

    @Override
    protected Map<String, String> handle(Input input, StepLog log) {
        switch (input.outcome()) {
            case "FAILED" -> record.recordFailure(input.teamName(), input.executionId(), input.error(), input.cause(), log);
            case "OFFBOARDED" -> record.release(input.teamName(), input.executionId(), log);
            case "ONBOARDED" -> record.recordSuccess(input.teamName(), input.executionId(), input.outcome(), log);
            default -> throw new IllegalArgumentException("Unknown outcome " + input.outcome());
        }
        return Map.of("teamName", input.teamName(), "outcome", input.outcome());
    }
}
