package mlteams.record;

import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamNames;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * A team's onboarding record in Parameter Store, under {@code <prefix>/<team>/}: {@code status}
 * ({@code ONBOARDING}, {@code ONBOARDED}, {@code OFFBOARDING}, {@code FAILED}) and {@code status-reason}, what the
 * last execution did and why it failed if it did. Which execution holds the team is {@link TeamClaims}' part.
 */
public final class TeamRecord {

    public static final String STATUS = "status";
    public static final String STATUS_REASON = "status-reason";
    /** Standard-tier parameters hold 4 KB; causes are cut to fit. */
    private static final int MAX_REASON = 4000;

    private final SsmClient ssm;
    private final String prefix;

    public TeamRecord(SsmClient ssm, String prefix) {
        this.ssm = ssm;
        this.prefix = prefix;
    }

    /** What a newly claimed team is going through, and for which execution. */
    public void recordStart(String team, String executionId, String purpose, StepLog log) {
        write(team, STATUS, purpose);
        write(team, STATUS_REASON, purpose.toLowerCase() + " by " + executionId);
        log.info("Claimed team %s for %s", team, purpose.toLowerCase());
    }

    public void recordSuccess(String team, String executionId, String status, StepLog log) {
        write(team, STATUS, status);
        write(team, STATUS_REASON, status.toLowerCase() + " by " + executionId);
        log.info("Recorded team %s as %s", team, status);
    }

    public void recordFailure(String team, String executionId, String error, String cause, StepLog log) {
        write(team, STATUS, "FAILED");
        String reason = error + ": " + cause + " (" + executionId + ")";
        write(team, STATUS_REASON, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        log.warn("Recorded failure of team %s: %s", team, error);
    }

    /** Offboarding: deletes every parameter of the team (outputs, status). Returns how many; none left is success. */
    public int deleteAll(String team, StepLog log) {
        java.util.List<String> names = ssm.getParametersByPathPaginator(r -> r.path(TeamNames.parameterPath(prefix, team))
                        .recursive(true)).stream()
                .flatMap(page -> page.parameters().stream())
                .map(Parameter::name)
                .toList();
        for (int from = 0; from < names.size(); from += 10) { // DeleteParameters takes at most 10 names
            java.util.List<String> batch = names.subList(from, Math.min(from + 10, names.size()));
            ssm.deleteParameters(r -> r.names(batch));
        }
        log.info("Deleted %d parameter(s) of team %s", names.size(), team);
        return names.size();
    }

    /**
     * SnapStart priming for the offboarding step: GetParametersByPath under the path of a team that cannot exist,
     * which finds nothing. Read-only: nothing is deleted.
     *
     * @return how many parameters that path holds: none
     */
    public int primeDeleteAll(StepLog log) {
        String path = TeamNames.parameterPath(prefix, SnapStartPriming.PROBE_TEAM);
        GetParametersByPathResponse page = SnapStartPriming.attempt(log, "GetParametersByPath",
                () -> ssm.getParametersByPath(r -> r.path(path).recursive(true)
                        .overrideConfiguration(SnapStartPriming.REQUEST)));
        return page == null ? 0 : page.parameters().size();
    }

    private void write(String team, String key, String value) {
        ssm.putParameter(r -> r.name(name(team, key)).value(value).type(ParameterType.STRING).overwrite(true));
    }

    private String name(String team, String key) {
        return TeamNames.parameterPath(prefix, team) + key;
    }
}
