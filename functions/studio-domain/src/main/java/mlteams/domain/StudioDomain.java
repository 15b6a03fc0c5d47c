package mlteams.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import mlteams.common.PlannedChange;
import mlteams.common.ResourceConflictException;
import mlteams.common.SettingChange;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AppLifecycleManagement;
import software.amazon.awssdk.services.sagemaker.model.AppNetworkAccessType;
import software.amazon.awssdk.services.sagemaker.model.CodeEditorAppSettings;
import software.amazon.awssdk.services.sagemaker.model.JupyterLabAppSettings;
import software.amazon.awssdk.services.sagemaker.model.LifecycleManagement;
import software.amazon.awssdk.services.sagemaker.model.UserSettings;
import software.amazon.awssdk.services.sagemaker.model.AuthMode;
import software.amazon.awssdk.services.sagemaker.model.CreateDomainResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainResponse;
import software.amazon.awssdk.services.sagemaker.model.DomainDetails;
import software.amazon.awssdk.services.sagemaker.model.ExecutionRoleIdentityConfig;
import software.amazon.awssdk.services.sagemaker.model.NotebookOutputOption;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * The team's SageMaker Studio domain. CreateDomain is asynchronous and takes minutes, so this class only
 * starts it (or adopts an existing one) and reads its status; the state machine does the waiting.
 * A create is never retried blindly: the domain is looked up by its deterministic name first.
 */
public final class StudioDomain {

    /** CheckDomain's priming input: the state the workflow passes to a poll, for a domain that cannot exist. */
    public static final String PRIMING_STATE = """
            {"domainId": "%1$s",
             "domainArn": "arn:aws:sagemaker:us-east-1:123456789012:domain/%1$s",
             "domainName": "ml-team-%2$s",
             "url": "https://%1$s.studio.us-east-1.sagemaker.aws", "status": "Pending",
             "ready": false, "created": true, "drifted": [], "poll": {"attempt": 0, "waitSeconds": 60, "elapsedSeconds": 0}}"""
            .formatted(SnapStartPriming.PROBE_DOMAIN_ID, SnapStartPriming.PROBE_TEAM);

    private final SageMakerClient sageMaker;
    private final DomainSettings settings;

    public StudioDomain(SageMakerClient sageMaker, DomainSettings settings) {
        this.sageMaker = sageMaker;
        this.settings = settings;
    }

    public DomainState ensure(TeamRequest request, StepLog log) {
        String name = settings.domainName(request.teamName());
        DomainAssessment found = assess(request);
        if (found.domainsNamed() > 1) {
            throw new ResourceConflictException(found.domainsNamed() + " domains are named " + name
                    + "; delete the extra ones, then re-run");
        }
        DomainState.Poll firstPoll = new DomainState.Poll(0, settings.pollInitialSeconds(), 0);
        DescribeDomainResponse domain = found.domain();
        if (domain == null) {
            CreateDomainResponse created = create(name, request, log);
            String domainId = idFromArn(created.domainArn());
            return new DomainState(domainId, created.domainArn(), name, absoluteUrl(created.url()), "Pending",
                    false, true, List.of(), firstPoll);
        }
        log.info("Adopting existing domain %s (%s), status %s", name, domain.domainId(), domain.statusAsString());
        if (!found.conflicts().isEmpty()) {
            throw new ResourceConflictException("Domain " + domain.domainName() + " (" + domain.domainId()
                    + ") exists with settings that cannot change in place: " + String.join("; ", found.conflicts())
                    + ". It is not replaced automatically: offboard the team first, or fix the request.");
        }
        List<String> drifted = found.drifted().stream().map(SettingChange::setting).toList();
        if (!drifted.isEmpty()) {
            log.warn("Domain %s differs from the request in %s; those settings are left as they are", name, drifted);
        }
        String status = domain.statusAsString();
        failIfBroken(domain.domainId(), status, domain.failureReason());
        if (found.idleShutdown() != null) {
            status = updateIdleShutdown(domain, request.idleTimeoutMinutes(), log);
        }
        return new DomainState(domain.domainId(), domain.domainArn(), name, absoluteUrl(domain.url()), status,
                "InService".equals(status), false, drifted, firstPoll);
    }

    /**
     * What {@link #ensure} finds, read only: how many domains carry the team's name, the one domain (null if none),
     * the settings that cannot change in place, the mutable settings left as they are,
     * and the idle shutdown change it would make (null if none).
     */
    record DomainAssessment(int domainsNamed, DescribeDomainResponse domain, List<String> conflicts,
            List<SettingChange> drifted, String idleShutdown) {
    }

    DomainAssessment assess(TeamRequest request) {
        String name = settings.domainName(request.teamName());
        List<DomainDetails> existing = sageMaker.listDomainsPaginator(r -> r.maxResults(100)).domains().stream()
                .filter(d -> name.equals(d.domainName()))
                .toList();
        if (existing.size() != 1) {
            return new DomainAssessment(existing.size(), null, List.of(), List.of(), null);
        }
        DescribeDomainResponse domain = sageMaker.describeDomain(r -> r.domainId(existing.get(0).domainId()));
        String idleShutdown = idleShutdownMatches(domain.defaultUserSettings(), request.idleTimeoutMinutes()) ? null
                : PlannedChange.change("idleTimeoutInMinutes (JupyterLab, Code Editor)",
                        currentIdleTimeout(domain.defaultUserSettings()), request.idleTimeoutMinutes());
        return new DomainAssessment(1, domain, immutableConflicts(domain, request), mutableDrift(domain, request),
                idleShutdown);
    }

    /** The plan of {@link #ensure}: the same assessment, reported. Read-only. */
    PlannedChange plan(TeamRequest request, DomainAssessment found) {
        String name = settings.domainName(request.teamName());
        if (found.domainsNamed() > 1) {
            return new PlannedChange("domain", name, PlannedChange.CONFLICT,
                    List.of(found.domainsNamed() + " domains are named " + name + "; delete the extra ones"));
        }
        DescribeDomainResponse domain = found.domain();
        if (domain == null) {
            return new PlannedChange("domain", name, PlannedChange.CREATE, List.of(
                    "authMode: IAM, vpcId: " + request.vpcId() + ", subnetIds: " + request.subnetIds(),
                    "executionRole: " + request.executionRoleArn() + ", securityGroups: " + request.securityGroupIds(),
                    "sharing: " + settings.sharingPath(request.teamName()) + " with KMS " + request.kmsKeyId(),
                    "idleTimeoutInMinutes: " + request.idleTimeoutMinutes(),
                    "executionRoleIdentityConfig: USER_PROFILE_NAME"));
        }
        if (!found.conflicts().isEmpty()) {
            return new PlannedChange("domain", name, PlannedChange.CONFLICT, found.conflicts());
        }
        String status = domain.statusAsString();
        String broken = brokenReason(domain.domainId(), status, domain.failureReason());
        if (broken != null) {
            return new PlannedChange("domain", name, PlannedChange.CONFLICT, List.of(broken));
        }
        List<String> notes = new ArrayList<>(found.drifted().stream().map(d -> "left as it is: " + d).toList());
        List<String> changes = new ArrayList<>();
        if (found.idleShutdown() != null && "InService".equals(status)) {
            changes.add(found.idleShutdown());
        } else if (found.idleShutdown() != null) {
            notes.add("left for a later onboarding (the domain is " + status + "): " + found.idleShutdown());
        }
        return PlannedChange.existing("domain", name, changes, notes);
    }

    /** One poll: reads the status, and fails on a broken domain or when the total wait is used up. */
    public DomainState check(DomainState state, StepLog log) {
        String status;
        String url = state.url();
        String reason = null;
        try {
            DescribeDomainResponse domain = sageMaker.describeDomain(r -> r.domainId(state.domainId()));
            status = domain.statusAsString();
            reason = domain.failureReason();
            if (domain.url() != null) {
                url = absoluteUrl(domain.url());
            }
        } catch (ResourceNotFoundException e) {
            // Right after CreateDomain the domain may not be visible for a few seconds.
            status = "Pending";
        }
        failIfBroken(state.domainId(), status, reason);
        DomainState.Poll poll = state.poll();
        int elapsed = poll.elapsedSeconds() + poll.waitSeconds();
        DomainState.Poll next = new DomainState.Poll(poll.attempt() + 1,
                Math.min(settings.pollMaxIntervalSeconds(), poll.waitSeconds() * 2), elapsed);
        if ("InService".equals(status)) {
            log.info("Domain %s is InService after %d check(s)", state.domainId(), poll.attempt() + 1);
        } else if (elapsed + next.waitSeconds() > settings.pollTimeoutSeconds()) {
            throw new DomainWaitTimeoutException("Domain " + state.domainId() + " is still " + status + " after "
                    + elapsed + " s (limit " + settings.pollTimeoutSeconds() + " s)");
        } else {
            log.info("Domain %s is %s; checking again in %d s", state.domainId(), status, next.waitSeconds());
        }
        return state.withStatus(status, url, next);
    }

    /**
     * SnapStart priming for the ensure step: ListDomains (one page of one domain) and DescribeDomain of an id
     * that cannot exist. Read-only; nothing is created.
     */
    public DomainState primeEnsure(StepLog log) {
        SnapStartPriming.attempt(log, "ListDomains", () -> sageMaker.listDomains(r -> r.maxResults(1)
                .overrideConfiguration(SnapStartPriming.REQUEST)));
        return primeCheck(log);
    }

    /** SnapStart priming for the poll step: DescribeDomain of an id that cannot exist, which answers not found. */
    public DomainState primeCheck(StepLog log) {
        SnapStartPriming.attempt(log, "DescribeDomain", () -> sageMaker.describeDomain(r -> r.domainId(SnapStartPriming.PROBE_DOMAIN_ID)
                .overrideConfiguration(SnapStartPriming.REQUEST)));
        return new DomainState(SnapStartPriming.PROBE_DOMAIN_ID, null, settings.domainName(SnapStartPriming.PROBE_TEAM), null, "Pending",
                false, false, List.of(), new DomainState.Poll(1, settings.pollInitialSeconds(), 0));
    }

    private CreateDomainResponse create(String name, TeamRequest request, StepLog log) {
        log.info("Creating domain %s in %s", name, request.vpcId());
        return sageMaker.createDomain(r -> r.domainName(name)
                .authMode(AuthMode.IAM)
                .vpcId(request.vpcId())
                .subnetIds(request.subnetIds())
                .kmsKeyId(request.kmsKeyId())
                .appNetworkAccessType(settings.appNetworkAccessType())
                .defaultUserSettings(u -> u
                        .executionRole(request.executionRoleArn())
                        .securityGroups(request.securityGroupIds())
                        .jupyterLabAppSettings(j -> j.appLifecycleManagement(idleShutdown(request.idleTimeoutMinutes())))
                        .codeEditorAppSettings(c -> c.appLifecycleManagement(idleShutdown(request.idleTimeoutMinutes())))
                        .sharingSettings(s -> s
                                .notebookOutputOption(NotebookOutputOption.ALLOWED)
                                .s3OutputPath(settings.sharingPath(request.teamName()))
                                .s3KmsKeyId(request.kmsKeyId())))
                // Puts the Studio user profile name into sts:SourceIdentity, so CloudTrail names the person
                // and not only the shared execution role.
                .domainSettings(d -> d.executionRoleIdentityConfig(ExecutionRoleIdentityConfig.USER_PROFILE_NAME))
                .tags(request.resourceTags().entrySet().stream()
                        .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                        .toList()));
    }

    /** Idle JupyterLab and Code Editor apps shut down after this many minutes (needs SageMaker Distribution 2.0+). */
    static AppLifecycleManagement idleShutdown(int minutes) {
        return AppLifecycleManagement.builder().idleSettings(i -> i.lifecycleManagement(LifecycleManagement.ENABLED)
                .idleTimeoutInMinutes(minutes)).build();
    }

    static boolean idleShutdownMatches(UserSettings settings, int minutes) {
        return settings != null
                && settings.jupyterLabAppSettings() != null
                && idleShutdownIs(settings.jupyterLabAppSettings().appLifecycleManagement(), minutes)
                && settings.codeEditorAppSettings() != null
                && idleShutdownIs(settings.codeEditorAppSettings().appLifecycleManagement(), minutes);
    }

    /** Only what we set is compared, so bounds an administrator added for users do not count as drift. */
    private static boolean idleShutdownIs(AppLifecycleManagement lifecycle, int minutes) {
        return lifecycle != null && lifecycle.idleSettings() != null
                && lifecycle.idleSettings().lifecycleManagement() == LifecycleManagement.ENABLED
                && Integer.valueOf(minutes).equals(lifecycle.idleSettings().idleTimeoutInMinutes());
    }

    /**
     * Sets the idle shutdown of an adopted domain, keeping the apps' other settings. UpdateDomain works only on
     * a domain in service; the domain is then Updating, which the state machine waits out like a creation.
     */
    private String updateIdleShutdown(DescribeDomainResponse domain, int minutes, StepLog log) {
        if (!"InService".equals(domain.statusAsString())) {
            log.warn("Domain %s is %s; its idle shutdown is set on the next onboarding", domain.domainId(),
                    domain.statusAsString());
            return domain.statusAsString();
        }
        UserSettings current = domain.defaultUserSettings() == null ? UserSettings.builder().build()
                : domain.defaultUserSettings();
        JupyterLabAppSettings jupyterLab = (current.jupyterLabAppSettings() == null
                ? JupyterLabAppSettings.builder() : current.jupyterLabAppSettings().toBuilder())
                .appLifecycleManagement(idleShutdown(minutes)).build();
        CodeEditorAppSettings codeEditor = (current.codeEditorAppSettings() == null
                ? CodeEditorAppSettings.builder() : current.codeEditorAppSettings().toBuilder())
                .appLifecycleManagement(idleShutdown(minutes)).build();
        log.info("Setting idle shutdown of domain %s to %d minutes", domain.domainId(), minutes);
        sageMaker.updateDomain(r -> r.domainId(domain.domainId())
                .defaultUserSettings(u -> u.jupyterLabAppSettings(jupyterLab).codeEditorAppSettings(codeEditor)));
        return "Updating";
    }

    /** These cannot change once a domain exists; a different request would mean replacing it. */
    private List<String> immutableConflicts(DescribeDomainResponse domain, TeamRequest request) {
        List<String> conflicts = new ArrayList<>();
        if (domain.authMode() != AuthMode.IAM) {
            conflicts.add(PlannedChange.change("authMode", domain.authModeAsString(), "IAM"));
        }
        if (!Objects.equals(domain.vpcId(), request.vpcId())) {
            conflicts.add(PlannedChange.change("vpcId", domain.vpcId(), request.vpcId()));
        }
        if (!new HashSet<>(domain.subnetIds()).equals(new HashSet<>(request.subnetIds()))) {
            conflicts.add(PlannedChange.change("subnetIds", domain.subnetIds(), request.subnetIds()));
        }
        if (domain.kmsKeyId() != null && request.kmsKeyId() != null && !domain.kmsKeyId().equals(request.kmsKeyId())) {
            conflicts.add(PlannedChange.change("kmsKeyId", domain.kmsKeyId(), request.kmsKeyId()));
        }
        if (domain.appNetworkAccessType() != null
                && !domain.appNetworkAccessTypeAsString().equals(settings.appNetworkAccessType())) {
            conflicts.add(PlannedChange.change("appNetworkAccessType", domain.appNetworkAccessTypeAsString(),
                    settings.appNetworkAccessType()));
        }
        return conflicts;
    }

    /** Mutable settings that differ from the request; onboarding reports and leaves them. */
    private static List<SettingChange> mutableDrift(DescribeDomainResponse domain, TeamRequest request) {
        List<SettingChange> drifted = new ArrayList<>();
        var user = domain.defaultUserSettings();
        if (user == null || !Objects.equals(user.executionRole(), request.executionRoleArn())) {
            drifted.add(new SettingChange("executionRole", user == null ? null : user.executionRole(),
                    request.executionRoleArn()));
        }
        if (user == null || !new HashSet<>(user.securityGroups()).equals(new HashSet<>(request.securityGroupIds()))) {
            drifted.add(new SettingChange("securityGroups", user == null ? null : user.securityGroups(),
                    request.securityGroupIds()));
        }
        if (domain.domainSettings() == null || domain.domainSettings().executionRoleIdentityConfig()
                != ExecutionRoleIdentityConfig.USER_PROFILE_NAME) {
            drifted.add(new SettingChange("executionRoleIdentityConfig", domain.domainSettings() == null ? null
                    : domain.domainSettings().executionRoleIdentityConfigAsString(), "USER_PROFILE_NAME"));
        }
        return drifted;
    }

    private static Integer currentIdleTimeout(UserSettings user) {
        return user == null || user.jupyterLabAppSettings() == null
                || user.jupyterLabAppSettings().appLifecycleManagement() == null
                || user.jupyterLabAppSettings().appLifecycleManagement().idleSettings() == null ? null
                : user.jupyterLabAppSettings().appLifecycleManagement().idleSettings().idleTimeoutInMinutes();
    }


    private static void failIfBroken(String domainId, String status, String reason) {
        String broken = brokenReason(domainId, status, reason);
        if (broken != null) {
            throw new DomainFailedException(broken);
        }
    }

    /** Why onboarding cannot go on with a domain in this status, or null if it can. */
    private static String brokenReason(String domainId, String status, String reason) {
        return switch (status) {
            case "Failed", "Update_Failed", "Delete_Failed" -> "Domain " + domainId + " is " + status + ": "
                    + (reason == null || reason.isBlank() ? "no reason given" : reason);
            case "Deleting" -> "Domain " + domainId + " is being deleted; wait for the deletion to finish, then onboard"
                    + " again";
            default -> null;
        };
    }

    /** The domain id is the last part of its ARN (arn:…:domain/d-xxxx). */
    static String idFromArn(String domainArn) {
        return domainArn.substring(domainArn.lastIndexOf('/') + 1);
    }

    /** Studio URLs are https; make sure the published URL is absolute. */
    static String absoluteUrl(String url) {
        if (url == null || url.isBlank() || url.startsWith("https://")) {
            return url;
        }
        return "https://" + url.replaceFirst("^[a-zA-Z]+://", "");
    }
}
