package mlteams.common;

import java.util.List;
import java.util.Map;

/**
 * A validated onboarding request with every default applied. Only the validation step builds one from raw
 * input; every later step receives it as is.
 *
 * <p>{@code members} are the user profile names of the team's people, or null when the request leaves the
 * membership as it is (no {@code members} field). {@code idleTimeoutMinutes} is when idle Studio apps shut down.
 */
public record TeamRequest(
        String teamName,
        String vpcId,
        List<String> subnetIds,
        List<String> securityGroupIds,
        String executionRoleArn,
        String kmsKeyId,
        int logRetentionDays,
        Map<String, String> tags,
        List<String> members,
        int idleTimeoutMinutes) {

    /** The tag every team resource carries, so ownership is visible and scoping policies can use it. */
    public static final String TEAM_TAG = "ml-platform:team";
    /**
     * The tag on a member's user profile naming the person; the people's access policy compares it with their
     * principal tag of the same key, so each opens only their own Studio.
     */
    public static final String MEMBER_TAG = "ml-platform:member";

    /** The caller's tags plus the team tag; ours wins on a clash. */
    public Map<String, String> resourceTags() {
        var all = new java.util.TreeMap<String, String>(tags == null ? Map.of() : tags);
        all.put(TEAM_TAG, teamName);
        return all;
    }
}
