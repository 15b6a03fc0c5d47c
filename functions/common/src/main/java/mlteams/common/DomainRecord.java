package mlteams.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The durable record of a team's domain: which team it was and which execution role it gave its people. Onboarding
 * (PublishOutputs) writes it to Parameter Store as {@code <ParameterPrefix>-domains/<domainId>}, a path outside every
 * team's own folder, so offboarding (DeleteTeamParameters, which deletes {@code <ParameterPrefix>/<team>/}) keeps it.
 * The activity monitor reads these records to name the team of a domain that is already deleted, and of an
 * execution role that belongs to exactly one team.
 *
 * @param executionRole the domain's default execution role ARN, as the team's people's sessions name it
 */
public record DomainRecord(String team, String executionRole) {

    /** The folder of every domain record, without a trailing slash (the form GetParametersByPath takes). */
    public static String path(String parameterPrefix) {
        return TeamNames.stripTrailingSlash(parameterPrefix) + "-domains";
    }

    public static String name(String parameterPrefix, String domainId) {
        return path(parameterPrefix) + "/" + domainId;
    }

    /** The domain id of a record's parameter name: its last path segment. */
    public static String domainIdOf(String parameterName) {
        return parameterName.substring(parameterName.lastIndexOf('/') + 1);
    }

    /** The parameter's value: {"team": ..., "executionRole": ...}. */
    public String toJson() {
        Map<String, String> value = new LinkedHashMap<>();
        value.put("team", team);
        value.put("executionRole", executionRole);
        return Json.write(value);
    }

    /** A parameter's value read back; a value that is no record (written by hand, damaged) has a null team. */
    public static DomainRecord parse(String value) {
        try {
            Map<String, Object> map = Json.readMap(value);
            return new DomainRecord(text(map.get("team")), text(map.get("executionRole")));
        } catch (IllegalArgumentException e) {
            return new DomainRecord(null, null);
        }
    }

    private static String text(Object o) {
        return o instanceof String s && !s.isBlank() ? s : null;
    }
}
