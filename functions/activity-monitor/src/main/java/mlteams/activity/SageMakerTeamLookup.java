package mlteams.activity;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import mlteams.common.DomainRecord;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainRequest;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Looks teams up through SageMaker: DescribeDomain(domainId).DomainName minus the prefix. Domains are named
 * {@code <prefix><team>} by onboarding; a domain whose name lacks the prefix, or whose rest is no valid team name,
 * is no team's. A domain DescribeDomain does not find (deleted, offboarded) is looked up in the domain records
 * onboarding keeps in Parameter Store ({@link DomainRecord}), which also say which teams each execution role is
 * given to ({@link #teamsOfExecutionRole}).
 *
 * <p>The domain records are read whole (GetParametersByPath, ten per page) and kept for {@link #RECORDS_TTL}: a
 * batch costs no call, a refresh at most one read of the records per five minutes. A team onboarded since the last
 * refresh has its role known at the next one; its domain is found by DescribeDomain meanwhile.
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
    public static final Duration RECORDS_TTL = Duration.ofMinutes(5);
    static final int MAX_ENTRIES = 10_000;

    private static final Pattern TEAM_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private final SageMakerClient sageMaker;
    private final SsmClient ssm;
    private final String domainPrefix;
    private final String parameterPrefix;
    private final long missTtlNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    private volatile Records records;

    private record Entry(Optional<String> team, long expiresAtNanos) {
    }

    /** The domain records as last read: team by domain id, teams by execution role. */
    private record Records(Map<String, String> teamByDomain, Map<String, Set<String>> teamsByRole, long readAtNanos) {
    }

    public SageMakerTeamLookup(SageMakerClient sageMaker, SsmClient ssm, String domainPrefix, String parameterPrefix) {
        this(sageMaker, ssm, domainPrefix, parameterPrefix, DEFAULT_MISS_TTL, System::nanoTime);
    }

    SageMakerTeamLookup(SageMakerClient sageMaker, SsmClient ssm, String domainPrefix, String parameterPrefix,
            Duration missTtl, LongSupplier nanoClock) {
        this.sageMaker = sageMaker;
        this.ssm = ssm;
        this.parameterPrefix = parameterPrefix;
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
        if (team.isEmpty()) {
            team = Optional.ofNullable(records(now).teamByDomain().get(domainId)); // deleted since onboarding?
        }
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(domainId, new Entry(team, now + missTtlNanos));
        return team;
    }

    @Override
    public Set<String> teamsOfExecutionRole(String roleArn) {
        return Collections.unmodifiableSet(records(nanoClock.getAsLong()).teamsByRole().getOrDefault(roleArn, Set.of()));
    }

    /** The domain records, read again when older than {@link #RECORDS_TTL}; one thread reads, the others wait. */
    private Records records(long now) {
        Records current = records;
        if (current != null && now - current.readAtNanos() < RECORDS_TTL.toNanos()) {
            return current;
        }
        synchronized (this) {
            current = records;
            if (current != null && now - current.readAtNanos() < RECORDS_TTL.toNanos()) {
                return current;
            }
            records = read(DomainRecord.path(parameterPrefix), null, now);
            return records;
        }
    }

    /** @param request per-request settings: none for records, SnapStart priming's for priming */
    private Records read(String path, AwsRequestOverrideConfiguration request, long now) {
        Map<String, String> teamByDomain = new HashMap<>();
        Map<String, Set<String>> teamsByRole = new HashMap<>();
        for (var page : ssm.getParametersByPathPaginator(r -> r.path(path).recursive(false)
                .overrideConfiguration(request))) {
            for (var parameter : page.parameters()) {
                DomainRecord record = DomainRecord.parse(parameter.value());
                if (record.team() == null) {
                    continue;
                }
                teamByDomain.put(DomainRecord.domainIdOf(parameter.name()), record.team());
                if (record.executionRole() != null) {
                    teamsByRole.computeIfAbsent(record.executionRole(), k -> new TreeSet<>()).add(record.team());
                }
            }
        }
        return new Records(teamByDomain, teamsByRole, now);
    }

    /**
     * SnapStart priming's lookup: DescribeDomain, then the domain records, through the same code as
     * {@link #teamOfDomain}, with SnapStart priming's per-request settings and without the caches, for
     * {@link SnapStartPriming#PROBE_DOMAIN_ID} only (not found, so no team); the records are read under the probe's
     * own path, which holds none. Any other id is no team's without a call, so priming never asks about a real domain
     * or reads a real record. Read-only.
     */
    TeamLookup forPriming(StepLog log) {
        return domainId -> {
            if (!SnapStartPriming.PROBE_DOMAIN_ID.equals(domainId)) {
                return Optional.empty();
            }
            Optional<String> team = SnapStartPriming.attempt(log, "DescribeDomain",
                    () -> describe(domainId, SnapStartPriming.REQUEST));
            SnapStartPriming.attempt(log, "GetParametersByPath", () -> read(DomainRecord.name(parameterPrefix, domainId),
                    SnapStartPriming.REQUEST, nanoClock.getAsLong()));
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
