package mlteams.activity;

import java.nio.charset.StandardCharsets;
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
 * resources[].ARN of a domain, user profile, space or app ({@code resourceDomain}); last, the caller's execution role,
 * userIdentity.sessionContext.sessionIssuer.arn, when it belongs to exactly one team ({@code executionRole}). A role
 * shared by several teams is no evidence: the team stays null and {@link ActivityRecord#unattributedReason} says why.
 *
 * <p>Nothing is guessed: without evidence the value and its evidence stay null, and the record is returned
 * unattributed, never dropped. The record is read in one pass of Jackson's streaming parser ({@link RecordReader})
 * that keeps only those fields; everything else is skipped, though still checked to be valid JSON. An exception from the lookup
 * (SageMaker unreachable, throttled, access denied) propagates: such a record should be retried, not filed as
 * unattributed. Thread-safe if the lookup is.
 */
public final class Attributor {

    /** CloudTrail delivers no event over 256 KB to EventBridge or CloudWatch Logs. */
    public static final int MAX_RECORD_BYTES = 256 * 1024;

    private final TeamLookup lookup;

    public Attributor(TeamLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * One CloudTrail record (a JSON object, as in a log file's Records[] or an EventBridge event's detail). Parsed
     * from its UTF-8 bytes, like {@link #attribute(byte[])}: one parser for both, and an exact size check.
     */
    public ActivityRecord attribute(String recordJson) {
        if (recordJson == null) {
            throw new MalformedRecordException("no record");
        }
        return attribute(recordJson.getBytes(StandardCharsets.UTF_8));
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
        return Attribution.decide(RecordReader.read(buffer, offset, length), lookup);
    }

    /**
     * The record in an SQS message body: an EventBridge "AWS API Call via CloudTrail" event's detail, or the body
     * itself if it is a bare record. The body is read once.
     */
    public ActivityRecord attributeMessage(String body) {
        if (body == null) {
            throw new MalformedRecordException("no record");
        }
        return Attribution.decide(RecordReader.readMessage(body.getBytes(StandardCharsets.UTF_8)), lookup);
    }

    private static void checkSize(long bytes) {
        if (bytes > MAX_RECORD_BYTES) {
            throw oversized(bytes);
        }
    }

    static MalformedRecordException oversized(long bytes) {
        return new MalformedRecordException("oversized record: " + bytes + " bytes, over CloudTrail's "
                + MAX_RECORD_BYTES + "-byte limit for EventBridge and CloudWatch Logs");
    }
}
