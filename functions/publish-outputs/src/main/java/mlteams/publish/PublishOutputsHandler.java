package mlteams.publish;

import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.StepLog;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Last step: publish the team's domain URL, trail ARN and log names to Parameter Store. */
public class PublishOutputsHandler extends JsonHandler<PublishInput, TeamOutputs> {

    private final OutputParameters parameters;

    public PublishOutputsHandler() {
        this(AwsClients.build(SsmClient.builder(), ClientSettings.fromLambdaEnvironment()),
                PublishSettings.fromEnvironment());
        primeBeforeSnapshot(OutputParameters.PRIMING_INPUT);
    }

    public PublishOutputsHandler(SsmClient ssm, PublishSettings settings) {
        this(ssm, settings.parameterPrefix());
    }

    public PublishOutputsHandler(SsmClient ssm, String parameterPrefix) {
        super(PublishInput.class);
        this.parameters = new OutputParameters(ssm, parameterPrefix);
    }

    @Override
    protected TeamOutputs handle(PublishInput input, StepLog log) {
        return parameters.publish(input, log);
    }

    @Override
    protected TeamOutputs prime(PublishInput sample, StepLog log) {
        return parameters.prime(sample, log);
    }
}
