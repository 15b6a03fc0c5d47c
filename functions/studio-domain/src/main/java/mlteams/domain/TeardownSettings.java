package mlteams.domain;

import java.util.Map;
import mlteams.common.Env;
import mlteams.common.TeamNames;

/**
 * @param homeEfsRetention what DeleteDomain does with the users' home EFS: Retain (SageMaker's default) or Delete.
 *     Always sent explicitly. A retained EFS keeps its mount targets and blocks deleting the subnets.
 * @param maxSweeps how many times a phase may find resources still going away before offboarding gives up
 */
public record TeardownSettings(String domainPrefix, String homeEfsRetention, int maxSweeps) {

    public static TeardownSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static TeardownSettings from(Map<String, String> env) {
        String retention = Env.optional(env, "HOME_EFS_RETENTION", "Retain");
        if (!retention.equals("Retain") && !retention.equals("Delete")) {
            throw new IllegalStateException("HOME_EFS_RETENTION must be Retain or Delete, not " + retention);
        }
        return new TeardownSettings(Env.optional(env, "DOMAIN_NAME_PREFIX", TeamNames.DEFAULT_DOMAIN_PREFIX), retention,
                Integer.parseInt(Env.optional(env, "TEARDOWN_MAX_SWEEPS", "80")));
    }
}
