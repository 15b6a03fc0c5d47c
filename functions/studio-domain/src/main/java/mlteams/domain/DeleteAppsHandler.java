package mlteams.domain;

import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Offboarding step: delete the domain's apps; only InService ones can be deleted. */
public class DeleteAppsHandler extends DomainSweepHandler {

    public DeleteAppsHandler() {
        this(lambdaClient(), TeardownSettings.fromEnvironment());
        primeBeforeSnapshot();
    }

    public DeleteAppsHandler(SageMakerClient sageMaker, TeardownSettings settings) {
        super(sageMaker, settings, DomainTeardown::deleteApps, DomainTeardown::primeApps);
    }
}
