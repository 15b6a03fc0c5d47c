package mlteams.domain;

import java.util.List;
import java.util.function.Predicate;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AppDetails;
import software.amazon.awssdk.services.sagemaker.model.AppStatus;
import software.amazon.awssdk.services.sagemaker.model.DomainDetails;
import software.amazon.awssdk.services.sagemaker.model.DomainStatus;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.RetentionType;
import software.amazon.awssdk.services.sagemaker.model.SpaceDetails;
import software.amazon.awssdk.services.sagemaker.model.SpaceStatus;
import software.amazon.awssdk.services.sagemaker.model.UserProfileDetails;
import software.amazon.awssdk.services.sagemaker.model.UserProfileStatus;

/**
 * Removes a team's domain in the order SageMaker requires: apps, then spaces, then user profiles, then the
 * domain. Each phase is one sweep: delete what can be deleted now, count what is still there. Deletions are
 * asynchronous, so the state machine waits between sweeps; nothing here sleeps. Not-found is success, so
 * offboarding can run again at any point.
 */
public final class DomainTeardown {

    /** The offboarding steps' priming input: the sweep state FindDomain passes on, for a domain that cannot exist. */
    public static final String PRIMING_SWEEP = """
            {"found": true, "domainId": "%s", "domainName": "ml-team-%s",
             "phase": "find", "attempt": 0, "remaining": 1}""".formatted(SnapStartPriming.PROBE_DOMAIN_ID,
            SnapStartPriming.PROBE_TEAM);

    private final SageMakerClient sageMaker;
    private final TeardownSettings settings;

    public DomainTeardown(SageMakerClient sageMaker, TeardownSettings settings) {
        this.sageMaker = sageMaker;
        this.settings = settings;
    }

    public DomainSweep find(String teamName, StepLog log) {
        String name = settings.domainPrefix() + teamName;
        DomainDetails domain = listDomains().stream().filter(d -> name.equals(d.domainName())).findFirst().orElse(null);
        if (domain == null) {
            log.info("Team %s has no domain named %s; nothing to delete in SageMaker", teamName, name);
            return new DomainSweep(false, null, name, "find", 0, 0);
        }
        log.info("Offboarding domain %s (%s), status %s", name, domain.domainId(), domain.statusAsString());
        return new DomainSweep(true, domain.domainId(), name, "find", 0, 1);
    }

    /** Apps first: only InService apps can be deleted; Failed and Deleted ones are done. */
    public DomainSweep deleteApps(DomainSweep state, StepLog log) {
        return next(state, "apps", sweepApps(state.domainId(), app -> true, log), log);
    }

    public DomainSweep deleteSpaces(DomainSweep state, StepLog log) {
        return next(state, "spaces", sweepSpaces(state.domainId(), space -> true, log), log);
    }

    public DomainSweep deleteUserProfiles(DomainSweep state, StepLog log) {
        return next(state, "userProfiles", sweepUserProfiles(state.domainId(), profile -> true, log), log);
    }

    /**
     * One sweep of the domain's apps that {@code which} selects: deletes those in service, and counts those not
     * yet Deleted or Failed. Offboarding sweeps them all; a membership change only a removed member's.
     */
    int sweepApps(String domainId, Predicate<AppDetails> which, StepLog log) {
        List<AppDetails> apps = sageMaker.listAppsPaginator(r -> r.domainIdEquals(domainId)).apps().stream()
                .filter(a -> a.status() != AppStatus.DELETED && a.status() != AppStatus.FAILED)
                .filter(which)
                .toList();
        for (AppDetails app : apps) {
            if (app.status() == AppStatus.IN_SERVICE) {
                log.info("Deleting app %s (%s) of %s", app.appName(), app.appTypeAsString(),
                        app.userProfileName() != null ? app.userProfileName() : app.spaceName());
                ignoreNotFound(() -> sageMaker.deleteApp(r -> r.domainId(domainId).appType(app.appType())
                        .appName(app.appName()).userProfileName(app.userProfileName()).spaceName(app.spaceName())));
            }
        }
        return apps.size();
    }

    /** One sweep of the selected spaces: deletes those not already deleting, and counts those still listed. */
    int sweepSpaces(String domainId, Predicate<SpaceDetails> which, StepLog log) {
        List<SpaceDetails> spaces = listSpaces(domainId).stream().filter(which).toList();
        for (SpaceDetails space : spaces) {
            if (space.status() == SpaceStatus.DELETE_FAILED) {
                throw new DomainFailedException("Space " + space.spaceName() + " failed to delete");
            }
            if (space.status() != SpaceStatus.DELETING) {
                log.info("Deleting space %s", space.spaceName());
                ignoreNotFound(() -> sageMaker.deleteSpace(r -> r.domainId(domainId).spaceName(space.spaceName())));
            }
        }
        return spaces.size();
    }

    /** One sweep of the selected user profiles, as {@link #sweepSpaces} does for spaces. */
    int sweepUserProfiles(String domainId, Predicate<UserProfileDetails> which, StepLog log) {
        List<UserProfileDetails> profiles = listUserProfiles(domainId).stream().filter(which).toList();
        for (UserProfileDetails profile : profiles) {
            if (profile.status() == UserProfileStatus.DELETE_FAILED) {
                throw new DomainFailedException("User profile " + profile.userProfileName() + " failed to delete");
            }
            if (profile.status() != UserProfileStatus.DELETING) {
                log.info("Deleting user profile %s", profile.userProfileName());
                ignoreNotFound(() -> sageMaker.deleteUserProfile(r -> r.domainId(domainId)
                        .userProfileName(profile.userProfileName())));
            }
        }
        return profiles.size();
    }

    List<SpaceDetails> listSpaces(String domainId) {
        return sageMaker.listSpacesPaginator(r -> r.domainIdEquals(domainId)).spaces().stream().toList();
    }

    List<UserProfileDetails> listUserProfiles(String domainId) {
        return sageMaker.listUserProfilesPaginator(r -> r.domainIdEquals(domainId)).userProfiles().stream().toList();
    }

    /** Last: the domain itself, with the home EFS retention stated explicitly. */
    public DomainSweep deleteDomain(DomainSweep state, StepLog log) {
        DomainDetails domain = listDomains().stream().filter(d -> state.domainId().equals(d.domainId()))
                .findFirst().orElse(null);
        if (domain == null) {
            log.info("Domain %s is gone", state.domainId());
            return next(state, "domain", 0, log);
        }
        if (domain.status() == DomainStatus.DELETE_FAILED) {
            throw new DomainFailedException("Domain " + state.domainId() + " failed to delete");
        }
        if (domain.status() != DomainStatus.DELETING) {
            log.info("Deleting domain %s, home EFS: %s", state.domainId(), settings.homeEfsRetention());
            try {
                ignoreNotFound(() -> sageMaker.deleteDomain(r -> r.domainId(state.domainId())
                        .retentionPolicy(p -> p.homeEfsFileSystem(RetentionType.fromValue(settings.homeEfsRetention())))));
            } catch (ResourceInUseException e) {
                throw new DomainInUseException("Domain " + state.domainId() + " still has apps, spaces or user profiles"
                        + " (created while offboarding ran?); offboard again", e);
            }
        }
        return next(state, "domain", 1, log);
    }

    /**
     * SnapStart priming for the find and delete-domain steps: ListDomains, one page of one domain, as both list
     * domains to find theirs. Read-only; nothing is deleted.
     */
    public DomainSweep primeFind(StepLog log) {
        SnapStartPriming.attempt(log, "ListDomains", () -> sageMaker.listDomains(r -> r.maxResults(1)
                .overrideConfiguration(SnapStartPriming.REQUEST)));
        return new DomainSweep(false, null, settings.domainPrefix() + SnapStartPriming.PROBE_TEAM, "find", 0, 0);
    }

    /** SnapStart priming for {@link #deleteDomain}: its ListDomains, through {@link #primeFind}. */
    public DomainSweep primeDomain(DomainSweep sample, StepLog log) {
        primeFind(log);
        return next(sample, "domain", 0, log);
    }

    /** SnapStart priming for {@link #deleteApps}: ListApps of a domain that cannot exist, which lists none. */
    public DomainSweep primeApps(DomainSweep sample, StepLog log) {
        SnapStartPriming.attempt(log, "ListApps", () -> sageMaker.listApps(r -> r
                .domainIdEquals(SnapStartPriming.PROBE_DOMAIN_ID).overrideConfiguration(SnapStartPriming.REQUEST)));
        return next(sample, "apps", 0, log);
    }

    /** SnapStart priming for {@link #deleteSpaces}: ListSpaces of a domain that cannot exist, which lists none. */
    public DomainSweep primeSpaces(DomainSweep sample, StepLog log) {
        SnapStartPriming.attempt(log, "ListSpaces", () -> sageMaker.listSpaces(r -> r
                .domainIdEquals(SnapStartPriming.PROBE_DOMAIN_ID).overrideConfiguration(SnapStartPriming.REQUEST)));
        return next(sample, "spaces", 0, log);
    }

    /**
     * SnapStart priming for {@link #deleteUserProfiles}: ListUserProfiles of a domain that cannot exist, which lists
     * none.
     */
    public DomainSweep primeUserProfiles(DomainSweep sample, StepLog log) {
        SnapStartPriming.attempt(log, "ListUserProfiles", () -> sageMaker.listUserProfiles(r -> r
                .domainIdEquals(SnapStartPriming.PROBE_DOMAIN_ID).overrideConfiguration(SnapStartPriming.REQUEST)));
        return next(sample, "userProfiles", 0, log);
    }

    private List<DomainDetails> listDomains() {
        return sageMaker.listDomainsPaginator(r -> r.maxResults(100)).domains().stream().toList();
    }

    private DomainSweep next(DomainSweep state, String phase, int remaining, StepLog log) {
        int attempt = phase.equals(state.phase()) ? state.attempt() + 1 : 1;
        if (remaining > 0 && attempt >= settings.maxSweeps()) {
            throw new TeardownTimeoutException(remaining + " " + phase + " of domain " + state.domainId()
                    + " still exist after " + attempt + " sweeps");
        }
        if (remaining > 0) {
            log.info("%d %s of domain %s still going away (sweep %d)", remaining, phase, state.domainId(), attempt);
        }
        return new DomainSweep(true, state.domainId(), state.domainName(), phase, attempt, remaining);
    }

    private static void ignoreNotFound(Runnable delete) {
        try {
            delete.run();
        } catch (ResourceNotFoundException alreadyGone) {
            // deleted meanwhile: that is what we wanted
        }
    }
}
