package mlteams.activity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads the fields attribution needs from one CloudTrail record with Jackson's streaming parser, skipping the rest
 * (request parameters, TLS details, session attributes) without building anything from it. Jackson's defaults decide
 * what is valid JSON: strict RFC 8259, at most 1,000 levels of nesting. Duplicate keys: the last value wins.
 *
 * <p>It replaced a hand-written scanner that was no faster on the Lambda's whole path (docs/activity-benchmark.md):
 * an audit path is better served by the parser everyone trusts.
 */
final class RecordReader {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final JsonParser p;
    // An EventBridge event's "detail" object, read as the record, and its size in bytes.
    private RecordFacts detail;
    private long detailLength;

    private RecordReader(JsonParser parser) {
        this.p = parser;
    }

    /** One record; throws MalformedRecordException for anything that is not one valid JSON object. */
    static RecordFacts read(byte[] buffer, int offset, int length) {
        return read(buffer, offset, length, false);
    }

    /**
     * The record in an SQS message body, read in one pass: the "detail" object of an EventBridge event, or the body
     * itself when it has no such object (a bare record). Also throws for a record over
     * {@link Attributor#MAX_RECORD_BYTES}.
     */
    static RecordFacts readMessage(byte[] body) {
        return read(body, 0, body.length, true);
    }

    private static RecordFacts read(byte[] buffer, int offset, int length, boolean message) {
        RecordFacts f = new RecordFacts();
        long recordLength;
        try (JsonParser parser = JSON.createParser(buffer, offset, length)) {
            RecordReader r = new RecordReader(parser);
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedRecordException("not valid JSON: no content");
            }
            if (first != JsonToken.START_OBJECT) {
                parser.skipChildren(); // a broken value is "not valid JSON", a valid one "not a JSON object"
                throw new MalformedRecordException("not a JSON object");
            }
            long start = parser.currentTokenLocation().getByteOffset();
            r.record(f, message);
            recordLength = parser.currentLocation().getByteOffset() - start;
            r.end();
            if (r.detail != null) {
                f = r.detail;
                recordLength = r.detailLength;
            }
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedRecordException("unreadable: " + e.getMessage(), e);
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

    /** Nothing but whitespace may follow the record. */
    private void end() {
        try {
            if (p.nextToken() == null) {
                return;
            }
        } catch (IOException e) {
            // not even a token: still trailing content
        }
        throw new MalformedRecordException("trailing content after the record");
    }

    /** @param envelope whether a "detail" object here is the record (the top level of an SQS message body) */
    private void record(RecordFacts f, boolean envelope) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "eventID" -> f.eventId = required(t);
                case "eventName" -> f.eventName = required(t);
                case "eventSource" -> f.eventSource = required(t);
                case "eventTime" -> f.eventTime = scalar(t);
                case "awsRegion" -> f.awsRegion = scalar(t);
                case "errorCode" -> f.errorCode = scalar(t);
                case "errorMessage" -> f.errorMessage = scalar(t);
                case "sourceIPAddress" -> f.sourceIpAddress = scalar(t);
                case "userAgent" -> f.userAgent = scalar(t);
                case "readOnly" -> f.readOnly = t == JsonToken.VALUE_TRUE
                        || t == JsonToken.VALUE_STRING && "true".equalsIgnoreCase(p.getText());
                case "userIdentity" -> {
                    if (t == JsonToken.START_OBJECT) {
                        userIdentity(f);
                    } else {
                        p.skipChildren();
                    }
                }
                case "requestParameters" -> {
                    if (t == JsonToken.START_OBJECT) {
                        request(f);
                    } else {
                        p.skipChildren();
                    }
                }
                case "responseElements" -> {
                    if (t == JsonToken.START_OBJECT) {
                        response(f);
                    } else {
                        p.skipChildren();
                    }
                }
                case "resources" -> {
                    if (t == JsonToken.START_ARRAY) {
                        resources(f);
                    } else {
                        p.skipChildren();
                    }
                }
                case "detail" -> {
                    if (envelope && t == JsonToken.START_OBJECT) {
                        long start = p.currentTokenLocation().getByteOffset();
                        detail = new RecordFacts();
                        record(detail, false);
                        detailLength = p.currentLocation().getByteOffset() - start;
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private void userIdentity(RecordFacts f) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "type" -> f.identityType = scalar(t);
                case "arn" -> f.identityArn = scalar(t);
                case "userName" -> f.identityUserName = scalar(t);
                case "sourceIdentity" -> {
                    String s = scalar(t);
                    if (f.sourceIdentity == null) {
                        f.sourceIdentity = s;
                    }
                }
                case "sessionContext" -> {
                    if (t == JsonToken.START_OBJECT) {
                        sessionContext(f);
                    } else {
                        p.skipChildren();
                    }
                }
                case "onBehalfOf" -> f.onBehalfOfUserId = t == JsonToken.START_OBJECT ? onlyField("userId") : skip();
                default -> p.skipChildren();
            }
        }
    }

    private void sessionContext(RecordFacts f) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "sourceIdentity" -> {
                    String s = scalar(t);
                    if (s != null) {
                        f.sourceIdentity = s; // where CloudTrail puts it; wins over a top-level copy
                    }
                }
                case "sessionIssuer" -> f.sessionIssuerArn = t == JsonToken.START_OBJECT ? onlyField("arn") : skip();
                default -> p.skipChildren();
            }
        }
    }

    private void request(RecordFacts f) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "domainId" -> f.requestDomainId = scalar(t);
                case "domainArn" -> f.requestDomainArn = scalar(t);
                case "userProfileName" -> f.requestUserProfileName = scalar(t);
                case "tags" -> {
                    if (t == JsonToken.START_ARRAY) {
                        tags(f);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    /** requestParameters.tags: [{"key": …, "value": …}] (CloudTrail's casing; "Key"/"Value" accepted too). */
    private void tags(RecordFacts f) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String key = null;
            String value = null;
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken v = p.nextToken();
                switch (name) {
                    case "key", "Key" -> key = scalar(v);
                    case "value", "Value" -> value = scalar(v);
                    default -> p.skipChildren();
                }
            }
            if ("sagemaker:domain-arn".equals(key) && f.domainArnTag == null) {
                f.domainArnTag = value;
            }
        }
    }

    private void response(RecordFacts f) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "domainId" -> f.responseDomainId = scalar(t);
                case "domainArn" -> f.responseDomainArn = scalar(t);
                default -> p.skipChildren();
            }
        }
    }

    private void resources(RecordFacts f) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken v = p.nextToken();
                if (name.equals("ARN") || name.equals("arn")) {
                    String arn = scalar(v);
                    if (arn != null) {
                        f.addResourceArn(arn);
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    /** The one wanted field of an object (last occurrence wins); everything else in it is skipped. */
    private String onlyField(String wanted) throws IOException {
        String found = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (name.equals(wanted)) {
                found = scalar(t);
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    /** A scalar's text as written (null for null); an object or array where a scalar belongs gives null. */
    private String scalar(JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        return t == JsonToken.VALUE_NULL ? null : p.getText();
    }

    /** eventID, eventName and eventSource are non-empty strings in every CloudTrail record. */
    private String required(JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            p.skipChildren();
            return null;
        }
        String s = p.getText();
        return s.isEmpty() ? null : s;
    }

    private String skip() throws IOException {
        p.skipChildren();
        return null;
    }
}
