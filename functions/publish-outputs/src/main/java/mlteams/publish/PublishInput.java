package mlteams.publish;

import mlteams.common.TeamRequest;

/**
 * The state after the parallel provisioning steps. Only the fields this step reads are declared; the rest
 * of each result is ignored.
 */
public record PublishInput(TeamRequest request, Resources resources) {

    public record Resources(Trail trail, LogStream logStream, Domain domain) {
    }

    public record Trail(String trailArn) {
    }

    public record LogStream(String logGroupName, String logStreamName) {
    }

    public record Domain(String domainId, String url) {
    }
}
