package mlteams.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.ActivityMetrics;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.Json;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.local.peers.LocalContext;
import mlteams.local.peers.MotoServer;
import mlteams.local.peers.SdkStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A batch of the corpus's records through the activity monitor, against moto: each attributed record lands in its
 * team's stream as an EMF activity record (with its team evidence, execution role and deleted domains included), the
 * unattributed ones in the unattributed stream with their reason, and each malformed message comes back as that
 * item's failure.
 */
class ActivityMonitorHandlerTest {

    private static final ActivitySettings SETTINGS = new ActivitySettings("/ml-teams", "ml-team-", "MLPlatform/Activity",
            "/ml-platform/activity/unattributed", "unattributed", Corpus.PARAMETER_PREFIX);

    /** The corpus's teams: the live ones, and speech, offboarded with its log group retained. */
    private static final List<String> TEAMS = List.of("computer-vision", "nlp-research", "forecasting", "speech");

    private final MotoServer moto = MotoServer.shared();
    private SageMakerClient sageMaker;
    private SsmClient ssm;
    private CloudWatchLogsClient logs;

    @BeforeEach
    void twoOnboardedTeams() {
        moto.reset();
        ClientSettings settings = ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1);
        sageMaker = AwsClients.build(SageMakerClient.builder(), settings);
        ssm = AwsClients.build(SsmClient.builder(), settings);
        logs = AwsClients.build(CloudWatchLogsClient.builder(), settings);
        for (String team : TEAMS) {
            logs.createLogGroup(r -> r.logGroupName("/ml-teams/" + team + "/activity"));
            logs.createLogStream(r -> r.logGroupName("/ml-teams/" + team + "/activity").logStreamName("user-activity"));
        }
        logs.createLogGroup(r -> r.logGroupName(SETTINGS.unattributedLogGroup()));
        logs.createLogStream(r -> r.logGroupName(SETTINGS.unattributedLogGroup()).logStreamName("unattributed"));
    }

    @AfterEach
    void close() {
        sageMaker.close();
        ssm.close();
        logs.close();
    }

    @Test
    void writesEachRecordToItsTeamsStreamAndReportsMalformedItems() {
        List<Corpus.Case> cases = Corpus.inEmulator(sageMaker, ssm).cases();
        SQSEvent batch = new SQSEvent();
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        List<String> malformedIds = new ArrayList<>();
        for (Corpus.Case c : cases) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId("msg-" + c.name());
            if (c.malformed()) {
                message.setBody(c.recordJson()); // what a broken producer might send
                malformedIds.add(message.getMessageId());
            } else {
                message.setBody("{\"version\":\"0\",\"id\":\"e-" + c.name() + "\",\"detail-type\":\"AWS API Call via CloudTrail\","
                        + "\"source\":\"aws.sagemaker\",\"account\":\"123456789012\",\"region\":\"us-east-1\","
                        + "\"detail\":" + c.recordJson() + "}");
            }
            messages.add(message);
        }
        batch.setRecords(messages);

        SQSBatchResponse response = new ActivityMonitorHandler(sageMaker, ssm, logs, SETTINGS)
                .handleRequest(batch, new LocalContext("ActivityMonitor", System.err));

        assertEquals(malformedIds, response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        Map<String, Map<String, Object>> written = new HashMap<>();
        List<String> groups = new ArrayList<>(TEAMS.stream().map(t -> "/ml-teams/" + t + "/activity").toList());
        groups.add(SETTINGS.unattributedLogGroup());
        for (String group : groups) {
            String stream = group.equals(SETTINGS.unattributedLogGroup()) ? "unattributed" : "user-activity";
            for (var event : logs.getLogEvents(r -> r.logGroupName(group).logStreamName(stream).startFromHead(true)).events()) {
                Map<String, Object> line = Json.readMap(event.message());
                line.put("@group", group);
                written.put((String) line.get("eventId"), line);
            }
        }
        int wellFormed = 0;
        java.util.Set<String> actions = new java.util.TreeSet<>();
        for (Corpus.Case c : cases) {
            if (c.malformed()) {
                continue;
            }
            wellFormed++;
            String eventId = (String) Json.readMap(c.recordJson()).get("eventID");
            Map<String, Object> line = written.get(eventId);
            assertNotNull(line, c.name() + " was not written");
            String team = c.expect("team");
            assertEquals(team == null ? SETTINGS.unattributedLogGroup() : "/ml-teams/" + team + "/activity",
                    line.get("@group"), c.name());
            assertEquals(c.expect("person"), line.get("person"), c.name());
            assertEquals(team, line.get("team"), c.name());
            assertEquals(c.expect("teamEvidence"), line.get("teamEvidence"), c.name());
            assertEquals(c.expect("unattributedReason"), line.get("unattributedReason"), c.name());
            assertEquals(team == null ? "unattributed" : team, line.get("Team"), c.name() + ": EMF dimension");
            assertEquals(ActivityMetrics.action((String) line.get("eventName")), line.get("Action"), c.name() + ": EMF dimension");
            actions.add((String) line.get("Action"));
            assertEquals(1, line.get("Actions"));
            @SuppressWarnings("unchecked")
            Map<String, Object> directive = ((List<Map<String, Object>>) ((Map<String, Object>) line.get("_aws"))
                    .get("CloudWatchMetrics")).get(0);
            assertEquals(List.of(List.of("Team", "Action")), directive.get("Dimensions"),
                    "the person is a property, never a dimension");
            assertEquals("MLPlatform/Activity", directive.get("Namespace"));
        }
        assertEquals(wellFormed, written.size(), "every well-formed record written once, none dropped");
        assertTrue(actions.contains("CreateTrainingJob") && actions.contains("CreatePresignedDomainUrl")
                && actions.contains(ActivityMetrics.OTHER), "signal actions by name, the rest as Other: " + actions);
        assertFalse(malformedIds.isEmpty());
    }

    @Test
    void primingAttributesItsRecordAndOnlyReadsAboutTheProbeDomainAndTeam() {
        List<String> calls = new ArrayList<>();
        SdkStub.Rule record = (operation, request) -> {
            calls.add(operation + " " + request);
            return SdkStub.PASS;
        };
        int eventsBefore = eventsInEveryStream();
        ActivityMonitorHandler handler = new ActivityMonitorHandler(SdkStub.of(SageMakerClient.class, sageMaker, record),
                SdkStub.of(SsmClient.class, ssm, record), SdkStub.of(CloudWatchLogsClient.class, logs, record), SETTINGS);

        ActivityRecord primed = handler.prime(new StepLog(new LocalContext("ActivityMonitor", System.err).getLogger()));

        assertEquals("snapstart-priming", primed.person());
        assertEquals("sourceIdentity", primed.personEvidence());
        assertNull(primed.team(), "the probe domain is nobody's");
        assertEquals(SnapStartPriming.PROBE_DOMAIN_ID, primed.domainId());
        assertEquals(3, calls.size(), calls.toString());
        assertTrue(calls.get(0).startsWith("describeDomain DescribeDomainRequest(DomainId=d-snapstart-priming-probe"),
                calls.toString());
        assertTrue(calls.get(1).startsWith("getParametersByPath GetParametersByPathRequest(Path="
                + "/ml-teams-domains/d-snapstart-priming-probe"), calls.toString());
        assertTrue(calls.get(2).startsWith("describeLogStreams DescribeLogStreamsRequest(LogGroupName="
                + "/ml-teams/_snapstart-priming_/activity"), calls.toString());
        assertEquals(eventsBefore, eventsInEveryStream(), "priming wrote a log event");
    }

    private int eventsInEveryStream() {
        int events = 0;
        for (var group : logs.describeLogGroups(r -> { }).logGroups()) {
            for (var stream : logs.describeLogStreams(r -> r.logGroupName(group.logGroupName())).logStreams()) {
                events += logs.getLogEvents(r -> r.logGroupName(group.logGroupName())
                        .logStreamName(stream.logStreamName()).startFromHead(true)).events().size();
            }
        }
        return events;
    }
}
