package mlteams.domain;

import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Offboarding step: delete the domain's user profiles, once its spaces are gone. */
public class DeleteUserProfilesHandler extends DomainSweepHandler {

    public DeleteUserProfilesHandler() {
        this(lambdaClient(), TeardownSettings.fromEnvironment());
        primeBeforeSnapshot();
    }

    public DeleteUserProfilesHandler(SageMakerClient sageMaker, TeardownSettings settings) {
        super(sageMaker, settings, DomainTeardown::deleteUserProfiles, DomainTeardown::primeUserProfiles);
    }
}
