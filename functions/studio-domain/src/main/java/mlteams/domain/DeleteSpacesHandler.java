package mlteams.domain;

import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Offboarding step: delete the domain's spaces, once its apps are gone. */
public class DeleteSpacesHandler extends DomainSweepHandler {

    public DeleteSpacesHandler() {
        this(lambdaClient(), TeardownSettings.fromEnvironment());
        primeBeforeSnapshot();
    }

    public DeleteSpacesHandler(SageMakerClient sageMaker, TeardownSettings settings) {
        super(sageMaker, settings, DomainTeardown::deleteSpaces, DomainTeardown::primeSpaces);
    }
}
