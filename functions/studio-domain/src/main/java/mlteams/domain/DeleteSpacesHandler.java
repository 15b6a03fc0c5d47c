package mlteams.domain;

import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Offboarding step: delete the domain's spaces, once its apps are gone. */
public class DeleteSpacesHandler extends DomainSweepHandler {

    public DeleteSpacesHandler() {
        this(lambdaClient(), TeardownSettings.fromEnvironment());
    }

    public DeleteSpacesHandler(SageMakerClient sageMaker, TeardownSettings settings) {
        super(sageMaker, settings, DomainTeardown::deleteSpaces);
    }
}
