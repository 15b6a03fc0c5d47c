package mlteams.activity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Objects;

/**
 * Decides the person and the team of one CloudTrail record, and says which evidence decided.
 *
 * <p>Person, first evidence that is present wins:
 * <ol>
 *   <li>{@code sourceIdentity}: userIdentity.sessionContext.sourceIdentity (or userIdentity.sourceIdentity), the
 *       Studio user profile name when the domain's ExecutionRoleIdentityConfig is USER_PROFILE_NAME;</li>
 *   <li>{@code onBehalfOf}: userIdentity.onBehalfOf.userId (IAM Identity Center);</li>
 *   <li>{@code requestUserProfile}: requestParameters.userProfileName of a Studio sign-in
 *       (CreatePresignedDomainUrl), a request made for exactly that user;</li>
 *   <li>{@code iamUser}: userIdentity.userName of an IAMUser, or {@code assumedRoleSession}: the session name (after
 *       the last '/') of an AssumedRole's ARN.</li>
 * </ol>
 * Team: the first SageMaker domain the record names that {@link TeamLookup} knows, looked for in
 * requestParameters.domainId/domainArn ({@code requestDomain}), the {@code sagemaker:domain-arn} tag in
 * requestParameters.tags ({@code domainArnTag}), responseElements.domainId/domainArn ({@code responseDomain}), then
 * resources[].ARN of a domain, user profile, space or app ({@code resourceDomain}).
 *
 * <p>Nothing is guessed: without evidence the value and its evidence stay null, and the record is returned
 * unattributed, never dropped. The record is read with a streaming parser that keeps only those fields; everything
 * else is skipped, though still checked to be valid JSON. Thread-safe if the lookup is.
 */
public final class Attributor {

    /** CloudTrail delivers no event over 256 KB to EventBridge or CloudWatch Logs. */
    public static final int MAX_RECORD_BYTES = 256 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final TeamLookup lookup;

    public Attributor(TeamLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** One CloudTrail record (a JSON object, as in a log file's Records[] or an EventBridge event's detail). */
    public ActivityRecord attribute(String recordJson) {
        if (recordJson == null) {
            throw new MalformedRecordException("no record");
        }
        checkSize(utf8Length(recordJson));
        try (JsonParser p = JSON.createParser(recordJson)) {
            return decide(p);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new MalformedRecordException("unreadable record: " + e.getMessage(), e);
        }
    }

    /** Same, from the record's UTF-8 bytes, for the fast path. */
    public ActivityRecord attribute(byte[] recordJson) {
        if (recordJson == null) {
            throw new MalformedRecordException("no record");
        }
        return attribute(recordJson, 0, recordJson.length);
    }

    /** Same, from a slice of a larger buffer (a record inside a log file). */
    ActivityRecord attribute(byte[] buffer, int offset, int length) {
        checkSize(length);
        try (JsonParser p = JSON.createParser(buffer, offset, length)) {
            return decide(p);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new MalformedRecordException("unreadable record: " + e.getMessage(), e);
        }
    }

    private ActivityRecord decide(JsonParser p) throws IOException {
        RecordFacts facts = read(p);
        return Attribution.decide(facts, lookup);
    }

    /** Reads the fields attribution needs; fails on anything that is not one complete CloudTrail JSON object. */
    static RecordFacts read(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new MalformedRecordException(first == null ? "not valid JSON: no content" : "not a JSON object");
        }
        RecordFacts f = new RecordFacts();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "eventID" -> f.eventId = requiredString(p, v);
                case "eventName" -> f.eventName = requiredString(p, v);
                case "eventSource" -> f.eventSource = requiredString(p, v);
                case "eventTime" -> f.eventTime = scalar(p, v);
                case "awsRegion" -> f.awsRegion = scalar(p, v);
                case "errorCode" -> f.errorCode = scalar(p, v);
                case "errorMessage" -> f.errorMessage = scalar(p, v);
                case "sourceIPAddress" -> f.sourceIpAddress = scalar(p, v);
                case "userAgent" -> f.userAgent = scalar(p, v);
                case "readOnly" -> f.readOnly = v == JsonToken.VALUE_TRUE
                        || v == JsonToken.VALUE_STRING && "true".equalsIgnoreCase(p.getText());
                case "userIdentity" -> {
                    if (v == JsonToken.START_OBJECT) {
                        readUserIdentity(p, f);
                    } else {
                        p.skipChildren();
                    }
                }
                case "requestParameters" -> {
                    if (v == JsonToken.START_OBJECT) {
                        readRequest(p, f);
                    } else {
                        p.skipChildren();
                    }
                }
                case "responseElements" -> {
                    if (v == JsonToken.START_OBJECT) {
                        readResponse(p, f);
                    } else {
                        p.skipChildren();
                    }
                }
                case "resources" -> {
                    if (v == JsonToken.START_ARRAY) {
                        readResources(p, f);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new MalformedRecordException("not a JSON object");
        }
        if (p.nextToken() != null) {
            throw new MalformedRecordException("trailing content after the record");
        }
        if (f.eventId == null || f.eventName == null || f.eventSource == null) {
            throw new MalformedRecordException("not a CloudTrail record: it lacks "
                    + (f.eventId == null ? "eventID" : f.eventName == null ? "eventName" : "eventSource"));
        }
        return f;
    }

    private static void readUserIdentity(JsonParser p, RecordFacts f) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "type" -> f.identityType = scalar(p, v);
                case "arn" -> f.identityArn = scalar(p, v);
                case "userName" -> f.identityUserName = scalar(p, v);
                case "sourceIdentity" -> {
                    String s = scalar(p, v);
                    if (f.sourceIdentity == null) {
                        f.sourceIdentity = s;
                    }
                }
                case "sessionContext" -> {
                    if (v == JsonToken.START_OBJECT) {
                        String s = stringField(p, "sourceIdentity");
                        if (s != null) {
                            f.sourceIdentity = s; // where CloudTrail puts it; wins over a top-level copy
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "onBehalfOf" -> {
                    if (v == JsonToken.START_OBJECT) {
                        f.onBehalfOfUserId = stringField(p, "userId");
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static void readRequest(JsonParser p, RecordFacts f) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "domainId" -> f.requestDomainId = scalar(p, v);
                case "domainArn" -> f.requestDomainArn = scalar(p, v);
                case "userProfileName" -> f.requestUserProfileName = scalar(p, v);
                case "tags" -> {
                    if (v == JsonToken.START_ARRAY) {
                        readTags(p, f);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    /** requestParameters.tags: [{"key": …, "value": …}] (CloudTrail's casing; "Key"/"Value" accepted too). */
    private static void readTags(JsonParser p, RecordFacts f) throws IOException {
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
                    case "key", "Key" -> key = scalar(p, v);
                    case "value", "Value" -> value = scalar(p, v);
                    default -> p.skipChildren();
                }
            }
            if ("sagemaker:domain-arn".equals(key) && f.domainArnTag == null) {
                f.domainArnTag = value;
            }
        }
    }

    private static void readResponse(JsonParser p, RecordFacts f) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            switch (name) {
                case "domainId" -> f.responseDomainId = scalar(p, v);
                case "domainArn" -> f.responseDomainArn = scalar(p, v);
                default -> p.skipChildren();
            }
        }
    }

    private static void readResources(JsonParser p, RecordFacts f) throws IOException {
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
                    String arn = scalar(p, v);
                    if (arn != null) {
                        f.addResourceArn(arn);
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    /** One string field of the current object; the rest of the object is skipped. */
    private static String stringField(JsonParser p, String wanted) throws IOException {
        String found = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if (name.equals(wanted)) {
                found = scalar(p, v);
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    /** A scalar's text (null for null); an object or array where a scalar belongs is skipped and gives null. */
    private static String scalar(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        return v == JsonToken.VALUE_NULL ? null : p.getText();
    }

    /** eventID, eventName and eventSource are non-empty strings in every CloudTrail record. */
    private static String requiredString(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            String s = p.getText();
            return s.isEmpty() ? null : s;
        }
        p.skipChildren();
        return null;
    }

    private static void checkSize(long bytes) {
        if (bytes > MAX_RECORD_BYTES) {
            throw new MalformedRecordException("oversized record: " + bytes + " bytes, over CloudTrail's "
                    + MAX_RECORD_BYTES + "-byte limit for EventBridge and CloudWatch Logs");
        }
    }

    /** The UTF-8 length, computed only when the character count alone cannot decide the size check. */
    private static long utf8Length(String s) {
        int n = s.length();
        if (n > MAX_RECORD_BYTES || (long) n * 3 <= MAX_RECORD_BYTES) {
            return n;
        }
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static MalformedRecordException notJson(JsonProcessingException e) {
        return new MalformedRecordException("not valid JSON: " + e.getOriginalMessage(), e);
    }
}
