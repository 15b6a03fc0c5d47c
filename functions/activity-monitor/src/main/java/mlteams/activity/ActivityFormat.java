package mlteams.activity;

/**
 * The activity log line for a record: one line of JSON, the fields of {@link ActivityRecord} in their order and
 * under their names, nulls omitted, {@code readOnly} always present. Written by hand (no mapper at cold start), and
 * escaped as Jackson escapes by default, so the line is byte-for-byte what a Jackson mapper would write.
 */
public final class ActivityFormat {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ActivityFormat() {
    }

    public static String json(ActivityRecord r) {
        StringBuilder b = new StringBuilder(768);
        b.append('{');
        boolean first = field(b, true, "eventId", r.eventId());
        first = field(b, first, "eventTime", r.eventTime());
        first = field(b, first, "eventSource", r.eventSource());
        first = field(b, first, "eventName", r.eventName());
        first = field(b, first, "awsRegion", r.awsRegion());
        first = field(b, first, "person", r.person());
        first = field(b, first, "personEvidence", r.personEvidence());
        first = field(b, first, "team", r.team());
        first = field(b, first, "teamEvidence", r.teamEvidence());
        first = field(b, first, "domainId", r.domainId());
        first = field(b, first, "errorCode", r.errorCode());
        first = field(b, first, "errorMessage", r.errorMessage());
        if (!first) {
            b.append(',');
        }
        b.append("\"readOnly\":").append(r.readOnly());
        field(b, false, "sourceIpAddress", r.sourceIpAddress());
        field(b, false, "userAgent", r.userAgent());
        return b.append('}').toString();
    }

    private static boolean field(StringBuilder b, boolean first, String name, String value) {
        if (value == null) {
            return first;
        }
        if (!first) {
            b.append(',');
        }
        b.append('"').append(name).append("\":");
        string(b, value);
        return false;
    }

    /** A JSON string: quote, backslash and control characters escaped; everything else as is. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            b.append(s, start, i);
            start = i + 1;
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        b.append(s, start, n).append('"');
    }
}
