package mlteams.activity;

/**
 * One attributed CloudTrail record. {@code person}/{@code team} are null when unattributed; the evidence fields say
 * which rule decided (see {@link Attributor}), and are null exactly when the matching value is.
 *
 * @param domainId the SageMaker domain the record is about: the one that gave the team, or else the first domain
 *                 id the record names (kept for forensics even when it resolves to no team)
 * @param unattributedReason why no team was named, exactly when team is null: the domain is no team's, the execution
 *                 role is shared by several teams, or the record names neither
 */
public record ActivityRecord(String eventId, String eventTime, String eventSource, String eventName, String awsRegion,
        String person, String personEvidence, String team, String teamEvidence, String domainId,
        String unattributedReason,
        String errorCode, String errorMessage, boolean readOnly, String sourceIpAddress, String userAgent) {

    /** Both a person and a team were found. */
    public boolean attributed() {
        return person != null && team != null;
    }
}
