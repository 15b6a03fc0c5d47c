package mlteams.activity;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The straightforward way, for comparison: jackson-databind reads the whole record into a tree, the same facts are
 * taken from the tree, and the same rules ({@link Attribution#decide}) applied, with the same malformed-record
 * checks. The benchmark's databind baseline.
 */
final class TreeAttribution {

    private TreeAttribution() {
    }

    static ActivityRecord attribute(ObjectMapper mapper, byte[] json, TeamLookup lookup) {
        return Attribution.decide(facts(parse(mapper, json)), lookup);
    }

    /** An SQS message body: an EventBridge event's detail, or the body itself if it has none. */
    static ActivityRecord message(ObjectMapper mapper, String body, TeamLookup lookup) {
        JsonNode n = parse(mapper, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonNode detail = n.get("detail");
        return Attribution.decide(facts(detail != null && detail.isObject() ? detail : n), lookup);
    }

    private static JsonNode parse(ObjectMapper mapper, byte[] json) {
        if (json.length > Attributor.MAX_RECORD_BYTES) {
            throw new MalformedRecordException("oversized record");
        }
        JsonNode n;
        try (JsonParser parser = mapper.createParser(json)) {
            n = mapper.readTree(parser);
            if (n != null && parser.nextToken() != null) {
                throw new MalformedRecordException("trailing content after the record");
            }
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedRecordException("unreadable: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new MalformedRecordException(n == null ? "not valid JSON: no content" : "not a JSON object");
        }
        return n;
    }

    private static RecordFacts facts(JsonNode n) {
        RecordFacts f = new RecordFacts();
        f.eventId = required(n.get("eventID"));
        f.eventName = required(n.get("eventName"));
        f.eventSource = required(n.get("eventSource"));
        if (f.eventId == null || f.eventName == null || f.eventSource == null) {
            throw new MalformedRecordException("not a CloudTrail record");
        }
        f.eventTime = text(n.get("eventTime"));
        f.awsRegion = text(n.get("awsRegion"));
        f.errorCode = text(n.get("errorCode"));
        f.errorMessage = text(n.get("errorMessage"));
        f.sourceIpAddress = text(n.get("sourceIPAddress"));
        f.userAgent = text(n.get("userAgent"));
        JsonNode readOnly = n.get("readOnly");
        f.readOnly = readOnly != null && (readOnly.isBoolean() ? readOnly.booleanValue()
                : readOnly.isTextual() && "true".equalsIgnoreCase(readOnly.textValue()));

        JsonNode identity = n.path("userIdentity");
        if (identity.isObject()) {
            f.identityType = text(identity.get("type"));
            f.identityArn = text(identity.get("arn"));
            f.identityUserName = text(identity.get("userName"));
            f.sourceIdentity = text(identity.path("sessionContext").get("sourceIdentity"));
            f.sessionIssuerArn = text(identity.path("sessionContext").path("sessionIssuer").get("arn"));
            if (f.sourceIdentity == null) {
                f.sourceIdentity = text(identity.get("sourceIdentity"));
            }
            f.onBehalfOfUserId = text(identity.path("onBehalfOf").get("userId"));
        }
        JsonNode request = n.path("requestParameters");
        if (request.isObject()) {
            f.requestDomainId = text(request.get("domainId"));
            f.requestDomainArn = text(request.get("domainArn"));
            f.requestUserProfileName = text(request.get("userProfileName"));
            for (JsonNode tag : request.path("tags")) {
                if (tag.isObject()) {
                    String key = text(tag.has("Key") ? tag.get("Key") : tag.get("key"));
                    if ("sagemaker:domain-arn".equals(key) && f.domainArnTag == null) {
                        f.domainArnTag = text(tag.has("Value") ? tag.get("Value") : tag.get("value"));
                    }
                }
            }
        }
        JsonNode response = n.path("responseElements");
        if (response.isObject()) {
            f.responseDomainId = text(response.get("domainId"));
            f.responseDomainArn = text(response.get("domainArn"));
        }
        if (n.path("resources").isArray()) {
            for (JsonNode resource : n.path("resources")) {
                if (resource.isObject()) {
                    String arn = text(resource.has("arn") ? resource.get("arn") : resource.get("ARN"));
                    if (arn != null) {
                        f.addResourceArn(arn);
                    }
                }
            }
        }
        return f;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    private static String required(JsonNode node) {
        return node != null && node.isTextual() && !node.textValue().isEmpty() ? node.textValue() : null;
    }
}
