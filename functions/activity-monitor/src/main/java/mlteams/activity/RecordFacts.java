package mlteams.activity;

/**
 * What attribution reads from one CloudTrail record, however it was parsed: {@link RecordReader} fills it in the
 * product; the benchmark's databind baseline fills it from a tree. The decision
 * itself ({@link Attribution#decide}) is the same for both.
 */
final class RecordFacts {
    String eventId;
    String eventTime;
    String eventSource;
    String eventName;
    String awsRegion;
    String errorCode;
    String errorMessage;
    boolean readOnly;
    String sourceIpAddress;
    String userAgent;

    // userIdentity
    String identityType;
    String identityArn;
    String identityUserName;
    /** userIdentity.sessionContext.sourceIdentity (where CloudTrail puts it), or userIdentity.sourceIdentity. */
    String sourceIdentity;
    String onBehalfOfUserId;
    /** userIdentity.sessionContext.sessionIssuer.arn: the role an assumed-role session was issued by. */
    String sessionIssuerArn;

    // requestParameters
    String requestUserProfileName;
    String requestDomainId;
    String requestDomainArn;
    /** The value of the {@code sagemaker:domain-arn} tag in requestParameters.tags. */
    String domainArnTag;

    // responseElements
    String responseDomainId;
    String responseDomainArn;

    // resources[].ARN
    String[] resourceArns = NO_ARNS;
    int resourceArnCount;

    private static final String[] NO_ARNS = new String[0];

    void addResourceArn(String arn) {
        if (resourceArnCount == resourceArns.length) {
            resourceArns = java.util.Arrays.copyOf(resourceArns, Math.max(4, resourceArnCount * 2));
        }
        resourceArns[resourceArnCount++] = arn;
    }
}
