package mlteams.trail;

import java.util.List;

/**
 * What the trail step did. {@code repaired} names each setting that had drifted and was put back.
 */
public record TrailResult(String trailName, String trailArn, boolean created, List<String> repaired,
        boolean startedLogging, boolean logging) {
}
