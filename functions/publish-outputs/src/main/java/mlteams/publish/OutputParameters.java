package mlteams.publish;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import mlteams.common.DomainRecord;
import mlteams.common.Json;
import mlteams.common.PlannedChange;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamNames;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.Tag;

/**
 * Publishes a team's outputs under {@code <prefix>/<team>/}, and its domain's durable record ({@link DomainRecord}).
 * Only values that changed are written, so a repeat run adds no parameter versions. None of these values is secret, so they are plain Strings.
 */
public final class OutputParameters {

    public static final List<String> NAMES = List.of("sagemaker-domain-url", "sagemaker-domain-id",
            "cloudtrail-arn", "log-group-name", "log-stream-name", "members");

    /** PublishOutputs' priming input: the state after the parallel steps, for a team that cannot exist. */
    public static final String PRIMING_INPUT = "{\"request\": " + SnapStartPriming.SAMPLE_TEAM_REQUEST + """
            , "resources": {"trail": {"trailArn": "arn:aws:cloudtrail:us-east-1:123456789012:trail/ml-platform-activity"},
               "logGroup": {"logGroupName": "/ml-teams/%1$s/activity"},
               "logStream": {"logGroupName": "/ml-teams/%1$s/activity", "logStreamName": "user-activity"},
               "domain": {"domainId": "%2$s",
                          "url": "https://%2$s.studio.us-east-1.sagemaker.aws"}}}""".formatted(
            SnapStartPriming.PROBE_TEAM, SnapStartPriming.PROBE_DOMAIN_ID);

    private final SsmClient ssm;
    private final String prefix;

    public OutputParameters(SsmClient ssm, String prefix) {
        this.ssm = ssm;
        this.prefix = prefix;
    }

    public TeamOutputs publish(PublishInput input, StepLog log) {
        TeamRequest request = input.request();
        PublishInput.Resources resources = input.resources();
        String path = TeamNames.parameterPath(prefix, request.teamName());
        PublishInput.Members members = input.members() == null || input.members().kept() == null ? null
                : input.members();
        TeamOutputs outputs;
        Map<String, String> known = null;
        if (resources == null) {
            outputs = new TeamOutputs(request.teamName(), null, null, null, null, null, path, members);
        } else {
            outputs = new TeamOutputs(request.teamName(), resources.domain().url(),
                    resources.domain().domainId(), resources.trail().trailArn(), resources.logStream().logGroupName(),
                    resources.logStream().logStreamName(), path, members);
            known = new java.util.HashMap<>();
            known.put("url", outputs.sagemakerDomainUrl());
            known.put("domainId", outputs.sagemakerDomainId());
            known.put("trailArn", outputs.cloudTrailArn());
            known.put("logGroupName", outputs.logGroupName());
            known.put("logStreamName", outputs.logStreamName());
        }
        Map<String, String> desired = desired(known, members == null ? null : memberNames(members));

        Map<String, String> current = currentValues(path);
        List<Tag> tags = request.resourceTags().entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList();
        int written = 0;
        for (Map.Entry<String, String> entry : desired.entrySet()) {
            String name = path + entry.getKey();
            String value = entry.getValue();
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("No value to publish for " + name);
            }
            if (write(name, current.get(name), value, tags)) {
                written++;
                log.info("Published %s", name);
            }
        }
        log.info("Parameters under %s: %d written, %d unchanged", path, written, desired.size() - written);
        if (resources != null) {
            recordDomain(outputs.sagemakerDomainId(), new DomainRecord(request.teamName(), request.executionRoleArn()),
                    tags, log);
        }
        return outputs;
    }

    /**
     * The domain's durable record ({@link DomainRecord}): outside the team's folder, so offboarding keeps it and the
     * activity monitor can still name the team of a deleted domain. Written only when it changed.
     */
    private void recordDomain(String domainId, DomainRecord record, List<Tag> tags, StepLog log) {
        String name = DomainRecord.name(prefix, domainId);
        String value = record.toJson();
        if (!write(name, currentValue(name), value, tags)) {
            return;
        }
        log.info("Recorded domain %s as team %s's", domainId, record.team());
    }

    /**
     * The plan of {@link #publish} for an onboarding: each parameter it would write, compared as it compares them.
     * A value known only after the onboarding (the domain of a team that has none yet) is planned as a write.
     * Read-only.
     *
     * @param known what the other plan steps know already: trailArn, logGroupName, logStreamName, domainId, url
     */
    public List<PlannedChange> plan(TeamRequest request, Map<String, String> known) {
        String path = TeamNames.parameterPath(prefix, request.teamName());
        // a null value: known only after the onboarding
        Map<String, String> desired = desired(known, request.members());
        Map<String, String> current = currentValues(path);
        List<PlannedChange> changes = new ArrayList<>();
        desired.forEach((key, value) -> changes.add(parameterChange(path + key, current.get(path + key), value)));
        String domainId = known.get("domainId");
        String record = new DomainRecord(request.teamName(), request.executionRoleArn()).toJson();
        changes.add(domainId == null
                ? parameterChange(DomainRecord.name(prefix, "<new domain id>"), null, record)
                : parameterChange(DomainRecord.name(prefix, domainId), currentValue(DomainRecord.name(prefix, domainId)),
                        record));
        return changes;
    }

    /** Each parameter's value by its name under the team's folder, from the resources' values (null: none). */
    private static Map<String, String> desired(Map<String, String> known, List<String> members) {
        Map<String, String> desired = new LinkedHashMap<>();
        if (known != null) {
            desired.put("sagemaker-domain-url", known.get("url"));
            desired.put("sagemaker-domain-id", known.get("domainId"));
            desired.put("cloudtrail-arn", known.get("trailArn"));
            desired.put("log-group-name", known.get("logGroupName"));
            desired.put("log-stream-name", known.get("logStreamName"));
        }
        if (members != null) {
            // sorted, as a JSON array: unambiguous, and never the empty value Parameter Store refuses
            desired.put("members", Json.write(members.stream().sorted().toList()));
        }
        return desired;
    }

    /** How a parameter holding {@code current} (null: none) would be brought to {@code value} (null: not known yet). */
    static PlannedChange parameterChange(String name, String current, String value) {
        String shown = value == null ? "known after the onboarding" : value;
        if (current == null) {
            return new PlannedChange("parameter", name, PlannedChange.CREATE, List.of("value: " + shown));
        }
        return PlannedChange.existing("parameter", name, current.equals(value) ? List.of()
                : List.of(PlannedChange.change("value", current, shown)));
    }

    /** Writes the parameter as {@link #parameterChange} plans it; false when it already holds the value. */
    private boolean write(String name, String current, String value, List<Tag> tags) {
        switch (parameterChange(name, current, value).action()) {
            case PlannedChange.NONE -> {
                return false;
            }
            case PlannedChange.CREATE -> create(name, value, tags);
            default -> overwrite(name, value);
        }
        return true;
    }

    private Map<String, String> currentValues(String path) {
        return ssm.getParametersByPathPaginator(r -> r.path(path).recursive(false)).stream()
                .flatMap(page -> page.parameters().stream()).collect(Collectors.toMap(Parameter::name, Parameter::value));
    }

    private String currentValue(String name) {
        try {
            return ssm.getParameter(r -> r.name(name)).parameter().value();
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }

    /** The team's members: those the membership step added and kept. */
    static List<String> memberNames(PublishInput.Members members) {
        List<String> names = new ArrayList<>(members.added());
        names.addAll(members.kept());
        return names;
    }

    /**
     * SnapStart priming: GetParametersByPath under the folder of a team that cannot exist. Read-only; no
     * parameter is written.
     */
    public TeamOutputs prime(PublishInput sample, StepLog log) {
        String path = primeReads(log);
        PublishInput.Resources resources = sample.resources();
        return new TeamOutputs(SnapStartPriming.PROBE_TEAM, resources.domain().url(), resources.domain().domainId(),
                resources.trail().trailArn(), resources.logStream().logGroupName(),
                resources.logStream().logStreamName(), path, null);
    }

    /** The priming read: GetParametersByPath under the probe team's folder. @return that folder */
    public String primeReads(StepLog log) {
        String path = TeamNames.parameterPath(prefix, SnapStartPriming.PROBE_TEAM);
        SnapStartPriming.attempt(log, "GetParametersByPath", () -> ssm.getParametersByPath(r -> r.path(path)
                .recursive(false).overrideConfiguration(SnapStartPriming.REQUEST)));
        return path;
    }

    private void create(String name, String value, List<Tag> tags) {
        try {
            // Tags can only be given on create, not together with Overwrite.
            ssm.putParameter(r -> r.name(name).value(value).type(ParameterType.STRING).tags(tags));
        } catch (ParameterAlreadyExistsException e) {
            overwrite(name, value);
        }
    }

    private void overwrite(String name, String value) {
        ssm.putParameter(r -> r.name(name).value(value).type(ParameterType.STRING).overwrite(true));
    }
}
