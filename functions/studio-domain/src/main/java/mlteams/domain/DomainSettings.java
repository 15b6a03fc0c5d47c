package mlteams.domain;

import java.util.Map;
import mlteams.common.Env;
import mlteams.common.TeamNames;

/**
 * @param namePrefix the domain name is this plus the team name
 * @param sharingS3Uri where Studio shares notebook output; the team name is appended as a folder
 * @param appNetworkAccessType VpcOnly (default: no direct internet from Studio) or PublicInternetOnly
 * @param pollInitialSeconds first wait before checking a new domain's status
 * @param pollMaxIntervalSeconds the cap of the doubling wait
 * @param pollTimeoutSeconds total wait after which onboarding gives up on a domain that is not in service
 */
public record DomainSettings(String namePrefix, String sharingS3Uri, String appNetworkAccessType,
        int pollInitialSeconds, int pollMaxIntervalSeconds, int pollTimeoutSeconds) {

    public static DomainSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static DomainSettings from(Map<String, String> env) {
        return new DomainSettings(
                Env.optional(env, "DOMAIN_NAME_PREFIX", TeamNames.DEFAULT_DOMAIN_PREFIX),
                Env.required(env, "SHARING_S3_URI"),
                Env.optional(env, "APP_NETWORK_ACCESS_TYPE", "VpcOnly"),
                Integer.parseInt(Env.optional(env, "POLL_INITIAL_SECONDS", "60")),
                Integer.parseInt(Env.optional(env, "POLL_MAX_INTERVAL_SECONDS", "240")),
                Integer.parseInt(Env.optional(env, "POLL_TIMEOUT_SECONDS", "2700")));
    }

    public String domainName(String teamName) {
        return TeamNames.domainName(namePrefix, teamName);
    }

    public String sharingPath(String teamName) {
        return (sharingS3Uri.endsWith("/") ? sharingS3Uri : sharingS3Uri + "/") + teamName + "/";
    }
}
