package mlteams.publish;

import java.util.List;
import mlteams.common.TeamRequest;

/**
 * The state after the provisioning and membership steps. Only the fields this step reads are declared; the rest
 * of each result is ignored. {@code resources} is null when only the membership changed (Team Members Changed).
 */
public record PublishInput(TeamRequest request, Resources resources, Members members) {

    /** The membership step's result; null lists when the request left the membership as it was. */
    public record Members(List<String> added, List<String> kept, List<String> removed) {
    }

    public record Resources(Trail trail, LogStream logStream, Domain domain) {
    }

    public record Trail(String trailArn) {
    }

    public record LogStream(String logGroupName, String logStreamName) {
    }

    public record Domain(String domainId, String url) {
    }
}
