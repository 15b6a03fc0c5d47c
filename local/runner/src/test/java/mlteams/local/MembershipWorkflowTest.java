package mlteams.local;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static mlteams.local.WorkflowFixture.output;
import static mlteams.local.WorkflowFixture.sampleEventWithMembers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalStepFunctions.Execution;
import mlteams.local.peers.SdkStub;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeDomainResponse;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * A team's people through the real onboarding and offboarding definitions: one user profile per member in the
 * domain (moto with the project's user-profile fill), the membership following the latest request, idle
 * shutdown on the domain's apps.
 */
class MembershipWorkflowTest extends EndToEndTest {

    @Test
    void eachMemberGetsAProfileTaggedWithTeamAndNameAndIdleAppsShutDown() {
        Execution execution = account.onboard(Events.read("team-onboarded.json"));

        assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
        String domainId = (String) output(execution).get("sagemakerDomainId");
        assertEquals(List.of("alice", "bob", "carol"), account.profiles(domainId));
        String arn = account.clients.sageMaker().describeUserProfile(r -> r.domainId(domainId).userProfileName("bob"))
                .userProfileArn();
        List<Tag> tags = account.clients.sageMaker().listTags(r -> r.resourceArn(arn)).tags();
        assertTrue(tags.contains(Tag.builder().key("ml-platform:member").value("bob").build()), tags.toString());
        assertTrue(tags.contains(Tag.builder().key("ml-platform:team").value("computer-vision").build()), tags.toString());
        DescribeDomainResponse domain = account.clients.sageMaker().describeDomain(r -> r.domainId(domainId));
        assertIdleShutdown(domain, 120);
    }

    @Test
    void aChangedListAddsOneRemovesOneAndARepeatChangesNothing() {
        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());
        String changed = sampleEventWithMembers("alice", "bob", "dave");

        Map<String, Integer> calls = new HashMap<>();
        Execution execution = onboardCounting(changed, calls);

        assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
        assertEquals(1, calls.getOrDefault("createUserProfile", 0), calls.toString());
        assertEquals(1, calls.getOrDefault("deleteUserProfile", 0), calls.toString());
        String domainId = (String) output(execution).get("sagemakerDomainId");
        assertEquals(List.of("alice", "bob", "dave"), account.profiles(domainId));
        assertEquals(Map.of("added", List.of("dave"), "kept", List.of("alice", "bob"), "removed", List.of("carol")),
                output(execution).get("members"));
        assertEquals("[\"alice\",\"bob\",\"dave\"]", account.teamParameter("computer-vision", "members"));

        Map<String, Long> versions = account.outputVersions();
        calls.clear();
        Execution repeat = onboardCounting(changed, calls);

        assertTrue(repeat.succeeded(), repeat.error() + ": " + repeat.cause());
        assertEquals(0, calls.getOrDefault("createUserProfile", 0) + calls.getOrDefault("deleteUserProfile", 0),
                calls.toString());
        assertEquals(Map.of("added", List.of(), "kept", List.of("alice", "bob", "dave"), "removed", List.of()),
                output(repeat).get("members"));
        assertEquals(versions, account.outputVersions(), "a repeat adds no parameter versions");
    }

    @Test
    void aRequestWithoutMembersLeavesTheProfilesAsTheyAre() {
        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());

        Execution execution = account.onboard(sampleEventWithMembers());

        assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
        assertEquals(null, output(execution).get("members"));
        assertEquals(List.of("alice", "bob", "carol"), account.profiles(account.domains().get(0).domainId()));
    }

    @Test
    void aRemovedMembersAppsThenPrivateSpacesGoBeforeTheProfileEachAwaited() {
        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());
        String domainId = account.domains().get(0).domainId();
        WireMockServer sageMaker = account.gaps.server();
        carolHasAnAppInHerPrivateSpaceAndAliceOneOfHerOwn(sageMaker, domainId);
        sageMaker.resetRequests();

        Execution execution = account.onboard(sampleEventWithMembers("alice", "bob"));

        assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
        List<String> deletes = new ArrayList<>(sageMaker.getAllServeEvents().stream()
                .map(e -> e.getRequest().getHeader("X-Amz-Target") + " " + e.getRequest().getBodyAsString())
                .filter(call -> call.startsWith("SageMaker.Delete"))
                .toList());
        Collections.reverse(deletes); // WireMock lists the newest first
        assertEquals(3, deletes.size(), deletes.toString());
        assertTrue(deletes.get(0).startsWith("SageMaker.DeleteApp ") && deletes.get(0).contains("carol-private"),
                deletes.toString());
        assertTrue(deletes.get(1).startsWith("SageMaker.DeleteSpace ") && deletes.get(1).contains("carol-private"),
                deletes.toString());
        assertTrue(deletes.get(2).startsWith("SageMaker.DeleteUserProfile ") && deletes.get(2).contains("carol"),
                deletes.toString());
        assertEquals(4, execution.entered("WaitForRemovedMembers"),
                "the app InService, then Deleting; the space Deleting; the profile as listed before its deletion");
        assertEquals(List.of("alice", "bob"), account.profiles(domainId));
    }

    @Test
    void aNewIdleTimeoutUpdatesTheExistingDomain() {
        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());
        Map<String, Object> event = mlteams.common.Json.readMap(Events.read("team-onboarded.json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = (Map<String, Object>) event.get("detail");
        detail.put("idleTimeoutMinutes", 240);

        Execution execution = account.onboard(mlteams.common.Json.write(event));

        assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
        assertEquals(1, execution.entered("CheckDomain"), "UpdateDomain leaves the domain Updating, which is awaited");
        assertIdleShutdown(account.clients.sageMaker().describeDomain(r -> r.domainId(account.domains().get(0)
                .domainId())), 240);
    }

    @Test
    void offboardingLeavesNoProfiles() {
        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());
        String domainId = account.domains().get(0).domainId();
        Map<String, String> deleteEverything = new HashMap<>(account.env);
        deleteEverything.put("RETAIN_TEAM_LOG_GROUP", "false");

        Execution offboard = account.offboard(deleteEverything, Events.read("team-offboarded.json"));

        assertTrue(offboard.succeeded(), offboard.error() + ": " + offboard.cause());
        assertEquals(List.of(), account.profiles(domainId));
        account.assertNothingOfTheTeamLeft();
    }

    @Test
    void teamMembersChangedRunsOnlyTheMembershipStep() {
        assertTrue(account.onboard(Events.read("team-onboarded.json")).succeeded());
        Map<String, Long> versions = account.outputVersions();

        Execution execution;
        List<String> functions;
        try (LocalWorkflow workflow = account.workflow(account.clients, account.env)) {
            execution = workflow.changeMembers(Events.read("team-members-changed.json"), e -> { });
            functions = workflow.lambda().invocations().stream().map(i -> i.function()).distinct().sorted().toList();
        }

        assertTrue(execution.succeeded(), execution.error() + ": " + execution.cause());
        assertEquals(List.of("ClaimTeam", "FindDomain", "PublishOutputs", "RecordOutcome", "SyncMembers",
                "ValidateMembersRequest"), functions, "nothing but the membership is touched");
        assertEquals(Map.of("added", List.of("dave"), "kept", List.of("alice", "bob"), "removed", List.of("carol")),
                output(execution).get("members"));
        assertEquals(List.of("alice", "bob", "dave"), account.profiles(account.domains().get(0).domainId()));
        versions.remove("/ml-teams/computer-vision/members");
        Map<String, Long> after = account.outputVersions();
        assertEquals(2L, after.remove("/ml-teams/computer-vision/members"));
        assertEquals(versions, after, "the other outputs are not written");
        assertEquals("ONBOARDED", account.teamParameter("computer-vision", "status"));
        assertEquals(null, account.teamParameter("computer-vision", "lock"));
    }

    @Test
    void aMembersChangeForATeamNotOnboardedFailsClearlyAndWritesNothing() {
        Execution execution;
        try (LocalWorkflow workflow = account.workflow(account.clients, account.env)) {
            execution = workflow.changeMembers(Events.read("team-members-changed.json"), e -> { });
        }

        assertEquals("TeamNotOnboarded", execution.error());
        assertTrue(execution.cause().contains("Team computer-vision is not onboarded"), execution.cause());
        assertEquals(List.of(), account.parameters());
        assertEquals(List.of(), account.domains());
    }

    private Execution onboardCounting(String event, Map<String, Integer> calls) {
        SageMakerClient counted = SdkStub.of(SageMakerClient.class, account.clients.sageMaker(), (operation, request) -> {
            calls.merge(operation, 1, Integer::sum);
            return SdkStub.PASS;
        });
        return account.onboard(account.clients.withSageMaker(counted), account.env, event);
    }

    private static void assertIdleShutdown(DescribeDomainResponse domain, int minutes) {
        for (var lifecycle : List.of(domain.defaultUserSettings().jupyterLabAppSettings().appLifecycleManagement(),
                domain.defaultUserSettings().codeEditorAppSettings().appLifecycleManagement())) {
            assertEquals("ENABLED", lifecycle.idleSettings().lifecycleManagementAsString());
            assertEquals(minutes, lifecycle.idleSettings().idleTimeoutInMinutes());
        }
    }

    /**
     * carol's JupyterLab app runs in her private space and alice's in her own (moto has neither): each listed as
     * SageMaker lists them, carol's going away as SageMaker deletes them, Deleting first. The profiles are moto's.
     */
    private static void carolHasAnAppInHerPrivateSpaceAndAliceOneOfHerOwn(WireMockServer sageMaker, String domainId) {
        String app = "{\"DomainId\":\"" + domainId + "\",\"SpaceName\":\"%s\",\"AppType\":\"JupyterLab\","
                + "\"AppName\":\"default\",\"Status\":\"%s\"}";
        String alices = app.formatted("alice-private", "InService");
        step(sageMaker, "apps", STARTED, "ListApps", "[" + app.formatted("carol-private", "InService") + "," + alices
                + "]", "Apps", null);
        step(sageMaker, "apps", STARTED, "DeleteApp", null, null, "deleting");
        step(sageMaker, "apps", "deleting", "ListApps", "[" + app.formatted("carol-private", "Deleting") + "," + alices
                + "]", "Apps", "deleted");
        step(sageMaker, "apps", "deleted", "ListApps", "[" + app.formatted("carol-private", "Deleted") + "," + alices
                + "]", "Apps", null);
        String space = "{\"DomainId\":\"" + domainId + "\",\"SpaceName\":\"%s-private\",\"Status\":\"%s\","
                + "\"OwnershipSettingsSummary\":{\"OwnerUserProfileName\":\"%1$s\"},"
                + "\"SpaceSharingSettingsSummary\":{\"SharingType\":\"Private\"}}";
        String alicesSpace = space.formatted("alice", "InService");
        step(sageMaker, "spaces", STARTED, "ListSpaces", "[" + space.formatted("carol", "InService") + "," + alicesSpace
                + "]", "Spaces", null);
        step(sageMaker, "spaces", STARTED, "DeleteSpace", null, null, "deleting");
        step(sageMaker, "spaces", "deleting", "ListSpaces", "[" + space.formatted("carol", "Deleting") + ","
                + alicesSpace + "]", "Spaces", "gone");
        step(sageMaker, "spaces", "gone", "ListSpaces", "[" + alicesSpace + "]", "Spaces", null);
    }

    /** One step of a WireMock scenario for a SageMaker operation, ahead of MotoGaps' own answers. */
    private static void step(WireMockServer server, String scenario, String state, String operation, String list,
            String listName, String nextState) {
        var stub = post(urlEqualTo("/")).atPriority(1).inScenario(scenario).whenScenarioStateIs(state)
                .withHeader("X-Amz-Target", equalTo("SageMaker." + operation))
                .willReturn(okJson(list == null ? "{}" : "{\"" + listName + "\":" + list + "}"));
        server.stubFor(nextState == null ? stub : stub.willSetStateTo(nextState));
    }
}
