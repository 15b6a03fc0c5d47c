package mlteams.domain;

import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Offboarding step: delete the domain itself, last, with the home EFS retention stated explicitly. */
public class DeleteDomainHandler extends DomainSweepHandler {

    public DeleteDomainHandler() {
        this(lambdaClient(), TeardownSettings.fromEnvironment());
        primeBeforeSnapshot();
    }

    public DeleteDomainHandler(SageMakerClient sageMaker, TeardownSettings settings) {
        super(sageMaker, settings, DomainTeardown::deleteDomain, DomainTeardown::primeDomain);
    }
}
