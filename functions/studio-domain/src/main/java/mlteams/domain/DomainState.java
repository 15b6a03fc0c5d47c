package mlteams.domain;

import java.util.List;

/**
 * The domain as the workflow tracks it between polls. The state machine's Choice reads {@code ready}; the
 * Wait reads {@code poll.waitSeconds}.
 *
 * @param drifted mutable settings that differ from the request on an adopted domain (reported, not changed)
 */
public record DomainState(String domainId, String domainArn, String domainName, String url, String status,
        boolean ready, boolean created, List<String> drifted, Poll poll) {

    /** Polling progress: a doubling wait, capped, with the total so far. */
    public record Poll(int attempt, int waitSeconds, int elapsedSeconds) {
    }

    DomainState withStatus(String newStatus, String newUrl, Poll newPoll) {
        return new DomainState(domainId, domainArn, domainName, newUrl, newStatus, "InService".equals(newStatus),
                created, drifted, newPoll);
    }
}
