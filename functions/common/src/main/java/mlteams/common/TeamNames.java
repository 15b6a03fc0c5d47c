package mlteams.common;

/**
 * Every name derived from a team name, in one place. The validation step's team-name rule is chosen so that
 * each of these is valid for its service (see {@code RequestRules}).
 */
public final class TeamNames {

    /** Deployment-wide prefixes; defaults match template.yaml. */
    public static final String DEFAULT_LOG_GROUP_PREFIX = "/ml-teams";
    public static final String DEFAULT_PARAMETER_PREFIX = "/ml-teams";
    public static final String DEFAULT_DOMAIN_PREFIX = "ml-team-";
    public static final String LOG_STREAM_NAME = "user-activity";
    /**
     * The activity monitor's Embedded Metric Format namespace, which the team alarms and dashboards read: writer
     * and readers take the same default from here.
     */
    public static final String DEFAULT_ACTIVITY_NAMESPACE = "MLPlatform/Activity";

    private TeamNames() {
    }

    public static String logGroupName(String prefix, String teamName) {
        return stripTrailingSlash(prefix) + "/" + teamName + "/activity";
    }

    public static String domainName(String prefix, String teamName) {
        return prefix + teamName;
    }

    /** The folder of the team's parameters, ending in a slash. */
    public static String parameterPath(String prefix, String teamName) {
        return stripTrailingSlash(prefix) + "/" + teamName + "/";
    }

    static String stripTrailingSlash(String prefix) {
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }
}
