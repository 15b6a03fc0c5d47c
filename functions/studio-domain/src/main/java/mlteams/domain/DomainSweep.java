package mlteams.domain;

/**
 * Offboarding's view of a team's domain between steps. Each teardown phase deletes what it can and reports how
 * many of its resources remain; the state machine waits and calls it again until none do.
 *
 * @param found false when the team has no domain (never onboarded, or already offboarded)
 * @param phase the phase that produced this state; a new phase starts counting attempts from zero
 */
public record DomainSweep(boolean found, String domainId, String domainName, String phase, int attempt, int remaining) {
}
