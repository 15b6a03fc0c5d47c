package mlteams.activity;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainRequest;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;

/**
 * Looks teams up through SageMaker: DescribeDomain(domainId).DomainName minus the prefix. Domains are named
 * {@code <prefix><team>} by onboarding; a domain whose name lacks the prefix, or whose rest is no valid team name,
 * is no team's.
 *
 * <p>Cached, including misses. A domain's id and name never change, so a hit is kept for the life of the process.
 * A miss is kept for {@link #DEFAULT_MISS_TTL}: a domain can be invisible to DescribeDomain for a few seconds after
 * CreateDomain, and its first events may arrive sooner than that. The cache holds at most {@link #MAX_ENTRIES} ids
 * and starts over when full.
 *
 * <p>"Not found" (ResourceNotFound, and ValidationException, which SageMaker gives for an id that cannot exist)
 * is a miss. Any other error (throttling after the SDK's retries, access denied, I/O) propagates and is not cached:
 * the record fails rather than being filed as unattributed.
 */
public final class SageMakerTeamLookup implements TeamLookup {

    public static final Duration DEFAULT_MISS_TTL = Duration.ofMinutes(5);
    static final int MAX_ENTRIES = 10_000;

    private static final Pattern TEAM_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private final SageMakerClient sageMaker;
    private final String domainPrefix;
    private final long missTtlNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    private record Entry(Optional<String> team, long expiresAtNanos) {
    }

    public SageMakerTeamLookup(SageMakerClient sageMaker, String domainPrefix) {
        this(sageMaker, domainPrefix, DEFAULT_MISS_TTL, System::nanoTime);
    }

    SageMakerTeamLookup(SageMakerClient sageMaker, String domainPrefix, Duration missTtl, LongSupplier nanoClock) {
        this.sageMaker = sageMaker;
        this.domainPrefix = domainPrefix == null ? "" : domainPrefix;
        this.missTtlNanos = missTtl.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public Optional<String> teamOfDomain(String domainId) {
        if (!DomainIds.isDomainId(domainId)) {
            return Optional.empty();
        }
        Entry cached = cache.get(domainId);
        long now = nanoClock.getAsLong();
        if (cached != null && (cached.team.isPresent() || now - cached.expiresAtNanos < 0)) {
            return cached.team;
        }
        Optional<String> team = describe(domainId, null);
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(domainId, new Entry(team, now + missTtlNanos));
        return team;
    }

    /**
     * SnapStart priming's lookup: DescribeDomain through the same code as {@link #teamOfDomain}, with SnapStart
     * priming's per-request settings and without the cache, for {@link SnapStartPriming#PROBE_DOMAIN_ID} only (not
     * found, so no team); any other id is no team's without a call, so priming never asks about a real domain.
     * Read-only.
     */
    TeamLookup forPriming(StepLog log) {
        return domainId -> {
            if (!SnapStartPriming.PROBE_DOMAIN_ID.equals(domainId)) {
                return Optional.empty();
            }
            Optional<String> team = SnapStartPriming.attempt(log, "DescribeDomain",
                    () -> describe(domainId, SnapStartPriming.REQUEST));
            return team == null ? Optional.empty() : team;
        };
    }

    /** @param request per-request settings: none for records, SnapStart priming's for priming */
    private Optional<String> describe(String domainId, AwsRequestOverrideConfiguration request) {
        String name;
        try {
            name = sageMaker.describeDomain(DescribeDomainRequest.builder().domainId(domainId)
                    .overrideConfiguration(request).build()).domainName();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (AwsServiceException e) {
            if (e.awsErrorDetails() != null && "ValidationException".equals(e.awsErrorDetails().errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
        return teamOfDomainName(name);
    }

    Optional<String> teamOfDomainName(String domainName) {
        if (domainName == null || !domainName.startsWith(domainPrefix)) {
            return Optional.empty();
        }
        String team = domainName.substring(domainPrefix.length());
        return TEAM_NAME.matcher(team).matches() ? Optional.of(team) : Optional.empty();
    }
}
