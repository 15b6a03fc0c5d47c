package mlteams.activity;

import java.util.Optional;

/** Resolves a team from SageMaker identifiers; implementations cache. */
public interface TeamLookup {

    /** The team whose domain this is; empty when the id is no team's domain (unknown, deleted, not ours). */
    Optional<String> teamOfDomain(String domainId);
}
