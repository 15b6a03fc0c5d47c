package mlteams.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.DomainRecord;
import mlteams.local.peers.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.AuthMode;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Against real domains and domain records in moto; the SageMaker and SSM clients are wrapped only to count the calls
 * that reach them.
 */
class SageMakerTeamLookupTest {

    private final MotoServer moto = MotoServer.shared();
    private static final String SHARED_ROLE = "arn:aws:iam::123456789012:role/ml-platform-studio-execution";
    private static final String OWN_ROLE = "arn:aws:iam::123456789012:role/ml-team-forecasting-execution";

    private SageMakerClient sageMaker;
    private SsmClient ssm;
    private final AtomicInteger describes = new AtomicInteger();
    private final AtomicInteger recordReads = new AtomicInteger();
    private final AtomicLong now = new AtomicLong();
    private SageMakerTeamLookup lookup;

    @BeforeEach
    void emptyAccount() {
        moto.reset();
        ClientSettings settings = ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1);
        sageMaker = AwsClients.build(SageMakerClient.builder(), settings);
        ssm = AwsClients.build(SsmClient.builder(), settings);
        lookup = new SageMakerTeamLookup(counting(sageMaker), counting(ssm), "ml-team-", "/ml-teams",
                Duration.ofMinutes(5), now::get);
    }

    @AfterEach
    void close() {
        sageMaker.close();
        ssm.close();
    }

    @Test
    void aTeamsDomainGivesTheTeamAndIsAskedOnce() {
        String cv = domain("ml-team-computer-vision");
        String nlp = domain("ml-team-nlp-research");

        assertEquals(Optional.of("computer-vision"), lookup.teamOfDomain(cv));
        assertEquals(Optional.of("nlp-research"), lookup.teamOfDomain(nlp));
        now.addAndGet(Duration.ofDays(30).toNanos());
        assertEquals(Optional.of("computer-vision"), lookup.teamOfDomain(cv));
        assertEquals(2, describes.get());
    }

    @Test
    void aDomainNotNamedForATeamIsNoTeams() {
        assertEquals(Optional.empty(), lookup.teamOfDomain(domain("data-science-sandbox")));
        assertEquals(Optional.empty(), lookup.teamOfDomain(domain("ml-team-")));
        assertEquals(Optional.empty(), lookup.teamOfDomain(domain("ml-team-Bad--name")));
    }

    @Test
    void anUnknownDomainIsAMissCachedForAWhile() {
        assertEquals(Optional.empty(), lookup.teamOfDomain("d-0deleted0001"));
        assertEquals(Optional.empty(), lookup.teamOfDomain("d-0deleted0001"));
        assertEquals(1, describes.get());

        now.addAndGet(Duration.ofMinutes(6).toNanos());
        assertEquals(Optional.empty(), lookup.teamOfDomain("d-0deleted0001"));
        assertEquals(2, describes.get());
    }

    @Test
    void aMissIsAskedAgainAfterItsTtlSoADomainThatWasNotYetVisibleIsFound() {
        // A domain can be invisible to DescribeDomain for seconds after CreateDomain: simulate that by asking for an
        // id before the domain exists. moto's domain ids derive from the name, so the id is known in advance.
        String id = "d-ml-team-late";
        assertEquals(Optional.empty(), lookup.teamOfDomain(id));
        assertEquals(id, domain("ml-team-late"), "moto's id scheme changed; pick another way to know the id");
        assertEquals(Optional.empty(), lookup.teamOfDomain(id));
        now.addAndGet(Duration.ofMinutes(6).toNanos());
        assertEquals(Optional.of("late"), lookup.teamOfDomain(id));
    }

    @Test
    void somethingThatIsNoDomainIdIsNeverAskedFor() {
        for (String id : new String[] {null, "", "d-", "d-UPPER", "x-abc", "d-abc-", "d-a/b"}) {
            assertEquals(Optional.empty(), lookup.teamOfDomain(id), String.valueOf(id));
        }
        assertEquals(0, describes.get());
    }

    @Test
    void otherErrorsPropagateAndAreNotCached() {
        AtomicInteger calls = new AtomicInteger();
        SageMakerClient throttled = new SageMakerClient() {
            @Override
            public DescribeDomainResponse describeDomain(DescribeDomainRequest request) {
                calls.incrementAndGet();
                throw (SageMakerException) SageMakerException.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded").build())
                        .build();
            }

            @Override
            public String serviceName() {
                return "sagemaker";
            }

            @Override
            public void close() {
            }
        };
        SageMakerTeamLookup failing = new SageMakerTeamLookup(throttled, ssm, "ml-team-", "/ml-teams");
        assertThrows(SageMakerException.class, () -> failing.teamOfDomain("d-aaaaaaaaaaaa"));
        assertThrows(SageMakerException.class, () -> failing.teamOfDomain("d-aaaaaaaaaaaa"));
        assertEquals(2, calls.get());
    }

    @Test
    void aDeletedDomainsTeamComesFromItsRecordAndAnUnrecordedOneStaysNoTeams() {
        String speech = onboarded("speech", OWN_ROLE);
        sageMaker.deleteDomain(r -> r.domainId(speech));
        String sandbox = domain("data-science-sandbox", SHARED_ROLE);

        assertEquals(Optional.of("speech"), lookup.teamOfDomain(speech));
        assertEquals(Optional.empty(), lookup.teamOfDomain(sandbox));
        assertEquals(Optional.empty(), lookup.teamOfDomain("d-0deleted0001"));
        assertEquals(1, recordReads.get(), "the records are read once for all three");
    }

    @Test
    void aRoleOfOneTeamNamesItAndASharedRoleNamesEveryTeamItIsGivenTo() {
        onboarded("computer-vision", SHARED_ROLE);
        onboarded("nlp-research", SHARED_ROLE);
        onboarded("forecasting", OWN_ROLE);

        assertEquals(Set.of("forecasting"), lookup.teamsOfExecutionRole(OWN_ROLE));
        assertEquals(List.of("computer-vision", "nlp-research"), List.copyOf(lookup.teamsOfExecutionRole(SHARED_ROLE)));
        assertEquals(Set.of(), lookup.teamsOfExecutionRole("arn:aws:iam::123456789012:role/ml-platform-readonly"));
        assertEquals(0, describes.get());
    }

    @Test
    void theRecordsAreReadAgainOnlyAfterTheirTtlSoANewTeamsRoleIsKnownByThen() {
        onboarded("computer-vision", SHARED_ROLE);
        assertEquals(Set.of(), lookup.teamsOfExecutionRole(OWN_ROLE));
        onboarded("forecasting", OWN_ROLE);
        assertEquals(Set.of(), lookup.teamsOfExecutionRole(OWN_ROLE));
        assertEquals(1, recordReads.get());

        now.addAndGet(SageMakerTeamLookup.RECORDS_TTL.toNanos());
        assertEquals(Set.of("forecasting"), lookup.teamsOfExecutionRole(OWN_ROLE));
        assertEquals(2, recordReads.get());
    }

    @Test
    void moreRecordsThanOnePageAreAllRead() {
        for (int i = 0; i < 23; i++) {
            onboarded("team-" + i, "arn:aws:iam::123456789012:role/team-" + i);
        }
        assertEquals(Set.of("team-22"), lookup.teamsOfExecutionRole("arn:aws:iam::123456789012:role/team-22"));
        assertEquals(Set.of("team-0"), lookup.teamsOfExecutionRole("arn:aws:iam::123456789012:role/team-0"));
    }

    /** A team's domain and the record onboarding writes for it (DomainRecord under /ml-teams-domains). */
    private String onboarded(String team, String role) {
        String id = domain("ml-team-" + team, role);
        ssm.putParameter(r -> r.name(DomainRecord.name("/ml-teams", id)).type(ParameterType.STRING)
                .value(new DomainRecord(team, role).toJson()));
        return id;
    }

    private String domain(String name) {
        return domain(name, SHARED_ROLE);
    }

    private String domain(String name, String role) {
        var created = sageMaker.createDomain(r -> r.domainName(name).authMode(AuthMode.IAM)
                .vpcId("vpc-0a1b2c3d4e5f60718").subnetIds("subnet-0a1b2c3d4e5f60718")
                .defaultUserSettings(u -> u.executionRole(role)));
        return DomainIds.fromArn(created.domainArn());
    }

    private SsmClient counting(SsmClient real) {
        return new SsmClient() {
            @Override
            public GetParametersByPathResponse getParametersByPath(GetParametersByPathRequest request) {
                if (request.nextToken() == null) {
                    recordReads.incrementAndGet();
                }
                return real.getParametersByPath(request);
            }

            @Override
            public String serviceName() {
                return real.serviceName();
            }

            @Override
            public void close() {
            }
        };
    }

    private SageMakerClient counting(SageMakerClient real) {
        return new SageMakerClient() {
            @Override
            public DescribeDomainResponse describeDomain(DescribeDomainRequest request) {
                describes.incrementAndGet();
                return real.describeDomain(request);
            }

            @Override
            public String serviceName() {
                return real.serviceName();
            }

            @Override
            public void close() {
            }
        };
    }
}
