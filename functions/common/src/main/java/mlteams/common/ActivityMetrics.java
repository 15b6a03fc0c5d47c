package mlteams.common;

import java.util.Set;

/**
 * The activity metric's {@code Action} dimension. Every distinct (Team, Action) pair the activity monitor writes as
 * EMF is a custom metric billed by the month, and the activity rule lets through every mutating SageMaker call and
 * every denied one: some 380 operations, so as many metrics per team. Only the signal actions below get their own
 * value; the rest are counted under {@link #OTHER}, with the operation still named in the log line's eventName. The
 * team's metric filters and alarms read eventName from the line, so they see every operation whatever this says;
 * each action they name is a signal action too (TeamMonitoringTest), so the dashboard's per-action chart shows them.
 */
public final class ActivityMetrics {

    /** The Action value of every operation that is not a signal action. */
    public static final String OTHER = "Other";

    /** Sign-ins, work started, and changes to a team's domain, people, apps and serving. */
    public static final Set<String> SIGNAL_ACTIONS = Set.of(
            "CreatePresignedDomainUrl",
            "CreateTrainingJob", "CreateProcessingJob", "CreateTransformJob", "CreateHyperParameterTuningJob",
            "StartPipelineExecution",
            "CreateDomain", "UpdateDomain", "DeleteDomain",
            "CreateUserProfile", "UpdateUserProfile", "DeleteUserProfile",
            "CreateSpace", "DeleteSpace", "CreateApp", "DeleteApp",
            "CreateModel", "CreateEndpoint", "UpdateEndpoint", "DeleteEndpoint");

    private ActivityMetrics() {
    }

    /** The Action dimension's value for an operation (a CloudTrail eventName). */
    public static String action(String eventName) {
        return SIGNAL_ACTIONS.contains(eventName) ? eventName : OTHER;
    }
}
