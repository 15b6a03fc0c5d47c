package mlteams.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.Json;
import mlteams.common.ResourceConflictException;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.MotoServer;
import mlteams.local.peers.SdkStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainResponse;
import software.amazon.awssdk.services.sagemaker.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * The domain steps against moto through the real SDK. moto's domains are InService at once and never fail,
 * so the statuses a real domain passes through are scripted on top of moto's answers with {@link SdkStub}.
 */
class StudioDomainHandlersTest {

    private static final DomainSettings SETTINGS = new DomainSettings("ml-team-", "s3://sharing-bucket/sharing",
            "VpcOnly", 60, 240, 2700);

    private final MotoServer moto = MotoServer.shared();
    private SageMakerClient sageMaker;

    @BeforeEach
    void emptyAccount() {
        moto.reset();
        sageMaker = AwsClients.build(SageMakerClient.builder(), ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1));
    }

    @AfterEach
    void close() {
        sageMaker.close();
    }

    @Test
    void createsADomainWithPerUserIdentityAndTheTeamsNetwork() throws Exception {
        Map<String, Object> state = ensure(sageMaker, request());

        assertEquals(true, state.get("created"));
        assertEquals(false, state.get("ready"));
        assertEquals("ml-team-computer-vision", state.get("domainName"));
        assertTrue(((String) state.get("url")).startsWith("https://"), (String) state.get("url"));
        DescribeDomainResponse domain = sageMaker.describeDomain(r -> r.domainId((String) state.get("domainId")));
        assertEquals("IAM", domain.authModeAsString());
        assertEquals("USER_PROFILE_NAME", domain.domainSettings().executionRoleIdentityConfigAsString());
        assertEquals("vpc-0a1b2c3d4e5f60718", domain.vpcId());
        assertEquals(List.of("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"), domain.subnetIds());
        assertEquals("VpcOnly", domain.appNetworkAccessTypeAsString());
        assertEquals("alias/aws/sagemaker", domain.kmsKeyId());
        var user = domain.defaultUserSettings();
        assertEquals("arn:aws:iam::123456789012:role/ml-platform-studio-execution", user.executionRole());
        assertEquals(List.of("sg-0a1b2c3d4e5f60718"), user.securityGroups());
        assertEquals("Allowed", user.sharingSettings().notebookOutputOptionAsString());
        assertEquals("s3://sharing-bucket/sharing/computer-vision/", user.sharingSettings().s3OutputPath());
        assertEquals("alias/aws/sagemaker", user.sharingSettings().s3KmsKeyId());
        assertEquals(Map.of("cost-center", "cv", "ml-platform:team", "computer-vision"),
                sageMaker.listTags(r -> r.resourceArn(domain.domainArn())).tags().stream()
                        .collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value)));
    }

    @Test
    void aSecondRunAdoptsTheDomainInsteadOfCreatingAnother() throws Exception {
        Map<String, Object> first = ensure(sageMaker, request());
        Map<String, Object> second = ensure(sageMaker, request());

        assertEquals(false, second.get("created"));
        assertEquals(true, second.get("ready"));
        assertEquals(first.get("domainId"), second.get("domainId"));
        assertEquals(List.of(), second.get("drifted"));
        assertEquals(1, sageMaker.listDomains(r -> { }).domains().size());
    }

    @Test
    void refusesToReplaceADomainWhoseVpcCannotChange() throws Exception {
        ensure(sageMaker, request());
        Map<String, Object> otherVpc = request();
        otherVpc.put("vpcId", "vpc-0fffffffffffffff0");

        var error = assertThrows(ResourceConflictException.class, () -> ensure(sageMaker, otherVpc));

        assertTrue(error.getMessage().contains("vpcId: vpc-0a1b2c3d4e5f60718 -> vpc-0fffffffffffffff0"),
                error.getMessage());
        assertEquals(1, sageMaker.listDomains(r -> { }).domains().size());
    }

    @Test
    void pollsWithADoublingWaitCappedAtTheMaximum() throws Exception {
        SageMakerClient pending = withStatuses("Pending", "Pending", "Pending", "InService");
        Map<String, Object> state = ensure(pending, request());
        List<Integer> waits = new java.util.ArrayList<>();
        List<Integer> elapsed = new java.util.ArrayList<>();
        do {
            state = check(pending, state);
            waits.add(poll(state, "waitSeconds"));
            elapsed.add(poll(state, "elapsedSeconds"));
        } while (!(Boolean) state.get("ready"));

        assertEquals(List.of(120, 240, 240, 240), waits);
        assertEquals(List.of(60, 180, 420, 660), elapsed);
        assertEquals("InService", state.get("status"));
    }

    @Test
    void aDomainNotYetVisibleAfterCreateCountsAsPending() throws Exception {
        SageMakerClient invisible = SdkStub.of(SageMakerClient.class, sageMaker, (operation, request) -> {
            if (operation.equals("describeDomain")) {
                throw ResourceNotFoundException.builder().statusCode(400).message("Cannot find domain")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFound").build()).build();
            }
            return SdkStub.PASS;
        });
        Map<String, Object> state = check(invisible, ensure(invisible, request()));

        assertEquals("Pending", state.get("status"));
        assertEquals(false, state.get("ready"));
    }

    @Test
    void aFailedDomainFailsWithSageMakersReason() throws Exception {
        SageMakerClient failing = withStatuses("Pending", "Failed");
        Map<String, Object> state = check(failing, ensure(failing, request()));

        var error = assertThrows(DomainFailedException.class, () -> check(failing, state));

        assertTrue(error.getMessage().contains("is Failed: subnet-0a1b2c3d4e5f60718 has no free IP addresses"),
                error.getMessage());
    }

    @Test
    void givesUpWhenTheTotalWaitWouldPassTheLimit() throws Exception {
        SageMakerClient slow = withStatuses("Pending", "Pending", "Pending");
        var shortLimit = new DomainSettings("ml-team-", "s3://sharing-bucket/sharing", "VpcOnly", 60, 240, 300);
        Map<String, Object> state = checkWith(slow, shortLimit, ensure(slow, request())); // 60 s waited, next 120

        var error = assertThrows(DomainWaitTimeoutException.class, () -> checkWith(slow, shortLimit, state));

        assertTrue(error.getMessage().contains("still Pending after 180 s (limit 300 s)"), error.getMessage());
    }

    @Test
    void anExistingFailedDomainIsNotAdopted() throws Exception {
        ensure(sageMaker, request());
        SageMakerClient failed = withStatuses("Failed");

        var error = assertThrows(DomainFailedException.class, () -> ensure(failed, request()));

        assertTrue(error.getMessage().contains("is Failed"), error.getMessage());
    }

    /** moto's real answers, with the status (and a failure reason) replaced by the next scripted one. */
    private SageMakerClient withStatuses(String... statuses) {
        Deque<String> script = new ArrayDeque<>(List.of(statuses));
        return SdkStub.of(SageMakerClient.class, sageMaker, (operation, request) -> {
            if (!operation.equals("describeDomain")) {
                return SdkStub.PASS;
            }
            DescribeDomainResponse real = sageMaker.describeDomain(
                    (software.amazon.awssdk.services.sagemaker.model.DescribeDomainRequest) request);
            String status = script.size() > 1 ? script.pop() : script.peek();
            return real.toBuilder().status(status)
                    .failureReason("Failed".equals(status) ? "subnet-0a1b2c3d4e5f60718 has no free IP addresses" : "")
                    .build();
        });
    }

    private static Map<String, Object> request() {
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) Json.readMap(Events.read("team-onboarded.json")).get("detail");
        return new java.util.LinkedHashMap<>(detail);
    }

    private static Map<String, Object> ensure(SageMakerClient client, Map<String, Object> request) throws Exception {
        return Json.readMap(LocalLambda.call(new EnsureDomainHandler(client, SETTINGS), "EnsureDomain", Json.write(request)));
    }

    private static Map<String, Object> check(SageMakerClient client, Map<String, Object> state) throws Exception {
        return checkWith(client, SETTINGS, state);
    }

    private static Map<String, Object> checkWith(SageMakerClient client, DomainSettings settings,
            Map<String, Object> state) throws Exception {
        return Json.readMap(LocalLambda.call(new CheckDomainHandler(client, settings), "CheckDomain", Json.write(state)));
    }

    @SuppressWarnings("unchecked")
    private static int poll(Map<String, Object> state, String field) {
        return ((Number) ((Map<String, Object>) state.get("poll")).get(field)).intValue();
    }
}
