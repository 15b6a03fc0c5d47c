package mlteams.activity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/** The activity line as an EMF document, written with Jackson's streaming generator. */
final class StreamingLine {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private StreamingLine() {
    }

    static String emf(ActivityRecord r, Instant at, String namespace) {
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
            field(g, "errorCode", r.errorCode());
            field(g, "errorMessage", r.errorMessage());
            g.writeBooleanField("readOnly", r.readOnly());
            field(g, "sourceIpAddress", r.sourceIpAddress());
            field(g, "userAgent", r.userAgent());
            g.writeStringField("Team", r.team() == null ? "unattributed" : r.team());
            g.writeStringField("Action", r.eventName());
            g.writeNumberField("Actions", 1);
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", at.toEpochMilli());
            g.writeArrayFieldStart("CloudWatchMetrics");
            g.writeStartObject();
            g.writeStringField("Namespace", namespace);
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
}
