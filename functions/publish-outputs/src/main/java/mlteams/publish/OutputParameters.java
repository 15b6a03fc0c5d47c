package mlteams.publish;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import mlteams.common.DomainRecord;
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
        Map<String, String> desired = new LinkedHashMap<>();
        TeamOutputs outputs;
        if (resources == null) {
            outputs = new TeamOutputs(request.teamName(), null, null, null, null, null, path, members);
        } else {
            outputs = new TeamOutputs(request.teamName(), resources.domain().url(),
                    resources.domain().domainId(), resources.trail().trailArn(), resources.logStream().logGroupName(),
                    resources.logStream().logStreamName(), path, members);
            desired.put("sagemaker-domain-url", outputs.sagemakerDomainUrl());
            desired.put("sagemaker-domain-id", outputs.sagemakerDomainId());
            desired.put("cloudtrail-arn", outputs.cloudTrailArn());
            desired.put("log-group-name", outputs.logGroupName());
            desired.put("log-stream-name", outputs.logStreamName());
        }
        if (members != null) {
            desired.put("members", memberNames(members));
        }

        Map<String, String> current = ssm.getParametersByPathPaginator(r -> r.path(path).recursive(false))
                .stream()
                .flatMap(page -> page.parameters().stream()).collect(Collectors.toMap(Parameter::name, Parameter::value));
        List<Tag> tags = request.resourceTags().entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList();
        int written = 0;
        for (Map.Entry<String, String> entry : desired.entrySet()) {
            String name = path + entry.getKey();
            String value = entry.getValue();
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("No value to publish for " + name);
            }
            String existing = current.get(name);
            if (value.equals(existing)) {
                continue;
            }
            if (existing == null) {
                create(name, value, tags);
            } else {
                overwrite(name, value);
            }
            written++;
            log.info("Published %s", name);
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
        String existing;
        try {
            existing = ssm.getParameter(r -> r.name(name)).parameter().value();
        } catch (ParameterNotFoundException e) {
            existing = null;
        }
        if (value.equals(existing)) {
            return;
        }
        if (existing == null) {
            create(name, value, tags);
        } else {
            overwrite(name, value);
        }
        log.info("Recorded domain %s as team %s's", domainId, record.team());
    }

    /**
     * The team's member names, sorted, as a JSON array: unambiguous, and never the empty value Parameter Store
     * refuses, even for a team of nobody.
     */
    static String memberNames(PublishInput.Members members) {
        List<String> names = new java.util.ArrayList<>(members.added());
        names.addAll(members.kept());
        return mlteams.common.Json.write(names.stream().sorted().toList());
    }

    /**
     * SnapStart priming: GetParametersByPath under the folder of a team that cannot exist. Read-only; no
     * parameter is written.
     */
    public TeamOutputs prime(PublishInput sample, StepLog log) {
        String path = TeamNames.parameterPath(prefix, SnapStartPriming.PROBE_TEAM);
        SnapStartPriming.attempt(log, "GetParametersByPath", () -> ssm.getParametersByPath(r -> r.path(path)
                .recursive(false).overrideConfiguration(SnapStartPriming.REQUEST)));
        PublishInput.Resources resources = sample.resources();
        return new TeamOutputs(SnapStartPriming.PROBE_TEAM, resources.domain().url(), resources.domain().domainId(),
                resources.trail().trailArn(), resources.logStream().logGroupName(),
                resources.logStream().logStreamName(), path, null);
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
