package mlteams.common;

import java.util.List;
import java.util.Map;

/**
 * A validated onboarding request with every default applied. Only the validation step builds one from raw
 * input; every later step receives it as is.
 */
public record TeamRequest(
        String teamName,
        String vpcId,
        List<String> subnetIds,
        List<String> securityGroupIds,
        String executionRoleArn,
        String kmsKeyId,
        int logRetentionDays,
        Map<String, String> tags) {

    /** The tag every team resource carries, so ownership is visible and scoping policies can use it. */
    public static final String TEAM_TAG = "ml-platform:team";

    /** The caller's tags plus the team tag; ours wins on a clash. */
    public Map<String, String> resourceTags() {
        var all = new java.util.TreeMap<String, String>(tags == null ? Map.of() : tags);
        all.put(TEAM_TAG, teamName);
        return all;
    }
}
