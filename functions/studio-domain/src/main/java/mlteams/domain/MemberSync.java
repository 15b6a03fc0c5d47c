package mlteams.domain;

import java.util.List;

/**
 * The membership step's state between sweeps: which members it added, kept and is removing, and how many of the
 * removed members' apps, private spaces or profiles are still going away. The state machine's Choice reads
 * {@code remaining}. The lists are null when the request left the membership as it was.
 *
 * @param phase what is still going away: apps, spaces, userProfiles; done when nothing is
 */
public record MemberSync(String domainId, List<String> added, List<String> kept, List<String> removed,
        String phase, int attempt, int remaining) {
}
