package mlteams.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import com.fasterxml.jackson.databind.JsonNode;
import mlteams.local.peers.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Every record of events/cloudtrail/corpus.json gets the person, team and evidence the corpus says, with teams
 * resolved by SageMakerTeamLookup against real domains in moto (ml-team-computer-vision and ml-team-nlp-research, which
 * share an execution role; ml-team-forecasting, whose role is its own; data-science-sandbox, which is no team's) and the
 * durable domain records in moto's Parameter Store (ml-team-speech's outlives its deleted domain).
 */
class AttributionCorpusTest {

    private static SageMakerClient sageMaker;
    private static SsmClient ssm;
    private static Corpus corpus;
    private static Attributor attributor;

    @BeforeAll
    static void domainsInMoto() {
        MotoServer moto = MotoServer.shared();
        moto.reset();
        ClientSettings settings = ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1);
        sageMaker = AwsClients.build(SageMakerClient.builder(), settings);
        ssm = AwsClients.build(SsmClient.builder(), settings);
        corpus = Corpus.inEmulator(sageMaker, ssm);
        attributor = new Attributor(new SageMakerTeamLookup(sageMaker, ssm, "ml-team-", Corpus.PARAMETER_PREFIX));
    }

    @AfterAll
    static void close() {
        sageMaker.close();
        ssm.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusRecordGetsTheExpectedPersonTeamAndEvidence() {
        return corpus.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            if (c.malformed()) {
                var fromString = assertThrows(MalformedRecordException.class, () -> attributor.attribute(c.recordJson()));
                var fromBytes = assertThrows(MalformedRecordException.class,
                        () -> attributor.attribute(c.recordJson().getBytes(StandardCharsets.UTF_8)));
                assertTrue(fromString.getMessage().contains(c.expect("malformed")), fromString.getMessage());
                assertEquals(fromString.getMessage(), fromBytes.getMessage());
                return;
            }
            ActivityRecord r = attributor.attribute(c.recordJson());
            assertEquals(c.expect("person"), r.person(), "person");
            assertEquals(c.expect("personEvidence"), r.personEvidence(), "personEvidence");
            assertEquals(c.expect("team"), r.team(), "team");
            assertEquals(c.expect("teamEvidence"), r.teamEvidence(), "teamEvidence");
            assertEquals(c.expect("unattributedReason"), r.unattributedReason(), "unattributedReason");
            if (c.expected().containsKey("domainId")) {
                assertEquals(c.expect("domainId"), r.domainId(), "domainId");
            }
            assertEquals(r, attributor.attribute(c.recordJson().getBytes(StandardCharsets.UTF_8)), "same from bytes");

            JsonNode record = Corpus.parse(c.recordJson());
            assertEquals(record.path("eventID").textValue(), r.eventId());
            assertEquals(record.path("eventTime").textValue(), r.eventTime());
            assertEquals(record.path("eventSource").textValue(), r.eventSource());
            assertEquals(record.path("eventName").textValue(), r.eventName());
            assertEquals(record.path("awsRegion").textValue(), r.awsRegion());
            assertEquals(record.path("errorCode").textValue(), r.errorCode());
            assertEquals(record.path("errorMessage").textValue(), r.errorMessage());
            assertEquals(record.path("readOnly").booleanValue(), r.readOnly());
            assertEquals(record.path("sourceIPAddress").textValue(), r.sourceIpAddress());
            assertEquals(record.path("userAgent").textValue(), r.userAgent());
        }));
    }

    @Test
    void theCorpusCoversWhatTheIssueAsksFor() {
        List<Corpus.Case> cases = corpus.cases();
        List<String> personEvidence = new ArrayList<>();
        List<String> teamEvidence = new ArrayList<>();
        for (Corpus.Case c : cases) {
            personEvidence.add(c.expect("personEvidence"));
            teamEvidence.add(c.expect("teamEvidence"));
        }
        for (String evidence : List.of("sourceIdentity", "onBehalfOf", "requestUserProfile", "iamUser", "assumedRoleSession")) {
            assertTrue(personEvidence.contains(evidence), evidence);
        }
        for (String evidence : List.of("requestDomain", "responseDomain", "resourceDomain", "domainArnTag",
                "executionRole")) {
            assertTrue(teamEvidence.contains(evidence), evidence);
        }
        List<String> records = cases.stream().map(Corpus.Case::recordJson).toList();
        for (String event : List.of("CreatePresignedDomainUrl", "CreateTrainingJob", "CreateProcessingJob", "StopLogging",
                "DeleteTrail", "UpdateTrail", "PutEventSelectors", "DeleteDomain", "DeleteUserProfile", "UpdateDomain",
                "\"AccessDenied\"", "\"AWSService\"", "\"onBehalfOf\"", "ListTrainingJobs")) {
            assertTrue(records.stream().anyMatch(r -> r.contains(event)), event);
        }
        assertTrue(cases.stream().anyMatch(c -> "computer-vision".equals(c.expect("team"))));
        assertTrue(cases.stream().anyMatch(c -> "nlp-research".equals(c.expect("team"))));
        // a denied call and a list call attributed by a role of one team; a role of two teams attributes nothing
        assertTrue(cases.stream().anyMatch(c -> "executionRole".equals(c.expect("teamEvidence"))
                && c.recordJson().contains("\"AccessDenied\"")));
        assertTrue(cases.stream().anyMatch(c -> "executionRole".equals(c.expect("teamEvidence"))
                && c.recordJson().contains("\"ListTrainingJobs\"")));
        assertTrue(cases.stream().anyMatch(c -> c.expect("team") == null && c.recordJson().contains("\"ListTrainingJobs\"")
                && c.expect("unattributedReason").startsWith("execution role shared by teams ")));
        // a DeleteDomain of a domain that is gone, its team from the durable record
        assertTrue(cases.stream().anyMatch(c -> "speech".equals(c.expect("team"))
                && c.recordJson().contains("\"DeleteDomain\"")));
        assertTrue(sageMaker.listDomains(r -> { }).domains().stream().noneMatch(d -> d.domainName().equals("ml-team-speech")),
                "ml-team-speech's domain is deleted");
        assertTrue(cases.stream().anyMatch(c -> c.malformed() && c.recordJson().length() > Attributor.MAX_RECORD_BYTES));
    }

    @Test
    void unattributedRecordsComeBackUnattributedNeverDropped() {
        List<Corpus.Case> wellFormed = corpus.cases().stream().filter(c -> !c.malformed()).toList();
        List<ActivityRecord> out = wellFormed.stream().map(c -> attributor.attribute(c.recordJson())).toList();

        assertEquals(wellFormed.size(), out.size());
        List<ActivityRecord> unattributed = out.stream().filter(r -> !r.attributed()).toList();
        assertTrue(unattributed.size() >= 5, "the corpus has unattributed records: " + unattributed.size());
        for (ActivityRecord r : unattributed) {
            assertTrue(r.eventId() != null && r.eventName() != null, r.toString());
            assertEquals(r.person() == null, r.personEvidence() == null, r.toString());
            assertEquals(r.team() == null, r.teamEvidence() == null, r.toString());
            assertEquals(r.team() == null, r.unattributedReason() != null, r.toString());
            String line = new ActivityLog(null, ActivityLogTest.SETTINGS).emf(r, java.time.Instant.now());
            assertTrue(line.contains("\"eventId\":\"" + r.eventId() + "\""), line);
            if (r.team() == null) {
                assertTrue(line.contains("\"unattributedReason\":"), line);
            }
        }
    }

    @Test
    void theSampleLogFileHoldsTheCorpusWellFormedRecords() {
        JsonNode records = Corpus.parse(corpus.sampleLogFile()).get("Records");
        List<JsonNode> expected = corpus.cases().stream().filter(c -> !c.malformed())
                .map(c -> Corpus.parse(c.recordJson())).toList();
        assertEquals(expected.size(), records.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), records.get(i), "record " + (i + 1));
        }
    }
}
