package mlteams.record;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.TeamNames;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * A team's onboarding record under {@code <prefix>/<team>/}:
 * <ul>
 *   <li>{@code lock}: the claim. Creating a parameter without Overwrite is atomic, so of two executions for
 *       one team only one creates it; it holds that execution's id. A claim older than the TTL belongs to an
 *       execution that died without its failure path (timed out or was stopped) and may be taken over.</li>
 *   <li>{@code status} ({@code ONBOARDING}, {@code ONBOARDED}, {@code OFFBOARDING}, {@code FAILED}) and
 *       {@code status-reason}: what the last execution did, and why it failed if it did.</li>
 * </ul>
 */
public final class TeamRecord {

    public static final String LOCK = "lock";
    public static final String STATUS = "status";
    public static final String STATUS_REASON = "status-reason";
    /** Standard-tier parameters hold 4 KB; causes are cut to fit. */
    private static final int MAX_REASON = 4000;

    private final SsmClient ssm;
    private final String prefix;
    private final Duration lockTtl;
    private final Clock clock;

    public TeamRecord(SsmClient ssm, String prefix, Duration lockTtl, Clock clock) {
        this.ssm = ssm;
        this.prefix = prefix;
        this.lockTtl = lockTtl;
        this.clock = clock;
    }

    /** @return whether this execution holds the team now, and who does */
    public Claim claim(String team, String executionId, String purpose, StepLog log) {
        String lock = name(team, LOCK);
        boolean claimed;
        try {
            ssm.putParameter(r -> r.name(lock).value(executionId).type(ParameterType.STRING));
            claimed = true;
        } catch (ParameterAlreadyExistsException held) {
            Parameter current = ssm.getParameter(r -> r.name(lock)).parameter();
            if (current.value().equals(executionId)) {
                claimed = true; // our own claim, seen again on a retry of this step
            } else if (current.lastModifiedDate().plus(lockTtl).isBefore(Instant.now(clock))) {
                log.warn("Claim on %s by %s is older than %s; taking it over", team, current.value(), lockTtl);
                ssm.putParameter(r -> r.name(lock).value(executionId).type(ParameterType.STRING).overwrite(true));
                claimed = executionId.equals(ssm.getParameter(r -> r.name(lock)).parameter().value());
            } else {
                log.info("Team %s is being worked on by %s; this execution stops here", team, current.value());
                return new Claim(false, current.value());
            }
        }
        if (claimed) {
            write(team, STATUS, purpose);
            write(team, STATUS_REASON, purpose.toLowerCase() + " by " + executionId);
            log.info("Claimed team %s for %s", team, purpose.toLowerCase());
        }
        return new Claim(claimed, claimed ? executionId : ssm.getParameter(r -> r.name(lock)).parameter().value());
    }

    public void recordSuccess(String team, String executionId, String status, StepLog log) {
        write(team, STATUS, status);
        write(team, STATUS_REASON, status.toLowerCase() + " by " + executionId);
        release(team, executionId, log);
    }

    public void recordFailure(String team, String executionId, String error, String cause, StepLog log) {
        write(team, STATUS, "FAILED");
        String reason = error + ": " + cause + " (" + executionId + ")";
        write(team, STATUS_REASON, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        log.warn("Recorded failure of team %s: %s", team, error);
        release(team, executionId, log);
    }

    /** Deletes the claim if this execution holds it; a claim already gone is fine. */
    public void release(String team, String executionId, StepLog log) {
        String lock = name(team, LOCK);
        try {
            if (executionId.equals(ssm.getParameter(r -> r.name(lock)).parameter().value())) {
                ssm.deleteParameter(r -> r.name(lock));
                log.info("Released team %s", team);
            }
        } catch (ParameterNotFoundException gone) {
            // nothing to release
        }
    }

    /**
     * Offboarding: deletes every parameter of the team (outputs, status) except the claim, which the last step
     * releases. Returns how many were deleted; none left is success.
     */
    public int deleteAll(String team, StepLog log) {
        String lock = name(team, LOCK);
        java.util.List<String> names = ssm.getParametersByPathPaginator(r -> r.path(TeamNames.parameterPath(prefix, team))
                        .recursive(true)).stream()
                .flatMap(page -> page.parameters().stream())
                .map(Parameter::name)
                .filter(name -> !name.equals(lock))
                .toList();
        for (int from = 0; from < names.size(); from += 10) { // DeleteParameters takes at most 10 names
            java.util.List<String> batch = names.subList(from, Math.min(from + 10, names.size()));
            ssm.deleteParameters(r -> r.names(batch));
        }
        log.info("Deleted %d parameter(s) of team %s", names.size(), team);
        return names.size();
    }

    /** The execution the claim and outcome steps' priming inputs name: a run of no deployed state machine. */
    static final String PRIMING_EXECUTION_ID =
            "arn:aws:states:us-east-1:123456789012:execution:ml-platform-onboard-team:snapstart-priming";

    /**
     * SnapStart priming for the claim and outcome steps: GetParameter of the lock of a team that cannot exist
     * ({@link SnapStartPriming#PROBE_TEAM}), which answers not found. Read-only: nothing is put or deleted.
     *
     * @return the execution that holds the probe team's lock: none
     */
    public String primeLock(StepLog log) {
        String lock = name(SnapStartPriming.PROBE_TEAM, LOCK);
        Parameter held = SnapStartPriming.attempt(log, "GetParameter", () -> ssm.getParameter(r -> r.name(lock)
                .overrideConfiguration(SnapStartPriming.REQUEST)).parameter());
        return held == null ? null : held.value();
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
