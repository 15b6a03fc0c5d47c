package mlteams.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import mlteams.common.PlannedChange;
import mlteams.common.StepPlan;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamNames;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * The team's activity log group and stream: looked up by their deterministic names first, created when
 * missing, adopted when present. A repeat run changes nothing unless a setting drifted.
 */
public final class TeamLogs {

    private final CloudWatchLogsClient logs;
    private final LogsSettings settings;

    public TeamLogs(CloudWatchLogsClient logs, LogsSettings settings) {
        this.logs = logs;
        this.settings = settings;
    }

    public LogGroupResult ensureGroup(TeamRequest request, StepLog log) {
        String name = settings.groupName(request.teamName());
        LogGroup group = findGroup(name);
        boolean created = false;
        if (group == null) {
            log.info("Creating log group %s", name);
            try {
                logs.createLogGroup(r -> r.logGroupName(name)
                        .kmsKeyId(settings.kmsKeyArn())
                        .tags(request.resourceTags()));
                created = true;
            } catch (ResourceAlreadyExistsException e) {
                log.info("Log group %s was created concurrently; adopting it", name);
            }
            group = findGroup(name);
            if (group == null) {
                throw new IllegalStateException("Log group " + name + " was created but cannot be read");
            }
        } else {
            log.info("Adopting existing log group %s", name);
            Map<String, String> missing = missingTags(tagsOf(group), request);
            String arn = arnWithoutWildcard(group);
            if (!missing.isEmpty()) {
                logs.tagResource(r -> r.resourceArn(arn).tags(missing));
                log.info("Tagged %s with %s", name, missing.keySet());
            }
            if (keyDiffers(group)) {
                log.warn("Log group %s is not encrypted with the configured key; leaving its key as it is", name);
            }
        }
        // Groups never expire unless told to.
        if (!Objects.equals(group.retentionInDays(), request.logRetentionDays())) {
            logs.putRetentionPolicy(r -> r.logGroupName(name).retentionInDays(request.logRetentionDays()));
            log.info("Set retention of %s to %d days", name, request.logRetentionDays());
        }
        return new LogGroupResult(name, arnWithoutWildcard(group), request.logRetentionDays(), created);
    }

    public LogStreamResult ensureStream(TeamRequest request, StepLog log) {
        String group = settings.groupName(request.teamName());
        String stream = TeamNames.LOG_STREAM_NAME;
        boolean created = false;
        if (!streamExists(group)) {
            try {
                logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
                created = true;
                log.info("Created log stream %s in %s", stream, group);
            } catch (ResourceAlreadyExistsException e) {
                log.info("Log stream %s was created concurrently; adopting it", stream);
            }
        } else {
            log.info("Adopting existing log stream %s in %s", stream, group);
        }
        return new LogStreamResult(group, stream, created);
    }

    /**
     * The plan of {@link #ensureGroup} and {@link #ensureStream}, from the same reads and the same comparisons.
     * Read-only.
     */
    public StepPlan plan(TeamRequest request) {
        String name = settings.groupName(request.teamName());
        String stream = TeamNames.LOG_STREAM_NAME;
        Map<String, String> outputs = Map.of("logGroupName", name, "logStreamName", stream);
        LogGroup group = findGroup(name);
        if (group == null) {
            return new StepPlan(List.of(
                    new PlannedChange("log-group", name, PlannedChange.CREATE, List.of(
                            "retentionInDays: " + request.logRetentionDays(), "kmsKeyId: " + (settings.kmsKeyArn() == null
                                    ? "none (service-owned encryption)" : settings.kmsKeyArn()),
                            "tags: " + request.resourceTags())),
                    new PlannedChange("log-stream", name + ":" + stream, PlannedChange.CREATE, List.of())), outputs);
        }
        List<String> changes = new ArrayList<>();
        Map<String, String> tags = tagsOf(group);
        missingTags(tags, request).forEach((k, v) ->
                changes.add(PlannedChange.change("tag " + k, tags.getOrDefault(k, "absent"), v)));
        if (!Objects.equals(group.retentionInDays(), request.logRetentionDays())) {
            changes.add(PlannedChange.change("retentionInDays", group.retentionInDays() == null ? "never expire"
                    : group.retentionInDays(), request.logRetentionDays()));
        }
        List<String> notes = keyDiffers(group) ? List.of("left as it is: kmsKeyId is " + group.kmsKeyId()
                + ", the platform's is " + settings.kmsKeyArn() + " (a key cannot be changed by onboarding)") : List.of();
        return new StepPlan(List.of(PlannedChange.existing("log-group", name, changes, notes),
                new PlannedChange("log-stream", name + ":" + stream,
                        streamExists(name) ? PlannedChange.NONE : PlannedChange.CREATE, List.of())), outputs);
    }

    private boolean streamExists(String group) {
        String stream = TeamNames.LOG_STREAM_NAME;
        return logs.describeLogStreams(r -> r.logGroupName(group).logStreamNamePrefix(stream))
                .logStreams().stream().map(LogStream::logStreamName).anyMatch(stream::equals);
    }

    private boolean keyDiffers(LogGroup group) {
        return settings.kmsKeyArn() != null && !settings.kmsKeyArn().equals(group.kmsKeyId());
    }

    /** Offboarding: deletes the team's log group unless the deployment retains it. Not-found is success. */
    public Map<String, Object> removeGroup(TeamRequest request, StepLog log) {
        String name = settings.groupName(request.teamName());
        if (settings.retainOnOffboarding()) {
            log.info("Keeping log group %s: team log groups are retained on offboarding (audit data)", name);
            return Map.of("logGroupName", name, "retained", true);
        }
        try {
            logs.deleteLogGroup(r -> r.logGroupName(name));
            log.info("Deleted log group %s", name);
        } catch (ResourceNotFoundException gone) {
            log.info("Log group %s is already gone", name);
        }
        return Map.of("logGroupName", name, "retained", false);
    }

    /**
     * SnapStart priming for the group step: DescribeLogGroups under the name of a team that cannot exist
     * ({@link SnapStartPriming#PROBE_TEAM}). Read-only.
     */
    public LogGroupResult primeGroup(StepLog log) {
        String name = settings.groupName(SnapStartPriming.PROBE_TEAM);
        SnapStartPriming.attempt(log, "DescribeLogGroups", () -> logs.describeLogGroups(r -> r.logGroupNamePrefix(name)
                .overrideConfiguration(SnapStartPriming.REQUEST)));
        return new LogGroupResult(name, null, 365, false);
    }

    /**
     * SnapStart priming for the stream step: DescribeLogStreams in the group of a team that cannot exist, which
     * answers not found. Read-only.
     */
    public LogStreamResult primeStream(StepLog log) {
        String group = settings.groupName(SnapStartPriming.PROBE_TEAM);
        SnapStartPriming.attempt(log, "DescribeLogStreams", () -> logs.describeLogStreams(r -> r.logGroupName(group)
                .logStreamNamePrefix(TeamNames.LOG_STREAM_NAME).overrideConfiguration(SnapStartPriming.REQUEST)));
        return new LogStreamResult(group, TeamNames.LOG_STREAM_NAME, false);
    }

    /**
     * SnapStart priming for the offboarding step: DescribeLogStreams in the group of a team that cannot exist,
     * through {@link #primeStream}. DeleteLogGroup has no read of its own, and DescribeLogGroups can only be granted
     * on every log group, while this read is granted on the team groups DeleteLogGroup already names; it warms the
     * same client. Read-only: nothing is deleted, whatever the retention setting.
     */
    public Map<String, Object> primeRemoval(StepLog log) {
        return Map.of("logGroupName", primeStream(log).logGroupName(), "retained", settings.retainOnOffboarding());
    }

    private LogGroup findGroup(String name) {
        return logs.describeLogGroups(r -> r.logGroupNamePrefix(name)).logGroups().stream()
                .filter(g -> name.equals(g.logGroupName()))
                .findFirst().orElse(null);
    }

    private Map<String, String> tagsOf(LogGroup group) {
        return logs.listTagsForResource(r -> r.resourceArn(arnWithoutWildcard(group))).tags();
    }

    /** The request's tags that the group lacks or holds with another value. */
    private static Map<String, String> missingTags(Map<String, String> current, TeamRequest request) {
        Map<String, String> missing = new TreeMap<>();
        request.resourceTags().forEach((k, v) -> {
            if (!v.equals(current.get(k))) {
                missing.put(k, v);
            }
        });
        return missing;
    }

    /** DescribeLogGroups gives both "…:log-group:NAME:*" and, on newer APIs, "…:log-group:NAME". */
    private static String arnWithoutWildcard(LogGroup group) {
        if (group.logGroupArn() != null) {
            return group.logGroupArn();
        }
        String arn = group.arn();
        return arn.endsWith(":*") ? arn.substring(0, arn.length() - 2) : arn;
    }
}
