package mlteams.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scanner against Jackson: on every corpus record and on tens of thousands of damaged copies of them, it accepts
 * exactly what jackson-databind accepts, and where both accept, attribution gives the same result; except that it
 * refuses every string that is not valid UTF-8.
 */
class RecordScannerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TeamLookup LOOKUP = Corpus.fixedLookup();
    private static final byte[] INTERESTING = " \t\n\r{}[],:\"\\/-+.0123456789eEtrufalsn\u0000\u001f\u007f".getBytes(StandardCharsets.ISO_8859_1);
    private static final int[] HIGH = {0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xC3, 0xE0, 0xE2, 0xED, 0xF0, 0xF4, 0xF5, 0xF8, 0xFF};

    private final Attributor attributor = new Attributor(LOOKUP);

    @Test
    void agreesWithJacksonOnDamagedRecords() {
        List<byte[]> seeds = new ArrayList<>();
        for (Corpus.Case c : Corpus.asWritten().cases()) {
            if (c.recordJson().length() < Attributor.MAX_RECORD_BYTES) {
                seeds.add(c.recordJson().getBytes(StandardCharsets.UTF_8));
            }
        }
        // -Dscanner.fuzz.records=… -Dscanner.fuzz.seed=… for a longer or different run.
        Random random = new Random(Long.getLong("scanner.fuzz.seed", 20261125L));
        int accepted = 0;
        int rejected = 0;
        for (int i = 0, n = Integer.getInteger("scanner.fuzz.records", 30_000); i < n; i++) {
            byte[] seed = seeds.get(i % seeds.size());
            byte[] mutant = mutate(seed, random, 1 + random.nextInt(3));
            if (compare(mutant)) {
                accepted++;
            } else {
                rejected++;
            }
        }
        assertTrue(accepted > 3_000 && rejected > 3_000, "a useful mix: " + accepted + " accepted, " + rejected + " rejected");
    }

    @Test
    void agreesWithJacksonOnTheEdgesOfTheGrammar() {
        String head = "{\"eventID\":\"e\",\"eventName\":\"N\",\"eventSource\":\"s\"";
        List<String> cases = new ArrayList<>(List.of(
                "", " ", "{", "}", "{}", "[]", "null", "1", "\"x\"", head + "}", head + "} ", head + "}\n\t\r", head + "}x",
                head + "}{}", head + "},", head + ",}", head + ",\"a\":}", head + ",\"a\"}", head + ",\"a\":1,}",
                head + ",a:1}", head + ",'a':1}", head + ",\"a\":'x'}", head + ",\"a\":[1,]}", head + ",\"a\":[,1]}",
                head + ",\"a\":[1 2]}", head + ",\"a\":{\"b\":1 \"c\":2}}", head + " , \"a\" : [ 1 , { } , [ ] ] }",
                head + ",\"a\":01}", head + ",\"a\":-0}", head + ",\"a\":-}", head + ",\"a\":1.}", head + ",\"a\":.5}",
                head + ",\"a\":1e}", head + ",\"a\":1e+}", head + ",\"a\":1E-7}", head + ",\"a\":-12.5e+3}",
                head + ",\"a\":+1}", head + ",\"a\":NaN}", head + ",\"a\":Infinity}", head + ",\"a\":tru}",
                head + ",\"a\":truex}", head + ",\"a\":true1}", head + ",\"a\":nul}", head + ",\"a\":null}",
                head + ",\"a\":\"\\u00e9\\n\\/\\\"\\\\\"}", head + ",\"a\":\"\\x\"}", head + ",\"a\":\"\\u12\"}",
                head + ",\"a\":\"\\u12g4\"}", head + ",\"a\":\"tab\there\"}", head + ",\"a\":\"del\u007f\"}",
                head + ",/*c*/\"a\":1}", head + ",\"a\":1//c\n}", head + ",\"a\":1#c\n}",
                head + ",\"\\u0061\":1}", head + ",\"userIdentity\":{\"\\u0074ype\":\"IAMUser\",\"userName\":\"\\u00e9\"}}",
                head + ",\"readOnly\":true}", head + ",\"readOnly\":\"TRUE\"}", head + ",\"readOnly\":1}",
                head + ",\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"arn:aws:sts::1:assumed-role/R/s\","
                        + "\"sessionContext\":{\"sourceIdentity\":null},\"sourceIdentity\":\"top\"}}",
                head + ",\"requestParameters\":{\"domainId\":\"d-a1b2c3d4e5f6\",\"tags\":[1,{\"key\":\"sagemaker:domain-arn\"}]}}",
                head + ",\"resources\":[null,{\"ARN\":7},{\"ARN\":\"arn:aws:sagemaker:us-east-1:1:app/d-f6e5d4c3b2a1/x\"}]}",
                "{\"eventID\":\"\",\"eventName\":\"N\",\"eventSource\":\"s\"}",
                "{\"eventID\":1,\"eventName\":\"N\",\"eventSource\":\"s\"}",
                "\uFEFF" + head + "}"));
        cases.add(head + ",\"a\":" + "[".repeat(999) + "]".repeat(999) + "}");
        cases.add(head + ",\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}");
        cases.add(head + ",\"a\":" + "9".repeat(1000) + "}");
        cases.add(head + ",\"a\":" + "9".repeat(1001) + "}");
        for (String c : cases) {
            compare(c.getBytes(StandardCharsets.UTF_8));
        }
        // raw bytes: bad UTF-8 inside and outside strings
        for (int high : HIGH) {
            for (String tail : new String[] {"", "\u0080", "\u0080\u0080", "\u0080\u0080\u0080", "\u00bf\u00bf\u00bf",
                    "\u0090\u0080\u0080", "\u00a0\u0080", "\u009f\u00bf", "x"}) {
                byte[] inString = (head + ",\"a\":\"?" + tail + "\"}").getBytes(StandardCharsets.ISO_8859_1);
                inString[head.length() + 6] = (byte) high;
                compare(inString);
                byte[] outside = (head + ",\"a\":?}").getBytes(StandardCharsets.ISO_8859_1);
                outside[head.length() + 5] = (byte) high;
                compare(outside);
            }
        }
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
        assertEquals(null, r.errorMessage());
        assertEquals(null, r.userAgent());
    }

    @Test
    void deepNestingFailsCleanlyRatherThanOverflowingTheStack() {
        String deep = "{\"eventID\":\"e\",\"eventName\":\"N\",\"eventSource\":\"s\",\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        var e = assertThrows(MalformedRecordException.class, () -> RecordScanner.scan(bytes(deep), 0, deep.length()));
        assertTrue(e.getMessage().contains("nesting deeper than 1000"), e.getMessage());
    }

    /**
     * True when the scanner accepted. On valid UTF-8 it must agree with Jackson, and give the same result where both
     * accept; bad UTF-8 it must always refuse (Jackson lets some through, see RecordScanner).
     */
    private boolean compare(byte[] json) {
        ActivityRecord ours = null;
        String ourError = null;
        try {
            ours = attributor.attribute(json);
        } catch (MalformedRecordException e) {
            ourError = e.getMessage();
        }
        if (!strictUtf8(json)) {
            if (ourError == null) {
                fail("scanner accepted bad UTF-8: " + show(json));
            }
            return false;
        }
        ActivityRecord theirs = null;
        String theirError = null;
        try {
            theirs = TreeAttribution.attribute(MAPPER, json, LOOKUP);
        } catch (MalformedRecordException e) {
            theirError = e.getMessage();
        }
        if ((ourError == null) != (theirError == null)) {
            fail("scanner " + (ourError == null ? "accepted" : "rejected (" + ourError + ")") + ", Jackson "
                    + (theirError == null ? "accepted" : "rejected (" + theirError + ")") + ": " + show(json, ourError));
        }
        if (ourError == null) {
            assertEquals(theirs, ours, show(json));
        }
        return ourError == null;
    }

    private static byte[] mutate(byte[] seed, Random random, int times) {
        byte[] b = seed;
        for (int t = 0; t < times; t++) {
            int at = random.nextInt(b.length + 1);
            int kind = random.nextInt(6);
            byte value = random.nextInt(4) == 0 ? (byte) HIGH[random.nextInt(HIGH.length)]
                    : INTERESTING[random.nextInt(INTERESTING.length)];
            if (kind == 0 && at < b.length) { // replace
                b = b.clone();
                b[at] = value;
            } else if (kind == 1) { // insert
                byte[] n = new byte[b.length + 1];
                System.arraycopy(b, 0, n, 0, at);
                n[at] = value;
                System.arraycopy(b, at, n, at + 1, b.length - at);
                b = n;
            } else if (kind == 2 && at < b.length) { // delete
                byte[] n = new byte[b.length - 1];
                System.arraycopy(b, 0, n, 0, at);
                System.arraycopy(b, at + 1, n, at, b.length - at - 1);
                b = n;
            } else if (kind == 3) { // truncate
                b = java.util.Arrays.copyOf(b, at);
            } else if (kind == 4 && at < b.length) { // duplicate a short run
                int len = Math.min(1 + random.nextInt(12), b.length - at);
                byte[] n = new byte[b.length + len];
                System.arraycopy(b, 0, n, 0, at + len);
                System.arraycopy(b, at, n, at + len, b.length - at);
                b = n;
            } else if (at < b.length) { // a structural byte where a string byte was, or the reverse
                b = b.clone();
                b[at] = INTERESTING[random.nextInt(12)];
            }
        }
        return b;
    }

    private static boolean strictUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String show(byte[] json) {
        return show(json, null);
    }

    /** The record, or around the byte the scanner complained about. */
    private static String show(byte[] json, String error) {
        String s = new String(json, StandardCharsets.ISO_8859_1);
        int at = error == null || !error.contains(" at byte ") ? 0
                : Integer.parseInt(error.substring(error.lastIndexOf(' ') + 1));
        int from = Math.max(0, at - 300);
        return (from > 0 ? "…" : "") + s.substring(from, Math.min(s.length(), from + 600)).replaceAll("[^ -~]", "¤")
                + "…(" + s.length() + " bytes)";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
