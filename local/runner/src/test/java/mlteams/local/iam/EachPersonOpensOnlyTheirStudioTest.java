package mlteams.local.iam;

import static mlteams.local.iam.ServicePrincipalsTest.assertAllowed;
import static mlteams.local.iam.ServicePrincipalsTest.assertDenied;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.TeamRequest;
import org.junit.jupiter.api.Test;

/**
 * With ExecutionRoleIdentityConfig = USER_PROFILE_NAME, the person CloudTrail names is the Studio user profile, so
 * "who did what" holds only if each person can open only their own profile. PeopleStudioAccessPolicy, attached to
 * the people's principals, is evaluated by {@link IamSimulator} with the tags IAM would see: the profile's tags
 * (aws:ResourceTag) as onboarding sets them, and the caller's principal tags (aws:PrincipalTag).
 */
class EachPersonOpensOnlyTheirStudioTest {

    private static final String DOMAIN = "d-computervision1";
    private static final String OTHER_DOMAIN = "d-nlpresearch0001";
    private final DeployedStack stack = DeployedStack.load();
    private final List<IamCase.Policy> people = List.of(new IamCase.Policy("PeopleStudioAccessPolicy",
            stack.properties("PeopleStudioAccessPolicy").get("PolicyDocument")));

    @Test
    void aPersonOpensTheirOwnProfileAndNoOneElses() {
        assertAllowed(List.of(
                open("alice", profile(DOMAIN, "alice", "computer-vision")),
                describe("alice", profile(DOMAIN, "alice", "computer-vision")),
                open("erin", profile(OTHER_DOMAIN, "erin", "nlp-research"))));
        assertDenied(List.of(
                open("alice", profile(DOMAIN, "bob", "computer-vision")),
                describe("alice", profile(DOMAIN, "bob", "computer-vision")),
                open("bob", profile(DOMAIN, "alice", "computer-vision")),
                // a person of another team opens none of this team's profiles
                open("erin", profile(DOMAIN, "alice", "computer-vision")),
                open("erin", profile(DOMAIN, "bob", "computer-vision"))));
    }

    @Test
    void aPrincipalWithoutTheTagOrAProfileWithoutItMatchesNothing() {
        assertDenied(List.of(
                open(null, profile(DOMAIN, "alice", "computer-vision")),
                open(null, new Profile(DOMAIN, "made-by-hand", Map.of())),
                open("alice", new Profile(DOMAIN, "alice", Map.of()))));
    }

    @Test
    void itGrantsNothingButOpeningStudio() {
        Profile alices = profile(DOMAIN, "alice", "computer-vision");
        assertDenied(List.of(
                request("alice", "sagemaker:DeleteUserProfile", alices),
                request("alice", "sagemaker:UpdateUserProfile", alices),
                request("alice", "sagemaker:AddTags", alices)));
    }

    private record Profile(String domainId, String name, Map<String, String> tags) {
    }

    /** A profile as onboarding tags it: the team, and the member's name under the key the policy reads. */
    private static Profile profile(String domainId, String name, String team) {
        return new Profile(domainId, name, Map.of(TeamRequest.MEMBER_TAG, name, "ml-platform:team", team));
    }

    private IamCase open(String person, Profile profile) {
        return request(person, "sagemaker:CreatePresignedDomainUrl", profile);
    }

    private IamCase describe(String person, Profile profile) {
        return request(person, "sagemaker:DescribeUserProfile", profile);
    }

    private IamCase request(String person, String action, Profile profile) {
        Map<String, Object> context = new LinkedHashMap<>();
        profile.tags().forEach((k, v) -> context.put("aws:ResourceTag/" + k, v));
        if (person != null) {
            context.put("aws:PrincipalTag/" + TeamRequest.MEMBER_TAG, person);
        }
        String principal = "arn:aws:iam::" + stack.account + ":role/" + (person == null ? "untagged" : person);
        return new IamCase(principal + " " + action + " " + profile, principal, action,
                stack.arn("sagemaker", "user-profile/" + profile.domainId() + "/" + profile.name()), stack.account,
                context, people, null, null);
    }
}
