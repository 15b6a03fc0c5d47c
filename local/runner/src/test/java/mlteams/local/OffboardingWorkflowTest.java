package mlteams.local;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static mlteams.local.WorkflowFixture.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.DomainRecord;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalStepFunctions.Execution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Offboarding through statemachine/offboard-team.asl.json with the real handlers, against moto. The members'
 * user profiles are real (the project's fill in moto); moto has no apps or spaces: {@link MotoGaps} answers for
 * them, and the scenario test here makes them exist and go away the way SageMaker does.
 */
class OffboardingWorkflowTest extends EndToEndTest {

    private static final List<String> DELETES = List.of("SageMaker.DeleteApp", "SageMaker.DeleteSpace",
            "SageMaker.DeleteUserProfile", "SageMaker.DeleteDomain");

    private Map<String, String> deleteEverything;

    @BeforeEach
    void offboardingDeletesEverythingUnlessATestSaysOtherwise() {
        deleteEverything = new HashMap<>(account.env);
        deleteEverything.put("RETAIN_TEAM_LOG_GROUP", "false");
        deleteEverything.put("HOME_EFS_RETENTION", "Delete");
    }

    @Test
    void onboardThenOffboardLeavesNothingOfTheTeamAndOffboardingAgainSucceeds() {
        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());
        String domainId = account.domains().get(0).domainId();
        DomainRecord record = account.domainRecord(domainId);
        assertTrue(record != null && record.team().equals("computer-vision"), String.valueOf(record));

        Execution offboard = account.offboard(deleteEverything, Events.read("team-offboarded.json"));

        assertTrue(offboard.succeeded(), offboard.error() + ": " + offboard.cause());
        assertEquals(true, output(offboard).get("domainDeleted"));
        account.assertNothingOfTheTeamLeft();

        Execution again = account.offboard(deleteEverything, Events.read("team-offboarded.json"));

        assertTrue(again.succeeded(), again.error() + ": " + again.cause());
        assertEquals(false, output(again).get("domainDeleted"));
        account.assertNothingOfTheTeamLeft();
        assertEquals(record, account.domainRecord(domainId),
                "the domain's record outlives it, so late and offline records still name the team");
    }

    @Test
    void theTeamLogGroupIsRetainedByDefaultBecauseItIsAuditData() {
        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());

        Execution offboard = account.offboard(account.env, "{\"teamName\":\"computer-vision\"}");

        assertTrue(offboard.succeeded(), offboard.error() + ": " + offboard.cause());
        assertEquals(true, output(offboard).get("logGroupRetained"));
        assertEquals(List.of("/ml-teams/computer-vision/activity"),
                account.teamLogGroups().stream().map(g -> g.logGroupName()).toList());
        assertEquals(List.of(), account.domains());
        assertEquals(List.of(), account.parameters());
    }

    @Test
    void offboardingATeamThatWasNeverOnboardedSucceeds() {
        Execution offboard = account.offboard(deleteEverything, "{\"teamName\":\"never-onboarded\"}");

        assertTrue(offboard.succeeded(), offboard.error() + ": " + offboard.cause());
        assertEquals(false, output(offboard).get("domainDeleted"));
        assertEquals(List.of(), account.parameters());
    }

    @Test
    void aBadOffboardingRequestIsRefusedFirst() {
        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());

        Execution offboard = account.offboard(deleteEverything, "{\"teamName\":\"../computer-vision\"}");

        assertEquals("mlteams.common.InvalidRequestException", offboard.error());
        assertEquals(1, account.domains().size(), "nothing was touched");
    }

    @Test
    void appsThenSpacesThenProfilesThenTheDomainEachAwaited() {
        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());
        String domainId = account.domains().get(0).domainId();
        WireMockServer sageMaker = account.gaps.server();
        anAppAndASpaceThatGoAwayWhenDeleted(sageMaker, domainId);

        Execution offboard = account.offboard(deleteEverything, Events.read("team-offboarded.json"));

        assertTrue(offboard.succeeded(), offboard.error() + ": " + offboard.cause());
        assertEachDeletedOnceInOrder(sageMaker, offboard);
        account.assertNothingOfTheTeamLeft();
    }

    @Test
    void aDomainStillInUseFailsWithARecordedCauseAndReleasesTheTeam() {
        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());
        account.gaps.server().stubFor(post(urlEqualTo("/")).atPriority(1)
                .withHeader("X-Amz-Target", equalTo("SageMaker.DeleteDomain"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"ResourceInUse\",\"Message\":\"Domain has user profiles\"}")));

        Execution offboard = account.offboard(deleteEverything, Events.read("team-offboarded.json"));

        assertEquals("mlteams.domain.DomainInUseException", offboard.error());
        assertEquals("FAILED", account.teamParameter("computer-vision", "status"));
        assertTrue(account.teamParameter("computer-vision", "status-reason").contains("offboard again"));
        assertNull(account.claimHolder("computer-vision"));
    }

    /**
     * Makes the domain have an app and a space (MotoGaps alone answers that it has none), each of which SageMaker
     * deletes the way it does: Deleting first, then gone. The user profiles are the members' own, in moto.
     */
    static void anAppAndASpaceThatGoAwayWhenDeleted(WireMockServer sageMaker, String domainId) {
        String app = "{\"DomainId\":\"" + domainId + "\",\"UserProfileName\":\"alice\",\"AppType\":\"JupyterServer\","
                + "\"AppName\":\"default\",\"Status\":\"%s\"}";
        step(sageMaker, "apps", STARTED, "ListApps", "{\"Apps\":[" + app.formatted("InService") + "]}", null);
        step(sageMaker, "apps", STARTED, "DeleteApp", "{}", "deleting");
        step(sageMaker, "apps", "deleting", "ListApps", "{\"Apps\":[" + app.formatted("Deleting") + "]}", "deleted");
        step(sageMaker, "apps", "deleted", "ListApps", "{\"Apps\":[" + app.formatted("Deleted") + "]}", null);
        step(sageMaker, "spaces", STARTED, "ListSpaces", "{\"Spaces\":[{\"DomainId\":\"" + domainId
                + "\",\"SpaceName\":\"team-space\",\"Status\":\"InService\"}]}", null);
        step(sageMaker, "spaces", STARTED, "DeleteSpace", "{}", "gone");
        step(sageMaker, "spaces", "gone", "ListSpaces", "{\"Spaces\":[]}", null);
    }

    /**
     * The app, then the space, then the sample team's three member profiles, then the domain, each deleted once,
     * each deletion awaited.
     */
    static void assertEachDeletedOnceInOrder(WireMockServer sageMaker, Execution offboard) {
        List<ServeEvent> deletes = sageMaker.getAllServeEvents().reversed().stream()
                .filter(e -> e.getRequest().containsHeader("X-Amz-Target")
                        && DELETES.contains(e.getRequest().getHeader("X-Amz-Target"))).toList();
        assertEquals(List.of("SageMaker.DeleteApp", "SageMaker.DeleteSpace", "SageMaker.DeleteUserProfile",
                "SageMaker.DeleteUserProfile", "SageMaker.DeleteUserProfile", "SageMaker.DeleteDomain"),
                deletes.stream().map(e -> e.getRequest().getHeader("X-Amz-Target")).toList(),
                "apps, then spaces, then profiles, then the domain, each once");
        assertTrue(deletes.get(0).getRequest().getBodyAsString().contains("\"UserProfileName\":\"alice\""));
        assertEquals(List.of("alice", "bob", "carol"), deletes.subList(2, 5).stream()
                .map(e -> (String) mlteams.common.Json.readMap(e.getRequest().getBodyAsString()).get("UserProfileName"))
                .sorted().toList());
        assertTrue(deletes.get(5).getRequest().getBodyAsString().contains("\"HomeEfsFileSystem\":\"Delete\""),
                deletes.get(5).getRequest().getBodyAsString());
        assertEquals(2, offboard.entered("WaitForApps"), "InService, then Deleting, then Deleted");
        assertEquals(1, offboard.entered("WaitForSpaces"));
        assertEquals(1, offboard.entered("WaitForUserProfiles"), "listed, deleted, then gone");
    }

    /** One step of a WireMock scenario for a SageMaker operation, ahead of MotoGaps' own answers. */
    private static void step(WireMockServer server, String scenario, String state, String operation, String body,
            String nextState) {
        var stub = post(urlEqualTo("/")).atPriority(1).inScenario(scenario).whenScenarioStateIs(state)
                .withHeader("X-Amz-Target", equalTo("SageMaker." + operation)).willReturn(okJson(body));
        server.stubFor(nextState == null ? stub : stub.willSetStateTo(nextState));
    }
}
