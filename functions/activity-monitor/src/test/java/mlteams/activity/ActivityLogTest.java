package mlteams.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The activity line: the record's fields as one line of JSON, and the EMF metric around them. */
class ActivityLogTest {

    static final ActivitySettings SETTINGS = new ActivitySettings("/ml-teams", "ml-team-", "MLPlatform/Activity",
            "/ml-platform/activity/unattributed", "unattributed");

    private final ActivityLog log = new ActivityLog(null, SETTINGS);

    @Test
    void theRecordsFieldsInTheirOrderWithoutNullsThenTheMetric() {
        ActivityRecord r = new ActivityRecord("e-1", "2026-11-25T14:03:11Z", "sagemaker.amazonaws.com", "CreateTrainingJob",
                "us-east-1", "alice", "sourceIdentity", null, null, null, null, null, false, "10.0.0.1", "ua");
        String line = log.emf(r, Instant.parse("2026-11-25T14:03:11Z"));
        assertTrue(line.startsWith("{\"eventId\":\"e-1\",\"eventTime\":\"2026-11-25T14:03:11Z\",\"eventSource\":\"sagemaker.amazonaws.com\","
                + "\"eventName\":\"CreateTrainingJob\",\"awsRegion\":\"us-east-1\",\"person\":\"alice\","
                + "\"personEvidence\":\"sourceIdentity\",\"readOnly\":false,\"sourceIpAddress\":\"10.0.0.1\",\"userAgent\":\"ua\","
                + "\"Team\":\"unattributed\",\"Action\":\"CreateTrainingJob\",\"Actions\":1,\"_aws\":{\"Timestamp\":1795615391000,"),
                line);
        JsonNode metric = Corpus.parse(line).get("_aws").get("CloudWatchMetrics").get(0);
        assertEquals("MLPlatform/Activity", metric.get("Namespace").asText());
        assertEquals("[[\"Team\",\"Action\"]]", metric.get("Dimensions").toString(), "the person is never a dimension");
        assertEquals("[{\"Name\":\"Actions\",\"Unit\":\"Count\"}]", metric.get("Metrics").toString());
    }

    @Test
    void anyTextStaysOnOneLineAndReadsBackTheSame() {
        String nasty = "q\" b\\ nl\n cr\r tab\t bs\b ff\f nul\u0000 us\u001f del\u007f é 日本 😀 </script> \u2028";
        ActivityRecord r = new ActivityRecord(nasty, null, null, "N", null, null, null, "computer-vision", "requestDomain",
                null, "AccessDenied", nasty, true, null, nasty);
        String line = log.emf(r, Instant.EPOCH);
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        JsonNode read = Corpus.parse(line);
        assertEquals(nasty, read.get("eventId").asText());
        assertEquals(nasty, read.get("errorMessage").asText());
        assertEquals(nasty, read.get("userAgent").asText());
        assertEquals("computer-vision", read.get("Team").asText());
    }
}
