package mlteams.activity;

import java.util.Optional;
import java.util.Set;

/** Resolves a team from SageMaker identifiers; implementations cache. */
public interface TeamLookup {

    /** The team whose domain this is; empty when the id is no team's domain (unknown, not ours). */
    Optional<String> teamOfDomain(String domainId);

    /**
     * The teams whose domains give their people this execution role (an IAM role ARN), sorted; empty when none does.
     * A lookup that knows no roles (SnapStart priming's, fixed test lookups) says none.
     */
    default Set<String> teamsOfExecutionRole(String roleArn) {
        return Set.of();
    }
}
