package mlteams.logs;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
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
            ensureTags(group, request, log);
            if (settings.kmsKeyArn() != null && !settings.kmsKeyArn().equals(group.kmsKeyId())) {
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
        boolean exists = logs.describeLogStreams(r -> r.logGroupName(group).logStreamNamePrefix(stream))
                .logStreams().stream().map(LogStream::logStreamName).anyMatch(stream::equals);
        boolean created = false;
        if (!exists) {
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

    private void ensureTags(LogGroup group, TeamRequest request, StepLog log) {
        String arn = arnWithoutWildcard(group);
        Map<String, String> current = logs.listTagsForResource(r -> r.resourceArn(arn)).tags();
        Map<String, String> missing = new HashMap<>();
        request.resourceTags().forEach((k, v) -> {
            if (!v.equals(current.get(k))) {
                missing.put(k, v);
            }
        });
        if (!missing.isEmpty()) {
            logs.tagResource(r -> r.resourceArn(arn).tags(missing));
            log.info("Tagged %s with %s", group.logGroupName(), missing.keySet());
        }
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
