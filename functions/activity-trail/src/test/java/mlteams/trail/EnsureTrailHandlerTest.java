package mlteams.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.DependencyNotReadyException;
import mlteams.common.Json;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.MotoServer;
import mlteams.local.peers.SdkStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.InvalidCloudWatchLogsRoleArnException;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;
import software.amazon.awssdk.services.cloudtrail.model.Tag;
import software.amazon.awssdk.services.cloudtrail.model.Trail;
import software.amazon.awssdk.services.s3.S3Client;

/** The trail step against moto, through the real SDK. */
class EnsureTrailHandlerTest {

    private static final String TRAIL = "ml-platform-activity";
    private static final TrailSettings SETTINGS = new TrailSettings(TRAIL, "trail-bucket",
            "arn:aws:logs:us-east-1:123456789012:log-group:/ml-platform/cloudtrail:*",
            "arn:aws:iam::123456789012:role/cloudtrail-logs", null);

    private final MotoServer moto = MotoServer.shared();
    private final ClientSettings settings = ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1);
    private CloudTrailClient cloudTrail;

    @BeforeEach
    void emptyAccountWithTheStacksBucket() {
        moto.reset();
        cloudTrail = AwsClients.build(CloudTrailClient.builder(), settings);
        try (S3Client s3 = AwsClients.build(S3Client.builder().forcePathStyle(true), settings)) {
            s3.createBucket(r -> r.bucket(SETTINGS.bucketName()));
        }
    }

    @AfterEach
    void close() {
        cloudTrail.close();
    }

    @Test
    void createsOneMultiRegionValidatedTrailThatIsLogging() throws Exception {
        Map<String, Object> result = invoke(new EnsureTrailHandler(cloudTrail, SETTINGS));

        assertEquals(true, result.get("created"));
        assertEquals(true, result.get("startedLogging"));
        assertEquals("arn:aws:cloudtrail:us-east-1:123456789012:trail/" + TRAIL, result.get("trailArn"));
        Trail trail = cloudTrail.getTrail(r -> r.name(TRAIL)).trail();
        assertTrue(trail.isMultiRegionTrail());
        assertTrue(trail.logFileValidationEnabled());
        assertTrue(trail.includeGlobalServiceEvents());
        assertEquals(SETTINGS.logGroupArn(), trail.cloudWatchLogsLogGroupArn());
        assertEquals(SETTINGS.logsRoleArn(), trail.cloudWatchLogsRoleArn());
        assertTrue(cloudTrail.getTrailStatus(r -> r.name(TRAIL)).isLogging());
    }

    /** Security Hub's CloudTrail.9 fails an untagged trail. */
    @Test
    void theTrailItCreatesIsTagged() throws Exception {
        String arn = (String) invoke(new EnsureTrailHandler(cloudTrail, SETTINGS)).get("trailArn");

        List<Tag> tags = cloudTrail.listTags(r -> r.resourceIdList(arn)).resourceTagList().get(0).tagsList();
        assertEquals(List.of(Tag.builder().key("ml-platform:purpose").value("audit-trail").build()), tags);
    }

    @Test
    void aSecondRunAdoptsTheTrailAndChangesNothing() throws Exception {
        invoke(new EnsureTrailHandler(cloudTrail, SETTINGS));
        Map<String, Object> second = invoke(new EnsureTrailHandler(cloudTrail, SETTINGS));

        assertEquals(false, second.get("created"));
        assertEquals(List.of(), second.get("repaired"));
        assertEquals(false, second.get("startedLogging"));
        assertEquals(1, cloudTrail.describeTrails().trailList().size());
    }

    @Test
    void repairsDriftedSettingsAndRestartsLogging() throws Exception {
        invoke(new EnsureTrailHandler(cloudTrail, SETTINGS));
        cloudTrail.updateTrail(r -> r.name(TRAIL).enableLogFileValidation(false).isMultiRegionTrail(false));
        cloudTrail.stopLogging(r -> r.name(TRAIL));

        Map<String, Object> result = invoke(new EnsureTrailHandler(cloudTrail, SETTINGS));

        assertEquals(List.of("isMultiRegionTrail", "logFileValidationEnabled"), result.get("repaired"));
        assertEquals(true, result.get("startedLogging"));
        Trail trail = cloudTrail.getTrail(r -> r.name(TRAIL)).trail();
        assertTrue(trail.isMultiRegionTrail());
        assertTrue(trail.logFileValidationEnabled());
        assertTrue(cloudTrail.getTrailStatus(r -> r.name(TRAIL)).isLogging());
    }

    @Test
    void addsAManagementEventSelectorWhenTheTrailLostIt() throws Exception {
        invoke(new EnsureTrailHandler(cloudTrail, SETTINGS));
        cloudTrail.putEventSelectors(r -> r.trailName(TRAIL).eventSelectors(EventSelector.builder()
                .readWriteType(ReadWriteType.WRITE_ONLY).includeManagementEvents(true).build()));

        Map<String, Object> result = invoke(new EnsureTrailHandler(cloudTrail, SETTINGS));

        assertEquals(List.of("managementEvents"), result.get("repaired"));
        List<EventSelector> selectors = cloudTrail.getEventSelectors(r -> r.trailName(TRAIL)).eventSelectors();
        assertTrue(selectors.stream().anyMatch(s -> s.readWriteType() == ReadWriteType.ALL
                && s.includeManagementEvents()), selectors.toString());
    }

    @Test
    void aDeliveryRoleThatHasNotPropagatedIsReportedAsRetryable() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        CloudTrailClient propagating = SdkStub.of(CloudTrailClient.class, cloudTrail, (operation, request) -> {
            if (operation.equals("createTrail") && refusals.getAndIncrement() == 0) {
                throw InvalidCloudWatchLogsRoleArnException.builder().statusCode(400).message("Access denied.")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidCloudWatchLogsRoleArnException")
                                .errorMessage("Access denied.").build())
                        .build();
            }
            return SdkStub.PASS;
        });
        EnsureTrailHandler handler = new EnsureTrailHandler(propagating, SETTINGS);

        var error = assertThrows(DependencyNotReadyException.class, () -> invoke(handler));
        assertTrue(error.getMessage().contains("IAM propagation"), error.getMessage());
        assertFalse(cloudTrail.describeTrails().hasTrailList() && !cloudTrail.describeTrails().trailList().isEmpty(),
                "no trail may exist after the refused create");

        Map<String, Object> retried = invoke(handler); // what the state machine's Retry does
        assertEquals(true, retried.get("created"));
    }

    private static Map<String, Object> invoke(EnsureTrailHandler handler) throws Exception {
        String request = Json.write(Json.readMap(Events.read("team-onboarded.json")).get("detail"));
        return Json.readMap(LocalLambda.call(handler, "EnsureTrail", request));
    }
}
