package mlteams.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import mlteams.common.PlannedChange;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ResourceInUseException;
import software.amazon.awssdk.services.sagemaker.model.SharingType;
import software.amazon.awssdk.services.sagemaker.model.SpaceDetails;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.UserProfileDetails;

/**
 * Makes a team domain's member profiles match the request's member list. A missing member gets a user profile
 * tagged with the team and with {@link TeamRequest#MEMBER_TAG} = the member's name (what the people's access
 * policy compares with their principal tag); its settings are left out, so the domain's defaults apply. A
 * profile carrying that tag whose member is no longer listed is removed as offboarding removes a domain's:
 * its apps, then its private spaces, then the profile, each phase swept until nothing of it is left, the state
 * machine waiting between sweeps. Profiles without the tag were not made by onboarding and are left alone.
 * The home folder on the domain's EFS is kept: DeleteUserProfile does not delete it.
 */
public final class TeamMembers {

    /** The membership step's priming input: a request for the probe team, on a domain that cannot exist. */
    public static final String PRIMING_STEP = """
            {"request": %s, "domainId": "%s"}""".formatted(SnapStartPriming.SAMPLE_TEAM_REQUEST,
            SnapStartPriming.PROBE_DOMAIN_ID);

    private final SageMakerClient sageMaker;
    private final DomainTeardown teardown;
    private final int maxSweeps;

    public TeamMembers(SageMakerClient sageMaker, TeardownSettings settings) {
        this.sageMaker = sageMaker;
        this.teardown = new DomainTeardown(sageMaker, settings);
        this.maxSweeps = settings.maxSweeps();
    }

    /** Adds the missing members' profiles, then starts removing those of members no longer listed. */
    public MemberSync sync(TeamRequest request, String domainId, StepLog log) {
        if (request.members() == null) {
            log.info("The request for team %s has no members field; its membership is left as it is",
                    request.teamName());
            return new MemberSync(domainId, null, null, null, "done", 0, 0);
        }
        MemberChanges changes = assess(request, domainId, log);
        changes.added().forEach(member -> create(request, domainId, member, log));
        log.info("Team %s members: %d added %s, %d kept, %d to remove %s", request.teamName(), changes.added().size(),
                changes.added(), changes.kept().size(), changes.removed().size(), changes.removed());
        return sweep(new MemberSync(domainId, changes.added(), changes.kept(), changes.removed(), "apps", 0, 0), log);
    }

    /** Which listed members lack a profile, which have one, and which member profiles the list drops. */
    record MemberChanges(List<String> added, List<String> kept, List<String> removed) {
    }

    /** What {@link #sync} would do to the profiles of an existing domain, read only. */
    MemberChanges assess(TeamRequest request, String domainId, StepLog log) {
        Map<String, UserProfileDetails> existing = new HashMap<>();
        teardown.listUserProfiles(domainId).forEach(p -> existing.put(p.userProfileName(), p));
        List<String> added = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String member : request.members()) {
            (existing.containsKey(member) ? kept : added).add(member);
        }
        List<String> removed = existing.keySet().stream().sorted()
                .filter(name -> !request.members().contains(name))
                .filter(name -> isMemberProfile(domainId, name, log))
                .toList();
        return new MemberChanges(added, kept, removed);
    }

    /**
     * The plan of {@link #sync}: each listed member's profile and each dropped member's removal, named
     * "domain/member". A domain that does not exist yet (null id) gets every listed member. Read-only.
     */
    List<PlannedChange> plan(TeamRequest request, String domainId, String domainName, StepLog log) {
        if (request.members() == null) {
            return List.of();
        }
        MemberChanges changes = domainId == null ? new MemberChanges(request.members(), List.of(), List.of())
                : assess(request, domainId, log);
        List<PlannedChange> planned = new ArrayList<>();
        changes.added().forEach(m -> planned.add(new PlannedChange("user-profile", domainName + "/" + m,
                PlannedChange.CREATE, List.of("tag " + TeamRequest.MEMBER_TAG + ": " + m))));
        changes.kept().forEach(m -> planned.add(new PlannedChange("user-profile", domainName + "/" + m,
                PlannedChange.NONE, List.of())));
        changes.removed().forEach(m -> planned.add(new PlannedChange("user-profile", domainName + "/" + m,
                PlannedChange.DELETE, List.of("its apps and private spaces first; its EFS home folder is kept"))));
        return planned;
    }

    /**
     * One sweep of the removed members: their apps (in their own name or in their private spaces) until none is
     * left, then those private spaces, then their profiles.
     */
    public MemberSync sweep(MemberSync state, StepLog log) {
        if (state.removed() == null || state.removed().isEmpty()) {
            return new MemberSync(state.domainId(), state.added(), state.kept(), state.removed(), "done", 0, 0);
        }
        String domainId = state.domainId();
        Set<String> removed = new HashSet<>(state.removed()); // a HashSet: apps in spaces have no profile name (null)
        Set<String> privateSpaces = teardown.listSpaces(domainId).stream()
                .filter(space -> isPrivateSpaceOf(space, removed))
                .map(SpaceDetails::spaceName)
                .collect(Collectors.toSet());
        String phase = "apps";
        int remaining = teardown.sweepApps(domainId,
                app -> removed.contains(app.userProfileName()) || privateSpaces.contains(app.spaceName()), log);
        if (remaining == 0) {
            phase = "spaces";
            remaining = teardown.sweepSpaces(domainId, space -> privateSpaces.contains(space.spaceName()), log);
        }
        if (remaining == 0) {
            phase = "userProfiles";
            remaining = teardown.sweepUserProfiles(domainId, p -> removed.contains(p.userProfileName()), log);
        }
        int attempt = phase.equals(state.phase()) ? state.attempt() + 1 : 1;
        if (remaining > 0 && attempt >= maxSweeps) {
            throw new TeardownTimeoutException(remaining + " " + phase + " of removed members " + state.removed()
                    + " in domain " + domainId + " still exist after " + attempt + " sweeps");
        }
        if (remaining > 0) {
            log.info("%d %s of removed members still going away (sweep %d)", remaining, phase, attempt);
        } else {
            log.info("Removed members %s are gone from domain %s", state.removed(), domainId);
        }
        return new MemberSync(domainId, state.added(), state.kept(), state.removed(),
                remaining == 0 ? "done" : phase, attempt, remaining);
    }

    /** SnapStart priming: the lists both paths read, of a domain that cannot exist. Read-only. */
    public MemberSync prime(StepLog log) {
        String probe = SnapStartPriming.PROBE_DOMAIN_ID;
        SnapStartPriming.attempt(log, "ListUserProfiles", () -> sageMaker.listUserProfiles(r -> r.domainIdEquals(probe)
                .overrideConfiguration(SnapStartPriming.REQUEST)));
        SnapStartPriming.attempt(log, "ListSpaces", () -> sageMaker.listSpaces(r -> r.domainIdEquals(probe)
                .overrideConfiguration(SnapStartPriming.REQUEST)));
        SnapStartPriming.attempt(log, "ListApps", () -> sageMaker.listApps(r -> r.domainIdEquals(probe)
                .overrideConfiguration(SnapStartPriming.REQUEST)));
        return new MemberSync(probe, List.of(), List.of(), List.of(), "done", 0, 0);
    }

    private void create(TeamRequest request, String domainId, String member, StepLog log) {
        Map<String, String> tags = request.resourceTags();
        tags.put(TeamRequest.MEMBER_TAG, member);
        log.info("Creating user profile %s in domain %s", member, domainId);
        try {
            sageMaker.createUserProfile(r -> r.domainId(domainId).userProfileName(member)
                    .tags(tags.entrySet().stream()
                            .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                            .toList()));
        } catch (ResourceInUseException createdMeanwhile) {
            // an earlier attempt of this step created it after our list
            log.info("User profile %s already exists", member);
        }
    }

    /** Whether onboarding made this profile for a member: it carries the member tag. */
    private boolean isMemberProfile(String domainId, String name, StepLog log) {
        String arn = sageMaker.describeUserProfile(r -> r.domainId(domainId).userProfileName(name)).userProfileArn();
        boolean member = sageMaker.listTagsPaginator(r -> r.resourceArn(arn)).tags().stream()
                .anyMatch(t -> TeamRequest.MEMBER_TAG.equals(t.key()));
        if (!member) {
            log.info("User profile %s has no %s tag (not made by onboarding); left alone", name, TeamRequest.MEMBER_TAG);
        }
        return member;
    }

    private static boolean isPrivateSpaceOf(SpaceDetails space, Set<String> owners) {
        return space.ownershipSettingsSummary() != null
                && owners.contains(space.ownershipSettingsSummary().ownerUserProfileName())
                && space.spaceSharingSettingsSummary() != null
                && space.spaceSharingSettingsSummary().sharingType() == SharingType.PRIVATE;
    }
}
