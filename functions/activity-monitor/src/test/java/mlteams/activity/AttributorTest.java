package mlteams.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules at their edges, with an in-memory lookup. The corpus test covers realistic records against moto. */
class AttributorTest {

    private final List<String> asked = new ArrayList<>();
    private final Map<String, String> teams = Map.of("d-aaaaaaaaaaaa", "computer-vision", "d-bbbbbbbbbbbb", "nlp-research");
    private final Attributor attributor = new Attributor(id -> {
        asked.add(id);
        return Optional.ofNullable(teams.get(id));
    });

    private static String record(String fields) {
        return "{\"eventID\":\"e-1\",\"eventName\":\"DescribeDomain\",\"eventSource\":\"sagemaker.amazonaws.com\""
                + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    @Test
    void sourceIdentityWinsOverEveryOtherEvidence() {
        ActivityRecord r = attributor.attribute(record("""
                "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/session",
                  "sessionContext":{"sourceIdentity":"alice"},"onBehalfOf":{"userId":"u-1"}},
                "eventName":"CreatePresignedDomainUrl","requestParameters":{"userProfileName":"carol"}"""));
        assertEquals("alice", r.person());
        assertEquals("sourceIdentity", r.personEvidence());
    }

    @Test
    void sourceIdentityIsAlsoReadDirectlyUnderUserIdentity() {
        ActivityRecord r = attributor.attribute(record("\"userIdentity\":{\"type\":\"AssumedRole\",\"sourceIdentity\":\"zed\"}"));
        assertEquals("zed", r.person());
        assertEquals("sourceIdentity", r.personEvidence());
    }

    @Test
    void onBehalfOfComesBeforeTheSignInProfileAndTheSession() {
        ActivityRecord r = attributor.attribute(record("""
                "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s","onBehalfOf":{"userId":"u-1"}}"""));
        assertEquals("u-1", r.person());
        assertEquals("onBehalfOf", r.personEvidence());
    }

    @Test
    void theProfileInTheRequestIsThePersonOnlyForASignIn() {
        String fields = """
                "userIdentity":{"type":"IAMUser","userName":"admin"},"requestParameters":{"domainId":"d-aaaaaaaaaaaa","userProfileName":"carol"}""";
        ActivityRecord signIn = attributor.attribute(record(fields + ",\"eventName\":\"CreatePresignedDomainUrl\""));
        ActivityRecord deletion = attributor.attribute(record(fields + ",\"eventName\":\"DeleteUserProfile\""));

        assertEquals("carol", signIn.person());
        assertEquals("requestUserProfile", signIn.personEvidence());
        assertEquals("admin", deletion.person());
        assertEquals("iamUser", deletion.personEvidence());
    }

    @Test
    void anAssumedRoleIsNamedByItsSessionAndOtherIdentitiesAreNotGuessed() {
        assertEquals("ci-42", attributor.attribute(record(
                "\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/path/Role/ci-42\"}")).person());
        for (String identity : List.of(
                "{\"type\":\"AWSService\",\"invokedBy\":\"sagemaker.amazonaws.com\"}",
                "{\"type\":\"Root\",\"arn\":\"arn:aws:iam::1:root\"}",
                "{\"type\":\"IAMUser\"}",
                "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:iam::1:role/R\"}",
                "{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/R/\"}",
                "{\"type\":\"AssumedRole\",\"sessionContext\":{\"sourceIdentity\":\"  \"}}",
                "\"not an object\"", "null")) {
            ActivityRecord r = attributor.attribute(record("\"userIdentity\":" + identity));
            assertNull(r.person(), identity);
            assertNull(r.personEvidence(), identity);
        }
    }

    @Test
    void theTeamComesFromTheFirstDomainEvidenceThatResolves() {
        String arnB = "arn:aws:sagemaker:us-east-1:1:domain/d-bbbbbbbbbbbb";
        ActivityRecord fromRequest = attributor.attribute(record(
                "\"requestParameters\":{\"domainId\":\"d-aaaaaaaaaaaa\"},\"responseElements\":{\"domainArn\":\"" + arnB + "\"}"));
        assertEquals("computer-vision", fromRequest.team());
        assertEquals("requestDomain", fromRequest.teamEvidence());

        ActivityRecord unknownThenResponse = attributor.attribute(record(
                "\"requestParameters\":{\"domainId\":\"d-cccccccccccc\"},\"responseElements\":{\"domainArn\":\"" + arnB + "\"}"));
        assertEquals("nlp-research", unknownThenResponse.team());
        assertEquals("responseDomain", unknownThenResponse.teamEvidence());
        assertEquals("d-bbbbbbbbbbbb", unknownThenResponse.domainId());

        ActivityRecord tag = attributor.attribute(record(
                "\"requestParameters\":{\"tags\":[{\"Key\":\"other\",\"Value\":\"x\"},{\"Key\":\"sagemaker:domain-arn\",\"Value\":\"" + arnB + "\"}]}"));
        assertEquals("domainArnTag", tag.teamEvidence());

        ActivityRecord profile = attributor.attribute(record(
                "\"resources\":[{\"ARN\":\"arn:aws:s3:::bucket\"},{\"ARN\":\"arn:aws:sagemaker:us-east-1:1:user-profile/d-aaaaaaaaaaaa/alice\"}]"));
        assertEquals("computer-vision", profile.team());
        assertEquals("resourceDomain", profile.teamEvidence());
    }

    @Test
    void noDomainMeansNoTeamAndAnUnknownDomainIsKeptButNotGuessed() {
        ActivityRecord none = attributor.attribute(record("\"requestParameters\":{\"name\":\"ml-platform-activity\"}"));
        assertNull(none.team());
        assertNull(none.teamEvidence());
        assertNull(none.domainId());

        ActivityRecord unknown = attributor.attribute(record("\"requestParameters\":{\"domainId\":\"d-cccccccccccc\"}"));
        assertNull(unknown.team());
        assertNull(unknown.teamEvidence());
        assertEquals("d-cccccccccccc", unknown.domainId());
        assertFalse(unknown.attributed());
    }

    @Test
    void strangeValuesAreNeverLookedUp() {
        attributor.attribute(record("""
                "requestParameters":{"domainId":"D-NOT-AN-ID","domainArn":"arn:aws:sagemaker:us-east-1:1:training-job/d-aaaaaaaaaaaa"},
                "responseElements":{"domainId":{"nested":"d-aaaaaaaaaaaa"}},
                "resources":[{"ARN":"arn:aws:iam::1:role/domain/d-aaaaaaaaaaaa"},"d-aaaaaaaaaaaa",{"ARN":null}]"""));
        assertEquals(List.of(), asked);
    }

    @Test
    void readOnlyAndErrorsAreCarriedOver() {
        ActivityRecord r = attributor.attribute(record("\"readOnly\":true,\"errorCode\":\"AccessDenied\",\"errorMessage\":\"no\""));
        assertTrue(r.readOnly());
        assertEquals("AccessDenied", r.errorCode());
        assertEquals("no", r.errorMessage());
        assertFalse(attributor.attribute(record("")).readOnly());
    }

    @Test
    void malformedRecordsFailWithTheReason() {
        Map<String, String> bad = Map.of(
                "", "not valid JSON",
                "{\"eventID\":", "not valid JSON",
                "[1,2]", "not a JSON object",
                "\"text\"", "not a JSON object",
                record("") + " {}", "trailing content",
                "{\"eventName\":\"X\",\"eventSource\":\"s\"}", "lacks eventID",
                "{\"eventID\":\"e\",\"eventSource\":\"s\"}", "lacks eventName",
                "{\"eventID\":\"e\",\"eventName\":\"X\"}", "lacks eventSource",
                "{\"eventID\":7,\"eventName\":\"X\",\"eventSource\":\"s\"}", "lacks eventID",
                "{\"eventID\":\"e\",\"eventName\":\"X\",\"eventSource\":\"s\",}", "not valid JSON");
        bad.forEach((json, reason) -> {
            var e = assertThrows(MalformedRecordException.class, () -> attributor.attribute(json), json);
            assertTrue(e.getMessage().contains(reason), json + " -> " + e.getMessage());
            assertThrows(MalformedRecordException.class, () -> attributor.attribute(json.getBytes(StandardCharsets.UTF_8)));
        });
        assertThrows(MalformedRecordException.class, () -> attributor.attribute((String) null));
        assertThrows(MalformedRecordException.class, () -> attributor.attribute((byte[]) null));
    }

    @Test
    void aRecordOfExactly256KbPassesAndOneByteMoreIsOversized() {
        String base = record("\"userAgent\":\"\"");
        String exact = base.replace("\"userAgent\":\"\"",
                "\"userAgent\":\"" + "é".repeat((Attributor.MAX_RECORD_BYTES - base.length()) / 2) + "\"");
        exact = exact.replace("\"userAgent\":\"", "\"userAgent\":\"" + "x".repeat(Attributor.MAX_RECORD_BYTES - utf8(exact)));
        assertEquals(Attributor.MAX_RECORD_BYTES, utf8(exact));
        assertEquals("e-1", attributor.attribute(exact).eventId());
        assertEquals("e-1", attributor.attribute(exact.getBytes(StandardCharsets.UTF_8)).eventId());

        String over = exact.replace("\"userAgent\":\"", "\"userAgent\":\"x");
        var e = assertThrows(MalformedRecordException.class, () -> attributor.attribute(over));
        assertTrue(e.getMessage().startsWith("oversized record"), e.getMessage());
        assertThrows(MalformedRecordException.class, () -> attributor.attribute(over.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMessageIsItsEventsDetailOrABareRecord() {
        String detail = record("\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"dana\"},"
                + "\"requestParameters\":{\"domainId\":\"d-aaaaaaaaaaaa\"}");
        String event = "{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"AWS API Call via CloudTrail\","
                + "\"source\":\"aws.sagemaker\",\"resources\":[],\"detail\":" + detail + ",\"region\":\"us-east-1\"}";
        ActivityRecord fromEvent = attributor.attributeMessage(event);
        assertEquals(attributor.attribute(detail), fromEvent);
        assertEquals("dana", fromEvent.person());
        assertEquals("computer-vision", fromEvent.team());
        assertEquals(fromEvent, attributor.attributeMessage(detail), "a bare record is its own record");

        var notARecord = assertThrows(MalformedRecordException.class,
                () -> attributor.attributeMessage("{\"detail-type\":\"x\",\"detail\":{\"eventName\":\"X\"}}"));
        assertTrue(notARecord.getMessage().contains("lacks eventID"), notARecord.getMessage());
        var notJson = assertThrows(MalformedRecordException.class, () -> attributor.attributeMessage("{\"detail\":{"));
        assertTrue(notJson.getMessage().contains("not valid JSON"), notJson.getMessage());
        var trailing = assertThrows(MalformedRecordException.class, () -> attributor.attributeMessage(event + " {}"));
        assertTrue(trailing.getMessage().contains("trailing content"), trailing.getMessage());
        assertThrows(MalformedRecordException.class, () -> attributor.attributeMessage(null));
    }

    @Test
    void anEventWhoseDetailIsOver256KbIsOversized() {
        String base = record("\"userAgent\":\"\"");
        String detail = base.replace("\"userAgent\":\"\"",
                "\"userAgent\":\"" + "x".repeat(Attributor.MAX_RECORD_BYTES - utf8(base)) + "\"");
        assertEquals(Attributor.MAX_RECORD_BYTES, utf8(detail));
        assertEquals("e-1", attributor.attributeMessage("{\"version\":\"0\", \"detail\": " + detail + " }").eventId(),
                "the envelope around it does not count");
        String over = detail.replace("\"userAgent\":\"", "\"userAgent\":\"x");
        var e = assertThrows(MalformedRecordException.class, () -> attributor.attributeMessage("{\"detail\":" + over + "}"));
        assertTrue(e.getMessage().startsWith("oversized record"), e.getMessage());
    }

    @Test
    void strictJsonAsJacksonReadsItByDefault() {
        String head = "{\"eventID\":\"e\",\"eventName\":\"N\",\"eventSource\":\"s\"";
        for (String bad : List.of(head + ",}", head + ",\"a\":[1,]}", head + ",'a':1}", head + ",a:1}",
                head + ",\"a\":01}", head + ",\"a\":.5}", head + ",\"a\":NaN}", head + ",\"a\":+1}",
                head + ",\"a\":tru}", head + ",/*c*/\"a\":1}", head + ",\"a\":\"tab\there\"}",
                head + ",\"a\":\"\\x\"}", head + ",\"a\":\"\\u12g4\"}", head + ",\"a\":{\"b\":1 \"c\":2}}",
                head + ",\"a\":" + "[".repeat(1001) + "]".repeat(1001) + "}")) {
            var e = assertThrows(MalformedRecordException.class, () -> attributor.attribute(bad), bad);
            assertTrue(e.getMessage().startsWith("not valid JSON"), bad + " -> " + e.getMessage());
        }
        for (String good : List.of(head + "}", "\uFEFF" + head + "} \n", head + " , \"a\" : [ 1 , { } , [ ] ] }",
                head + ",\"a\":-12.5e+3,\"b\":\"\\u00e9\\n\\/\"}", head + ",\"a\":" + "[".repeat(999) + "]".repeat(999) + "}")) {
            assertEquals("e", attributor.attribute(good).eventId(), good);
        }
        var deep = assertThrows(MalformedRecordException.class, () -> attributor.attribute(
                head + ",\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
        assertTrue(deep.getMessage().startsWith("not valid JSON"), "fails cleanly, no stack overflow: " + deep.getMessage());
    }

    @Test
    void scalarsKeepTheirTextAndStringsTheirCharacters() {
        ActivityRecord r = attributor.attribute("""
                {"eventID":"e\\u00e9 \\ud83d\\ude00","eventName":"N","eventSource":"s","eventTime":1.5e3 ,
                 "awsRegion":true,"errorCode":"日本","errorMessage":null,"userAgent":{"x":1}}""");
        assertEquals("eé 😀", r.eventId());
        assertEquals("1.5e3", r.eventTime());
        assertEquals("true", r.awsRegion());
        assertEquals("日本", r.errorCode());
        assertNull(r.errorMessage());
        assertNull(r.userAgent());
    }

    @Test
    void oddShapesAreSkippedAndTheRightCopyWins() {
        ActivityRecord r = attributor.attribute(record("""
                "userIdentity":{"type":"AssumedRole","sessionContext":{"sourceIdentity":"inner"},"sourceIdentity":"top"},
                "readOnly":"TRUE","requestParameters":{"tags":[1,{"key":"sagemaker:domain-arn"},
                  {"key":"sagemaker:domain-arn","value":"arn:aws:sagemaker:us-east-1:1:domain/d-bbbbbbbbbbbb"}]}"""));
        assertEquals("inner", r.person(), "sessionContext.sourceIdentity wins over a top-level copy, wherever it comes");
        assertTrue(r.readOnly());
        assertEquals("nlp-research", r.team(), "the first domain-arn tag with a value");
        assertEquals("domainArnTag", r.teamEvidence());
        ActivityRecord resources = attributor.attribute(record(
                "\"resources\":[null,{\"ARN\":7},{\"ARN\":\"arn:aws:sagemaker:us-east-1:1:app/d-aaaaaaaaaaaa/x\"}]"));
        assertEquals("computer-vision", resources.team());
        assertEquals("resourceDomain", resources.teamEvidence());
        assertFalse(attributor.attribute(record("\"readOnly\":1")).readOnly());
        assertEquals("last", attributor.attribute(record("\"errorCode\":\"first\",\"errorCode\":\"last\"")).errorCode(),
                "duplicate keys: the last wins");
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
