package mlteams.activity;

import java.nio.charset.StandardCharsets;

/**
 * Reads the fields attribution needs from one CloudTrail record's UTF-8 bytes in a single pass, and checks the rest
 * is valid JSON without building anything from it: a record is mostly request parameters, TLS details and session
 * attributes that attribution never looks at, and a general parser spends its time naming and decoding those.
 *
 * <p>Strict RFC 8259 JSON, as Jackson reads it by default: no comments, trailing commas, single quotes, leading zeros,
 * NaN or unescaped control characters; escapes checked in every string, skipped or not; at most 1,000 levels of
 * nesting, 1,000-character numbers and 50,000-byte names (Jackson's default limits). Stricter than Jackson on one
 * point: every string must be valid UTF-8 (RFC 3629), where Jackson lets overlong forms and encoded surrogates
 * through, and can even misread a field name holding a stray byte as another name. A UTF-8 byte order mark is
 * skipped. {@code RecordScannerTest} holds it to Jackson on tens of thousands of damaged records.
 *
 * <p>Duplicate keys: the last value wins, field by field.
 */
final class RecordScanner {

    static final int MAX_DEPTH = 1000;
    static final int MAX_NUMBER_LENGTH = 1000;
    static final int MAX_NAME_LENGTH = 50_000;

    // Keys, by level. Indexes are the constants below each table.
    private static final byte[][] TOP = keys("eventID", "eventName", "eventSource", "eventTime", "awsRegion", "errorCode",
            "errorMessage", "sourceIPAddress", "userAgent", "readOnly", "userIdentity", "requestParameters",
            "responseElements", "resources", "detail");
    private static final int EVENT_ID = 0, EVENT_NAME = 1, EVENT_SOURCE = 2, EVENT_TIME = 3, AWS_REGION = 4,
            ERROR_CODE = 5, ERROR_MESSAGE = 6, SOURCE_IP = 7, USER_AGENT = 8, READ_ONLY = 9, USER_IDENTITY = 10,
            REQUEST = 11, RESPONSE = 12, RESOURCES = 13, DETAIL = 14;
    private static final byte[][] IDENTITY = keys("type", "arn", "userName", "sourceIdentity", "sessionContext", "onBehalfOf");
    private static final int TYPE = 0, ARN = 1, USER_NAME = 2, SOURCE_IDENTITY = 3, SESSION_CONTEXT = 4, ON_BEHALF_OF = 5;
    private static final byte[][] REQUEST_KEYS = keys("domainId", "domainArn", "userProfileName", "tags");
    private static final int DOMAIN_ID = 0, DOMAIN_ARN = 1, USER_PROFILE_NAME = 2, TAGS = 3;
    private static final byte[][] RESPONSE_KEYS = keys("domainId", "domainArn");
    private static final byte[][] TAG_KEYS = keys("key", "Key", "value", "Value");
    private static final byte[][] RESOURCE_KEYS = keys("ARN", "arn");
    private static final byte[][] SOURCE_IDENTITY_KEY = keys("sourceIdentity");
    private static final byte[][] USER_ID_KEY = keys("userId");

    /** Per byte: 0 = plain ASCII in a string; 1 = quote or backslash; 2/3/4 = UTF-8 lead byte; -1 = not allowed. */
    private static final byte[] STRING_BYTES = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            STRING_BYTES[c] = (byte) (c < 0x20 ? -1 : c == '"' || c == '\\' ? 1 : c < 0x80 ? 0
                    : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : -1);
        }
    }

    private final byte[] b;
    private final int end;
    private int pos;
    private int depth;
    // Where the last string's content starts and ends, and whether it holds escapes or non-ASCII bytes.
    private int strStart;
    private int strEnd;
    private boolean strPlain;
    // Where the last number or literal ends (before any whitespace after it).
    private int tokenEnd;
    // An EventBridge event's "detail" object, read as the record, and its size in bytes.
    private RecordFacts detail;
    private int detailLength;

    private RecordScanner(byte[] buffer, int offset, int length) {
        this.b = buffer;
        this.pos = offset;
        this.end = offset + length;
    }

    /** The record's facts; throws MalformedRecordException for anything that is not one valid JSON object. */
    static RecordFacts scan(byte[] buffer, int offset, int length) {
        return scan(buffer, offset, length, false);
    }

    /**
     * The facts of the record in an SQS message body, read in one pass: the "detail" object of an EventBridge event,
     * or the body itself when it has no such object (a bare record). Throws MalformedRecordException as scan does, and
     * for a record over {@link Attributor#MAX_RECORD_BYTES}.
     */
    static RecordFacts scanMessage(byte[] body) {
        return scan(body, 0, body.length, true);
    }

    private static RecordFacts scan(byte[] buffer, int offset, int length, boolean message) {
        RecordScanner s = new RecordScanner(buffer, offset, length);
        if (length >= 3 && (buffer[offset] & 0xFF) == 0xEF && (buffer[offset + 1] & 0xFF) == 0xBB
                && (buffer[offset + 2] & 0xFF) == 0xBF) {
            s.pos += 3;
        }
        s.skipWhitespace();
        if (s.pos >= s.end) {
            throw new MalformedRecordException("not valid JSON: no content");
        }
        if (s.b[s.pos] != '{') {
            s.skipValue(); // a broken value is "not valid JSON", a valid one "not a JSON object"
            throw new MalformedRecordException("not a JSON object");
        }
        RecordFacts f = new RecordFacts();
        int start = s.pos;
        s.top(f, message);
        s.skipWhitespace();
        if (s.pos < s.end) {
            throw new MalformedRecordException("trailing content after the record");
        }
        int recordLength = s.pos - start;
        if (s.detail != null) {
            f = s.detail;
            recordLength = s.detailLength;
        }
        if (f.eventId == null || f.eventName == null || f.eventSource == null) {
            throw new MalformedRecordException("not a CloudTrail record: it lacks "
                    + (f.eventId == null ? "eventID" : f.eventName == null ? "eventName" : "eventSource"));
        }
        if (message && recordLength > Attributor.MAX_RECORD_BYTES) {
            throw Attributor.oversized(recordLength);
        }
        return f;
    }

    // ---- the record's shape

    /** @param envelope whether a "detail" object here is the record (the top level of an SQS message body) */
    private void top(RecordFacts f, boolean envelope) {
        if (enterObject()) {
            do {
                int key = key(TOP);
                switch (key) {
                    case EVENT_ID -> f.eventId = requiredString();
                    case EVENT_NAME -> f.eventName = requiredString();
                    case EVENT_SOURCE -> f.eventSource = requiredString();
                    case EVENT_TIME -> f.eventTime = scalar();
                    case AWS_REGION -> f.awsRegion = scalar();
                    case ERROR_CODE -> f.errorCode = scalar();
                    case ERROR_MESSAGE -> f.errorMessage = scalar();
                    case SOURCE_IP -> f.sourceIpAddress = scalar();
                    case USER_AGENT -> f.userAgent = scalar();
                    case READ_ONLY -> f.readOnly = readOnly();
                    case USER_IDENTITY -> {
                        if (peek() == '{') {
                            userIdentity(f);
                        } else {
                            skipValue();
                        }
                    }
                    case REQUEST -> {
                        if (peek() == '{') {
                            request(f);
                        } else {
                            skipValue();
                        }
                    }
                    case RESPONSE -> {
                        if (peek() == '{') {
                            response(f);
                        } else {
                            skipValue();
                        }
                    }
                    case RESOURCES -> {
                        if (peek() == '[') {
                            resources(f);
                        } else {
                            skipValue();
                        }
                    }
                    case DETAIL -> {
                        if (envelope && peek() == '{') {
                            int start = pos;
                            detail = new RecordFacts();
                            top(detail, false);
                            detailLength = pos - start; // pos is just past its '}'

                        } else {
                            skipValue();
                        }
                    }
                    default -> skipValue();
                }
            } while (nextMember('}'));
        }
    }

    private void userIdentity(RecordFacts f) {
        if (!enterObject()) {
            return;
        }
        do {
            switch (key(IDENTITY)) {
                case TYPE -> f.identityType = scalar();
                case ARN -> f.identityArn = scalar();
                case USER_NAME -> f.identityUserName = scalar();
                case SOURCE_IDENTITY -> {
                    String s = scalar();
                    if (f.sourceIdentity == null) {
                        f.sourceIdentity = s;
                    }
                }
                case SESSION_CONTEXT -> {
                    if (peek() == '{') {
                        String s = onlyField(SOURCE_IDENTITY_KEY);
                        if (s != null) {
                            f.sourceIdentity = s; // where CloudTrail puts it; wins over a top-level copy
                        }
                    } else {
                        skipValue();
                    }
                }
                case ON_BEHALF_OF -> {
                    if (peek() == '{') {
                        f.onBehalfOfUserId = onlyField(USER_ID_KEY);
                    } else {
                        skipValue();
                    }
                }
                default -> skipValue();
            }
        } while (nextMember('}'));
    }

    private void request(RecordFacts f) {
        if (!enterObject()) {
            return;
        }
        do {
            switch (key(REQUEST_KEYS)) {
                case DOMAIN_ID -> f.requestDomainId = scalar();
                case DOMAIN_ARN -> f.requestDomainArn = scalar();
                case USER_PROFILE_NAME -> f.requestUserProfileName = scalar();
                case TAGS -> {
                    if (peek() == '[') {
                        tags(f);
                    } else {
                        skipValue();
                    }
                }
                default -> skipValue();
            }
        } while (nextMember('}'));
    }

    /** requestParameters.tags: [{"key": …, "value": …}] (CloudTrail's casing; "Key"/"Value" accepted too). */
    private void tags(RecordFacts f) {
        if (!enterArray()) {
            return;
        }
        do {
            if (peek() != '{') {
                skipValue();
                continue;
            }
            String key = null;
            String value = null;
            if (enterObject()) {
                do {
                    switch (key(TAG_KEYS)) {
                        case 0, 1 -> key = scalar();
                        case 2, 3 -> value = scalar();
                        default -> skipValue();
                    }
                } while (nextMember('}'));
            }
            if ("sagemaker:domain-arn".equals(key) && f.domainArnTag == null) {
                f.domainArnTag = value;
            }
        } while (nextMember(']'));
    }

    private void response(RecordFacts f) {
        if (!enterObject()) {
            return;
        }
        do {
            switch (key(RESPONSE_KEYS)) {
                case DOMAIN_ID -> f.responseDomainId = scalar();
                case DOMAIN_ARN -> f.responseDomainArn = scalar();
                default -> skipValue();
            }
        } while (nextMember('}'));
    }

    private void resources(RecordFacts f) {
        if (!enterArray()) {
            return;
        }
        do {
            if (peek() != '{') {
                skipValue();
                continue;
            }
            if (enterObject()) {
                do {
                    if (key(RESOURCE_KEYS) >= 0) {
                        String arn = scalar();
                        if (arn != null) {
                            f.addResourceArn(arn);
                        }
                    } else {
                        skipValue();
                    }
                } while (nextMember('}'));
            }
        } while (nextMember(']'));
    }

    /** The one wanted string field of an object (last occurrence wins); everything else in it is skipped. */
    private String onlyField(byte[][] wanted) {
        String found = null;
        if (enterObject()) {
            do {
                if (key(wanted) == 0) {
                    found = scalar();
                } else {
                    skipValue();
                }
            } while (nextMember('}'));
        }
        return found;
    }

    // ---- values

    /** A scalar's text (null for null); an object or array where a scalar belongs is skipped and gives null. */
    private String scalar() {
        int c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '{' || c == '[') {
            skipValue();
            return null;
        }
        if (c == 'n') {
            literal("null");
            return null;
        }
        int start = pos;
        skipValue();
        return new String(b, start, tokenEnd - start, StandardCharsets.ISO_8859_1); // a number, true or false: ASCII
    }

    /** eventID, eventName and eventSource are non-empty strings in every CloudTrail record. */
    private String requiredString() {
        if (peek() != '"') {
            skipValue();
            return null;
        }
        String s = string();
        return s.isEmpty() ? null : s;
    }

    private boolean readOnly() {
        int c = peek();
        if (c == 't') {
            literal("true");
            return true;
        }
        if (c == '"') {
            return "true".equalsIgnoreCase(string());
        }
        skipValue();
        return false;
    }

    private void skipValue() {
        int c = peek();
        switch (c) {
            case '"' -> skipString();
            case '{' -> {
                if (enterObject()) {
                    do {
                        skipKey();
                        skipValue();
                    } while (nextMember('}'));
                }
            }
            case '[' -> {
                if (enterArray()) {
                    do {
                        skipValue();
                    } while (nextMember(']'));
                }
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    number();
                } else {
                    throw invalid(c < 0 ? "unexpected end of input" : "unexpected character " + describe(c));
                }
            }
        }
    }

    // ---- structure

    /** After '{': true when the object has members (the first key is next), false when it was empty. */
    private boolean enterObject() {
        pos++; // the '{' that peek() saw
        if (++depth > MAX_DEPTH) {
            throw invalid("nesting deeper than " + MAX_DEPTH);
        }
        if (peek() == '}') {
            pos++;
            depth--;
            return false;
        }
        return true;
    }

    private boolean enterArray() {
        pos++;
        if (++depth > MAX_DEPTH) {
            throw invalid("nesting deeper than " + MAX_DEPTH);
        }
        if (peek() == ']') {
            pos++;
            depth--;
            return false;
        }
        return true;
    }

    /** After a member: true when a comma follows (another member is next), false at the closing bracket. */
    private boolean nextMember(char close) {
        int c = peek();
        if (c == ',') {
            pos++;
            skipWhitespace();
            return true;
        }
        if (c == close) {
            pos++;
            depth--;
            return false;
        }
        throw invalid(c < 0 ? "unexpected end of input" : "expected ',' or '" + close + "', got " + describe(c));
    }

    /** Reads a member's key and its colon; the index of the key in the table, or -1. */
    private int key(byte[][] table) {
        if (peek() != '"') {
            throw invalid("expected a quoted field name");
        }
        scanString();
        if (strEnd - strStart > MAX_NAME_LENGTH) {
            throw invalid("field name longer than " + MAX_NAME_LENGTH + " bytes");
        }
        int found = -1;
        if (strPlain) {
            int length = strEnd - strStart;
            for (int i = 0; i < table.length; i++) {
                byte[] k = table[i];
                if (k.length == length && regionEquals(k)) {
                    found = i;
                    break;
                }
            }
        } else {
            String name = decode(strStart, strEnd);
            for (int i = 0; i < table.length; i++) {
                if (name.equals(new String(table[i], StandardCharsets.ISO_8859_1))) {
                    found = i;
                    break;
                }
            }
        }
        colon();
        return found;
    }

    private void skipKey() {
        if (peek() != '"') {
            throw invalid("expected a quoted field name");
        }
        scanString();
        if (strEnd - strStart > MAX_NAME_LENGTH) {
            throw invalid("field name longer than " + MAX_NAME_LENGTH + " bytes");
        }
        colon();
    }

    private void colon() {
        if (peek() != ':') {
            throw invalid("expected ':' after a field name");
        }
        pos++;
        skipWhitespace();
    }

    private boolean regionEquals(byte[] k) {
        for (int i = 0, j = strStart; i < k.length; i++, j++) {
            if (k[i] != b[j]) {
                return false;
            }
        }
        return true;
    }

    // ---- strings

    private String string() {
        scanString();
        return strPlain ? new String(b, strStart, strEnd - strStart, StandardCharsets.ISO_8859_1) : decode(strStart, strEnd);
    }

    private void skipString() {
        scanString();
    }

    /**
     * Checks the string at pos (its opening quote) and moves past it, noting where its content is and whether it is
     * plain ASCII without escapes.
     */
    private void scanString() {
        int p = pos + 1;
        strStart = p;
        boolean plain = true;
        final byte[] buf = b;
        final byte[] kinds = STRING_BYTES;
        final int limit = end;
        while (true) {
            while (p < limit && kinds[buf[p] & 0xFF] == 0) { // the common case, kept tight
                p++;
            }
            if (p >= limit) {
                pos = p;
                throw invalid("unexpected end of input in a string");
            }
            int c = buf[p] & 0xFF;
            int kind = kinds[c];
            if (c == '"') {
                strEnd = p;
                pos = p + 1;
                strPlain = plain;
                skipWhitespace();
                return;
            }
            plain = false;
            if (c == '\\') {
                p = escape(p + 1);
            } else if (kind >= 2) {
                p = utf8(p, kind);
            } else {
                pos = p;
                throw invalid(c < 0x20 ? "unescaped control character " + describe(c) + " in a string"
                        : "invalid UTF-8 start byte " + describe(c));
            }
        }
    }

    /** Checks the escape after a backslash at p; returns the position after it. */
    private int escape(int p) {
        if (p >= end) {
            pos = p;
            throw invalid("unexpected end of input in an escape");
        }
        switch (b[p]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return p + 1;
            }
            case 'u' -> {
                for (int i = 1; i <= 4; i++) {
                    if (p + i >= end || Character.digit(b[p + i], 16) < 0) {
                        pos = p;
                        throw invalid("\\u not followed by 4 hex digits");
                    }
                }
                return p + 5;
            }
            default -> {
                pos = p;
                throw invalid("unrecognised escape \\" + describe(b[p] & 0xFF));
            }
        }
    }

    /**
     * Checks the UTF-8 sequence led by the byte at p, as RFC 3629 defines it (no overlong forms, no surrogates,
     * nothing past U+10FFFF); returns the position after it.
     */
    private int utf8(int p, int length) {
        int lead = b[p] & 0xFF;
        if (p + length > end) {
            pos = p;
            throw invalid("unexpected end of input in a UTF-8 sequence");
        }
        int second = b[p + 1] & 0xFF;
        boolean ok = switch (lead) {
            case 0xC0, 0xC1 -> false;                  // overlong
            case 0xE0 -> second >= 0xA0;               // overlong
            case 0xED -> second < 0xA0;                // surrogates
            case 0xF0 -> second >= 0x90;               // overlong
            case 0xF4 -> second < 0x90;                // past U+10FFFF
            default -> lead < 0xF5;
        };
        if (!ok) {
            pos = p;
            throw invalid("invalid UTF-8 sequence starting " + describe(lead));
        }
        for (int i = 1; i < length; i++) {
            if ((b[p + i] & 0xC0) != 0x80) {
                pos = p + i;
                throw invalid("invalid UTF-8 continuation byte " + describe(b[p + i] & 0xFF));
            }
        }
        return p + length;
    }

    /** The content of a checked string holding escapes or non-ASCII bytes. */
    private String decode(int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        int p = from;
        while (p < to) {
            int run = p;
            while (p < to && b[p] != '\\') {
                p++;
            }
            if (p > run) {
                out.append(new String(b, run, p - run, StandardCharsets.UTF_8));
            }
            if (p < to) { // a backslash, checked by escape()
                byte e = b[p + 1];
                switch (e) {
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(new String(b, p + 2, 4, StandardCharsets.ISO_8859_1), 16));
                        p += 4;
                    }
                    default -> out.append((char) e); // " \ /
                }
                p += 2;
            }
        }
        return out.toString();
    }

    // ---- numbers and literals

    /** -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
    private void number() {
        int start = pos;
        int p = pos;
        if (p < end && b[p] == '-') {
            p++;
        }
        if (p >= end || !digit(b[p])) {
            pos = p;
            throw invalid("a number needs a digit");
        }
        if (b[p] == '0') {
            p++;
            if (p < end && digit(b[p])) {
                pos = p;
                throw invalid("leading zero in a number");
            }
        } else {
            while (p < end && digit(b[p])) {
                p++;
            }
        }
        if (p < end && b[p] == '.') {
            p++;
            if (p >= end || !digit(b[p])) {
                pos = p;
                throw invalid("decimal point not followed by a digit");
            }
            while (p < end && digit(b[p])) {
                p++;
            }
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            if (p >= end || !digit(b[p])) {
                pos = p;
                throw invalid("exponent not followed by a digit");
            }
            while (p < end && digit(b[p])) {
                p++;
            }
        }
        if (p - start > MAX_NUMBER_LENGTH) {
            pos = start;
            throw invalid("number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        pos = p;
        endOfToken();
    }

    private void literal(String word) {
        int n = word.length();
        if (end - pos < n) {
            throw invalid("unrecognised token");
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                throw invalid("unrecognised token");
            }
        }
        pos += n;
        endOfToken();
    }

    /** A number or literal must end at whitespace, a separator, a closing bracket, or the end of input. */
    private void endOfToken() {
        tokenEnd = pos;
        if (pos < end) {
            int c = b[pos] & 0xFF;
            if (c != ',' && c != '}' && c != ']' && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                throw invalid("unexpected character " + describe(c) + " after a value");
            }
        }
        skipWhitespace();
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    // ---- bytes

    /** The next byte after whitespace (unsigned), or -1 at the end. */
    private int peek() {
        skipWhitespace();
        return pos < end ? b[pos] & 0xFF : -1;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private static String describe(int c) {
        return c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("0x%02X", c);
    }

    private MalformedRecordException invalid(String what) {
        return new MalformedRecordException("not valid JSON: " + what + " at byte " + pos);
    }

    private static byte[][] keys(String... names) {
        byte[][] keys = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            keys[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return keys;
    }
}
