package mlteams.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import mlteams.common.ActivityMetrics;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** The activity line: the record's fields as one line of JSON, and the EMF metric around them. */
class ActivityLogTest {

    static final ActivitySettings SETTINGS = new ActivitySettings("/ml-teams", "ml-team-", "MLPlatform/Activity",
            "/ml-platform/activity/unattributed", "unattributed", "/ml-teams");

    private final ActivityLog log = new ActivityLog(null, SETTINGS);

    @Test
    void theRecordsFieldsInTheirOrderWithoutNullsThenTheMetric() {
        ActivityRecord r = new ActivityRecord("e-1", "2026-11-25T14:03:11Z", "sagemaker.amazonaws.com", "CreateTrainingJob",
                "us-east-1", "alice", "sourceIdentity", null, null, null, null, null, null, false, "10.0.0.1", "ua");
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
                null, null, "AccessDenied", nasty, true, null, nasty);
        String line = log.emf(r, Instant.EPOCH);
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        JsonNode read = Corpus.parse(line);
        assertEquals(nasty, read.get("eventId").asText());
        assertEquals(nasty, read.get("errorMessage").asText());
        assertEquals(nasty, read.get("userAgent").asText());
        assertEquals("computer-vision", read.get("Team").asText());
    }

    /**
     * Every SageMaker operation (all the activity rule could let through, from the SDK's client) as an event of one
     * team: the Action dimension takes at most the signal actions and Other, each signal action is a real operation,
     * and the line still names the operation.
     */
    @Test
    void theActionDimensionIsBoundedWhateverTheOperation() {
        Set<String> operations = new TreeSet<>();
        for (Method m : SageMakerClient.class.getMethods()) {
            if (m.getParameterCount() == 1 && SdkRequest.class.isAssignableFrom(m.getParameterTypes()[0])) {
                operations.add(m.getParameterTypes()[0].getSimpleName().replaceFirst("Request$", ""));
            }
        }
        assertTrue(operations.size() > 300, "the SDK's SageMaker operations: " + operations.size());
        assertTrue(operations.containsAll(ActivityMetrics.SIGNAL_ACTIONS), "a signal action that is no SageMaker operation");

        Set<String> dimensionValues = new TreeSet<>();
        for (String operation : operations) {
            ActivityRecord r = new ActivityRecord("e", null, "sagemaker.amazonaws.com", operation, "us-east-1", "alice",
                    "sourceIdentity", "computer-vision", "requestDomain", "d-a1b2c3d4e5f6", null, null, null, false, null, null);
            JsonNode line = Corpus.parse(log.emf(r, Instant.EPOCH));
            assertEquals(operation, line.get("eventName").asText(), "the full detail stays in the line");
            dimensionValues.add(line.get("Team").asText() + "/" + line.get("Action").asText());
        }
        assertEquals(ActivityMetrics.SIGNAL_ACTIONS.size() + 1, dimensionValues.size(), dimensionValues.toString());
        assertTrue(dimensionValues.contains("computer-vision/" + ActivityMetrics.OTHER));
    }
}
