package mlteams.trail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import mlteams.common.DependencyNotReadyException;
import mlteams.common.PlannedChange;
import mlteams.common.ResourceConflictException;
import mlteams.common.SettingChange;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.StepPlan;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.CreateTrailResponse;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;
import software.amazon.awssdk.services.cloudtrail.model.InvalidCloudWatchLogsLogGroupArnException;
import software.amazon.awssdk.services.cloudtrail.model.InvalidCloudWatchLogsRoleArnException;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;
import software.amazon.awssdk.services.cloudtrail.model.Tag;
import software.amazon.awssdk.services.cloudtrail.model.Trail;
import software.amazon.awssdk.services.cloudtrail.model.TrailAlreadyExistsException;
import software.amazon.awssdk.services.cloudtrail.model.TrailNotFoundException;

/**
 * The account's one activity trail. A Region allows only 5 trails and a multi-Region trail counts in
 * every Region, so teams share this trail and per-team scoping lives in the log, metric and alarm layer.
 * Each onboarding creates it if missing, adopts it if present, repairs drifted settings, makes sure it
 * captures all management events, and makes sure it is logging.
 */
public final class SharedTrail {

    /** Security Hub's CloudTrail.9 fails an untagged trail. Set on create; an adopted trail keeps its own tags. */
    static final Tag PURPOSE_TAG = Tag.builder().key("ml-platform:purpose").value("audit-trail").build();

    private final CloudTrailClient cloudTrail;
    private final TrailSettings settings;
    private final Region region;

    public SharedTrail(CloudTrailClient cloudTrail, TrailSettings settings) {
        this.cloudTrail = cloudTrail;
        this.settings = settings;
        this.region = cloudTrail.serviceClientConfiguration().region();
    }

    public TrailResult ensure(StepLog log) {
        TrailAssessment found = assess(log);
        if (found.trail() == null) {
            CreateTrailResponse created = create(log);
            if (created != null) {
                // A new trail has no event selectors, which means every management event, read-only ones too,
                // and records nothing until StartLogging: neither needs reading back (3 calls in all).
                startLogging(log);
                return new TrailResult(settings.trailName(), created.trailARN(), true, List.of(), true, true);
            }
            found = assess(log); // created concurrently by another onboarding: adopt it as it is
            if (found.trail() == null) {
                throw new IllegalStateException("Trail " + settings.trailName() + " was created but cannot be read");
            }
        }
        Trail trail = found.trail();
        log.info("Adopting existing trail %s", trail.trailARN());
        if (!found.conflicts().isEmpty()) {
            throw new ResourceConflictException("Trail " + trail.name() + ": " + String.join("; ", found.conflicts()));
        }
        List<String> repaired = new ArrayList<>(found.drifted().stream().map(SettingChange::setting).toList());
        if (!repaired.isEmpty()) {
            repairSettings(trail, repaired, log);
        }
        List<EventSelector> selectors = found.selectorsToPut();
        if (selectors != null) {
            cloudTrail.putEventSelectors(r -> r.trailName(settings.trailName()).eventSelectors(selectors));
            log.warn("Trail %s did not capture all management events; added a selector", settings.trailName());
            repaired.add("managementEvents");
        }
        boolean started = false;
        if (!found.logging()) {
            startLogging(log); // a stopped trail records nothing
            started = true;
        }
        return new TrailResult(trail.name(), trail.trailARN(), false, List.copyOf(repaired), started, true);
    }

    /** The plan of {@link #ensure}: the same assessment, reported instead of acted on. Read-only. */
    public StepPlan plan(StepLog log) {
        TrailAssessment found = assess(log);
        String name = settings.trailName();
        if (found.trail() == null) {
            return new StepPlan(List.of(new PlannedChange("trail", name, PlannedChange.CREATE, List.of(
                    "multi-Region, log file validation, global service events"
                            + (settings.kmsKeyId() == null ? "" : ", KMS " + settings.kmsKeyId()),
                    "delivery to " + settings.bucketName() + " and " + settings.logGroupArn(),
                    "logging: started"))), Map.of());
        }
        PlannedChange change;
        if (!found.conflicts().isEmpty()) {
            change = new PlannedChange("trail", name, PlannedChange.CONFLICT, found.conflicts());
        } else {
            List<String> details = new ArrayList<>(found.drifted().stream().map(SettingChange::toString).toList());
            if (found.selectorsToPut() != null) {
                details.add(PlannedChange.change("event selectors", "no selector for all management events",
                        "one more selector for them"));
            }
            if (!found.logging()) {
                details.add(PlannedChange.change("logging", "stopped", "started"));
            }
            change = PlannedChange.existing("trail", name, details);
        }
        return new StepPlan(List.of(change), Map.of("trailArn", found.trail().trailARN()));
    }

    /**
     * What {@link #ensure} finds, read only: the trail (null if missing), what cannot be repaired, the drifted
     * settings, the selectors to put (null if they already capture all management events) and whether it logs.
     */
    record TrailAssessment(Trail trail, List<String> conflicts, List<SettingChange> drifted, List<EventSelector> selectorsToPut,
            boolean logging) {
    }

    private TrailAssessment assess(StepLog log) {
        Trail trail = find();
        if (trail == null) {
            return new TrailAssessment(null, List.of(), List.of(), null, false);
        }
        if (trail.homeRegion() != null && !trail.homeRegion().equals(region.id())) {
            return new TrailAssessment(trail, List.of(PlannedChange.change("homeRegion", trail.homeRegion(), region.id())
                    + " (cannot change in place): deploy the stack in the trail's home Region or rename the trail"),
                    List.of(), null, true);
        }
        List<String> conflicts = new ArrayList<>();
        List<EventSelector> selectors = selectorsToCaptureManagementEvents(conflicts, log);
        boolean logging = Boolean.TRUE.equals(cloudTrail.getTrailStatus(r -> r.name(settings.trailName())).isLogging());
        return new TrailAssessment(trail, conflicts, drift(trail), selectors, logging);
    }

    /** StartLogging is synchronous: it fails, or the trail is logging when it returns. */
    private void startLogging(StepLog log) {
        cloudTrail.startLogging(r -> r.name(settings.trailName()));
        log.info("Started logging on trail %s", settings.trailName());
    }

    /**
     * SnapStart priming: the read calls of {@link #ensure} (GetTrail, GetEventSelectors, GetTrailStatus) on this
     * function's own trail name, and nothing else. Before the first onboarding the trail does not exist and each
     * answers not found; nothing is ever created, updated or started here.
     */
    public TrailResult prime(StepLog log) {
        String name = settings.trailName();
        Trail found = SnapStartPriming.attempt(log, "GetTrail", () -> cloudTrail.getTrail(r -> r.name(name)
                .overrideConfiguration(SnapStartPriming.REQUEST)).trail());
        SnapStartPriming.attempt(log, "GetEventSelectors", () -> cloudTrail.getEventSelectors(r -> r.trailName(name)
                .overrideConfiguration(SnapStartPriming.REQUEST)));
        Boolean logging = SnapStartPriming.attempt(log, "GetTrailStatus", () -> cloudTrail.getTrailStatus(r -> r.name(name)
                .overrideConfiguration(SnapStartPriming.REQUEST)).isLogging());
        return new TrailResult(name, found == null ? null : found.trailARN(), false, List.of(), false,
                Boolean.TRUE.equals(logging));
    }

    private Trail find() {
        try {
            return cloudTrail.getTrail(r -> r.name(settings.trailName())).trail();
        } catch (TrailNotFoundException e) {
            return null;
        }
    }

    /** @return the new trail, or null if a concurrent onboarding created it first */
    private CreateTrailResponse create(StepLog log) {
        log.info("Creating shared trail %s (multi-Region, log file validation, global service events)",
                settings.trailName());
        try {
            return cloudTrail.createTrail(r -> r.name(settings.trailName())
                    .s3BucketName(settings.bucketName())
                    .isMultiRegionTrail(true)
                    .enableLogFileValidation(true)
                    .includeGlobalServiceEvents(true)
                    .cloudWatchLogsLogGroupArn(settings.logGroupArn())
                    .cloudWatchLogsRoleArn(settings.logsRoleArn())
                    .kmsKeyId(settings.kmsKeyId())
                    .tagsList(PURPOSE_TAG));
        } catch (TrailAlreadyExistsException e) {
            log.info("Trail %s was created concurrently; adopting it", settings.trailName());
            return null;
        } catch (InvalidCloudWatchLogsRoleArnException | InvalidCloudWatchLogsLogGroupArnException e) {
            throw iamNotPropagated(e);
        }
    }

    private List<SettingChange> drift(Trail trail) {
        List<SettingChange> drifted = new ArrayList<>();
        if (!Boolean.TRUE.equals(trail.isMultiRegionTrail())) {
            drifted.add(new SettingChange("isMultiRegionTrail", trail.isMultiRegionTrail(), true));
        }
        if (!Boolean.TRUE.equals(trail.logFileValidationEnabled())) {
            drifted.add(new SettingChange("logFileValidationEnabled", trail.logFileValidationEnabled(), true));
        }
        if (!Boolean.TRUE.equals(trail.includeGlobalServiceEvents())) {
            drifted.add(new SettingChange("includeGlobalServiceEvents", trail.includeGlobalServiceEvents(), true));
        }
        if (!Objects.equals(trail.s3BucketName(), settings.bucketName())) {
            drifted.add(new SettingChange("s3BucketName", trail.s3BucketName(), settings.bucketName()));
        }
        if (!Objects.equals(trail.cloudWatchLogsLogGroupArn(), settings.logGroupArn())
                || !Objects.equals(trail.cloudWatchLogsRoleArn(), settings.logsRoleArn())) {
            drifted.add(new SettingChange("cloudWatchLogsDelivery", trail.cloudWatchLogsLogGroupArn(), settings.logGroupArn()));
        }
        if (settings.kmsKeyId() != null && !settings.kmsKeyId().equals(trail.kmsKeyId())) {
            drifted.add(new SettingChange("kmsKeyId", trail.kmsKeyId(), settings.kmsKeyId()));
        }
        return drifted;
    }

    private void repairSettings(Trail trail, List<String> drifted, StepLog log) {
        log.warn("Trail %s has drifted (%s); repairing", trail.name(), String.join(", ", drifted));
        try {
            // Log group and role are sent together, as UpdateTrail requires.
            cloudTrail.updateTrail(r -> r.name(settings.trailName())
                    .s3BucketName(settings.bucketName())
                    .isMultiRegionTrail(true)
                    .enableLogFileValidation(true)
                    .includeGlobalServiceEvents(true)
                    .cloudWatchLogsLogGroupArn(settings.logGroupArn())
                    .cloudWatchLogsRoleArn(settings.logsRoleArn())
                    .kmsKeyId(settings.kmsKeyId()));
        } catch (InvalidCloudWatchLogsRoleArnException | InvalidCloudWatchLogsLogGroupArnException e) {
            throw iamNotPropagated(e);
        }
    }

    /**
     * Who-did-what needs every management event, read-only ones included. A selector for them is added when the
     * trail's basic selectors leave them out; custom data-event selectors are kept as they are.
     *
     * @return the selectors to put, or null if none need changing; a conflict is added when they cannot be fixed
     */
    private List<EventSelector> selectorsToCaptureManagementEvents(List<String> conflicts, StepLog log) {
        GetEventSelectorsResponse current = cloudTrail.getEventSelectors(r -> r.trailName(settings.trailName()));
        if (current.hasAdvancedEventSelectors() && !current.advancedEventSelectors().isEmpty()) {
            log.warn("Trail %s uses advanced event selectors; leaving them as they are", settings.trailName());
            return null;
        }
        List<EventSelector> selectors = current.hasEventSelectors() ? current.eventSelectors() : List.of();
        boolean covered = selectors.isEmpty() // a trail without selectors logs all management events
                || selectors.stream().anyMatch(s -> Boolean.TRUE.equals(s.includeManagementEvents())
                        && s.readWriteType() == ReadWriteType.ALL);
        if (covered) {
            return null;
        }
        if (selectors.size() >= 5) {
            conflicts.add("event selectors: 5, none captures all management events (cannot add a sixth);"
                    + " fix its selectors by hand");
            return null;
        }
        List<EventSelector> repaired = new ArrayList<>(selectors);
        repaired.add(EventSelector.builder().readWriteType(ReadWriteType.ALL).includeManagementEvents(true).build());
        return repaired;
    }

    private DependencyNotReadyException iamNotPropagated(CloudTrailException e) {
        // Just after the stack creates the delivery role, IAM may not have propagated it yet.
        return new DependencyNotReadyException("CloudTrail cannot use the log delivery role yet (IAM propagation): "
                + e.getMessage(), e);
    }
}
