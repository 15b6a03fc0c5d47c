package mlteams.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ActivityFormatTest {

    /** What a Jackson mapper writes for the record, nulls omitted: the line must be exactly that. */
    static final ObjectMapper MAPPER = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    @Test
    void oneLineOfJsonWithTheRecordsFieldsAndNoNulls() {
        ActivityRecord r = new ActivityRecord("e-1", "2026-11-25T14:03:11Z", "sagemaker.amazonaws.com", "CreateTrainingJob",
                "us-east-1", "alice", "sourceIdentity", null, null, null, null, null, false, "10.0.0.1", "ua");
        assertEquals("{\"eventId\":\"e-1\",\"eventTime\":\"2026-11-25T14:03:11Z\",\"eventSource\":\"sagemaker.amazonaws.com\","
                + "\"eventName\":\"CreateTrainingJob\",\"awsRegion\":\"us-east-1\",\"person\":\"alice\","
                + "\"personEvidence\":\"sourceIdentity\",\"readOnly\":false,\"sourceIpAddress\":\"10.0.0.1\",\"userAgent\":\"ua\"}",
                ActivityFormat.json(r));
    }

    @Test
    void escapesLikeJackson() throws Exception {
        String nasty = "q\" b\\ nl\n cr\r tab\t bs\b ff\f nul\u0000 us\u001f del\u007f é 日本 😀 </script> \u2028";
        ActivityRecord r = new ActivityRecord(nasty, null, null, null, null, null, null, null, null, null,
                "AccessDenied", nasty, true, null, nasty);
        String line = ActivityFormat.json(r);
        assertEquals(MAPPER.writeValueAsString(r), line);
        assertFalse(line.contains("\n"));
        assertEquals(nasty, MAPPER.readTree(line).get("errorMessage").asText());
    }

    @Test
    void everyCorpusRecordFormatsAsJacksonWould() throws Exception {
        Attributor attributor = new Attributor(Corpus.fixedLookup());
        for (Corpus.Case c : Corpus.asWritten().cases()) {
            if (!c.malformed()) {
                ActivityRecord r = attributor.attribute(c.recordJson());
                assertEquals(MAPPER.writeValueAsString(r), ActivityFormat.json(r), c.name());
            }
        }
    }
}
