package mlteams.activity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import mlteams.common.ActivityMetrics;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamNames;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * Writes attributed activity into each team's own log group and stream (the ones onboarding made), and what
 * cannot be attributed into the platform's unattributed stream. Each line is the activity record as an
 * Embedded Metric Format document: CloudWatch turns it into an {@code Actions} count with the dimensions Team
 * and Action, while the person stays a plain property (a dimension per person would cost a metric per person). Action
 * is the operation only for the signal actions, "Other" for the rest ({@link ActivityMetrics}): a team has at most
 * 21 such metrics rather than one per SageMaker operation.
 */
public final class ActivityLog {

    /** PutLogEvents takes at most 10,000 events per call. */
    private static final int MAX_EVENTS = 10_000;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final CloudWatchLogsClient logs;
    private final ActivitySettings settings;

    public ActivityLog(CloudWatchLogsClient logs, ActivitySettings settings) {
        this.logs = logs;
        this.settings = settings;
    }

    /**
     * One EMF document: the activity record's fields (in their order, nulls omitted, {@code readOnly} always there)
     * and the metric's: Team, Action, Actions and the {@code _aws} metadata. One line of JSON, escaped by Jackson.
     */
    public String emf(ActivityRecord r, Instant at) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            field(g, "eventId", r.eventId());
            field(g, "eventTime", r.eventTime());
            field(g, "eventSource", r.eventSource());
            field(g, "eventName", r.eventName());
            field(g, "awsRegion", r.awsRegion());
            field(g, "person", r.person());
            field(g, "personEvidence", r.personEvidence());
            field(g, "team", r.team());
            field(g, "teamEvidence", r.teamEvidence());
            field(g, "domainId", r.domainId());
            field(g, "unattributedReason", r.unattributedReason());
            field(g, "errorCode", r.errorCode());
            field(g, "errorMessage", r.errorMessage());
            g.writeBooleanField("readOnly", r.readOnly());
            field(g, "sourceIpAddress", r.sourceIpAddress());
            field(g, "userAgent", r.userAgent());
            g.writeStringField("Team", r.team() == null ? "unattributed" : r.team());
            g.writeStringField("Action", ActivityMetrics.action(r.eventName())); // bounded: a metric per value
            g.writeNumberField("Actions", 1);
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", at.toEpochMilli());
            g.writeArrayFieldStart("CloudWatchMetrics");
            g.writeStartObject();
            g.writeStringField("Namespace", settings.namespace());
            g.writeArrayFieldStart("Dimensions");
            g.writeStartArray();
            g.writeString("Team");
            g.writeString("Action");
            g.writeEndArray();
            g.writeEndArray();
            g.writeArrayFieldStart("Metrics");
            g.writeStartObject();
            g.writeStringField("Name", "Actions");
            g.writeStringField("Unit", "Count");
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** When it happened, as CloudTrail says; a record without a readable time is filed at the time of writing. */
    private static Instant timeOf(ActivityRecord record) {
        try {
            return record.eventTime() == null ? Instant.now() : Instant.parse(record.eventTime());
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.now();
        }
    }

    /** Writes one team's records (or the unattributed ones, team null) in time order. */
    public void write(String team, List<ActivityRecord> records, StepLog log) {
        String group = groupOf(team);
        String stream = team == null ? settings.unattributedLogStream() : TeamNames.LOG_STREAM_NAME;
        List<InputLogEvent> events = events(records);
        for (int from = 0; from < events.size(); from += MAX_EVENTS) {
            List<InputLogEvent> batch = events.subList(from, Math.min(from + MAX_EVENTS, events.size()));
            var response = logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(batch)
                    // tells CloudWatch Logs to extract the metrics from these EMF documents
                    .overrideConfiguration(o -> o.putHeader("x-amzn-logs-format", "json/emf")));
            if (response.rejectedLogEventsInfo() != null) {
                log.warn("CloudWatch Logs rejected some events for %s: %s", group, response.rejectedLogEventsInfo());
            }
        }
        log.info("Wrote %d activity record(s) to %s", records.size(), group);
    }

    /**
     * SnapStart priming for {@link #write}: the records' log events are built (EMF documents, in time order) but not
     * sent, since PutLogEvents writes; instead DescribeLogStreams of the activity stream in the group of a team that
     * cannot exist ({@link SnapStartPriming#PROBE_TEAM}) warms the client PutLogEvents uses. Read-only.
     *
     * @return how many events write would have sent
     */
    public int prime(List<ActivityRecord> records, StepLog log) {
        List<InputLogEvent> events = events(records);
        String group = groupOf(SnapStartPriming.PROBE_TEAM);
        SnapStartPriming.attempt(log, "DescribeLogStreams", () -> logs.describeLogStreams(r -> r.logGroupName(group)
                .logStreamNamePrefix(TeamNames.LOG_STREAM_NAME).overrideConfiguration(SnapStartPriming.REQUEST)));
        return events.size();
    }

    private String groupOf(String team) {
        return team == null ? settings.unattributedLogGroup() : TeamNames.logGroupName(settings.logGroupPrefix(), team);
    }

    /** The records as log events, in time order as PutLogEvents requires. */
    private List<InputLogEvent> events(List<ActivityRecord> records) {
        List<InputLogEvent> events = new ArrayList<>();
        for (ActivityRecord record : records) {
            Instant at = timeOf(record);
            events.add(InputLogEvent.builder().timestamp(at.toEpochMilli()).message(emf(record, at)).build());
        }
        events.sort(Comparator.comparing(InputLogEvent::timestamp));
        return events;
    }
}
