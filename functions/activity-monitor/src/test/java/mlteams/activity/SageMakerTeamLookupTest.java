package mlteams.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
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

/** Against real domains in moto; the SageMaker client is wrapped only to count the calls that reach it. */
class SageMakerTeamLookupTest {

    private final MotoServer moto = MotoServer.shared();
    private SageMakerClient sageMaker;
    private final AtomicInteger describes = new AtomicInteger();
    private final AtomicLong now = new AtomicLong();
    private SageMakerTeamLookup lookup;

    @BeforeEach
    void emptyAccount() {
        moto.reset();
        sageMaker = AwsClients.build(SageMakerClient.builder(), ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1));
        lookup = new SageMakerTeamLookup(counting(sageMaker), "ml-team-", Duration.ofMinutes(5), now::get);
    }

    @AfterEach
    void close() {
        sageMaker.close();
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
        SageMakerTeamLookup failing = new SageMakerTeamLookup(throttled, "ml-team-");
        assertThrows(SageMakerException.class, () -> failing.teamOfDomain("d-aaaaaaaaaaaa"));
        assertThrows(SageMakerException.class, () -> failing.teamOfDomain("d-aaaaaaaaaaaa"));
        assertEquals(2, calls.get());
    }

    private String domain(String name) {
        var created = sageMaker.createDomain(r -> r.domainName(name).authMode(AuthMode.IAM)
                .vpcId("vpc-0a1b2c3d4e5f60718").subnetIds("subnet-0a1b2c3d4e5f60718")
                .defaultUserSettings(u -> u.executionRole("arn:aws:iam::123456789012:role/ml-platform-studio-execution")));
        return DomainIds.fromArn(created.domainArn());
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
