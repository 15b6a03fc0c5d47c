package mlteams.activity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The attribution rules, applied to what was read from one record. Never guesses: no evidence, no value. */
final class Attribution {

    static final String SOURCE_IDENTITY = "sourceIdentity";
    static final String ON_BEHALF_OF = "onBehalfOf";
    static final String REQUEST_USER_PROFILE = "requestUserProfile";
    static final String IAM_USER = "iamUser";
    static final String ASSUMED_ROLE_SESSION = "assumedRoleSession";

    static final String REQUEST_DOMAIN = "requestDomain";
    static final String DOMAIN_ARN_TAG = "domainArnTag";
    static final String RESPONSE_DOMAIN = "responseDomain";
    static final String RESOURCE_DOMAIN = "resourceDomain";
    static final String EXECUTION_ROLE = "executionRole";

    /**
     * Requests made for one user, whose user profile is the person: a Studio sign-in. Not CreateUserProfile,
     * DeleteUserProfile and the like: there the profile is what an administrator acted on, and the administrator is
     * the person (rules 1, 2 and 4).
     */
    static boolean isSignIn(String eventName) {
        return "CreatePresignedDomainUrl".equals(eventName);
    }

    private Attribution() {
    }

    static ActivityRecord decide(RecordFacts f, TeamLookup lookup) {
        String person = null;
        String personEvidence = null;
        if (present(f.sourceIdentity)) {
            person = f.sourceIdentity;
            personEvidence = SOURCE_IDENTITY;
        } else if (present(f.onBehalfOfUserId)) {
            person = f.onBehalfOfUserId;
            personEvidence = ON_BEHALF_OF;
        } else if (present(f.requestUserProfileName) && isSignIn(f.eventName)) {
            person = f.requestUserProfileName;
            personEvidence = REQUEST_USER_PROFILE;
        } else if ("IAMUser".equals(f.identityType) && present(f.identityUserName)) {
            person = f.identityUserName;
            personEvidence = IAM_USER;
        } else if ("AssumedRole".equals(f.identityType) && (person = sessionName(f.identityArn)) != null) {
            personEvidence = ASSUMED_ROLE_SESSION;
        }

        TeamSearch search = new TeamSearch(lookup);
        if (!search.tryId(f.requestDomainId, REQUEST_DOMAIN)
                && !search.tryId(DomainIds.fromArn(f.requestDomainArn), REQUEST_DOMAIN)
                && !search.tryId(DomainIds.fromArn(f.domainArnTag), DOMAIN_ARN_TAG)
                && !search.tryId(f.responseDomainId, RESPONSE_DOMAIN)
                && !search.tryId(DomainIds.fromArn(f.responseDomainArn), RESPONSE_DOMAIN)) {
            for (int i = 0; i < f.resourceArnCount; i++) {
                if (search.tryId(DomainIds.fromArn(f.resourceArns[i]), RESOURCE_DOMAIN)) {
                    break;
                }
            }
        }

        // Last evidence: the role the caller's session was issued by, when exactly one team's domains give it.
        // Denied and list calls name no domain, but a person of a team still acts through the team's role.
        String team = search.team;
        String teamEvidence = search.evidence;
        String reason = null;
        if (team == null) {
            Set<String> roleTeams = present(f.sessionIssuerArn) ? lookup.teamsOfExecutionRole(f.sessionIssuerArn) : Set.of();
            if (roleTeams.size() == 1) {
                team = roleTeams.iterator().next();
                teamEvidence = EXECUTION_ROLE;
            } else {
                reason = unattributedReason(search.domainId, roleTeams);
            }
        }

        return new ActivityRecord(f.eventId, f.eventTime, f.eventSource, f.eventName, f.awsRegion,
                person, personEvidence, team, teamEvidence, search.domainId, reason,
                f.errorCode, f.errorMessage, f.readOnly, f.sourceIpAddress, f.userAgent);
    }

    /** Why a record has no team: said on the record, so an unattributed line explains itself. */
    static String unattributedReason(String domainId, Set<String> roleTeams) {
        List<String> reasons = new ArrayList<>(2);
        if (domainId != null) {
            reasons.add("domain " + domainId + " is no team's");
        }
        if (roleTeams.size() > 1) {
            reasons.add("execution role shared by teams " + String.join(", ", new TreeSet<>(roleTeams)));
        }
        return reasons.isEmpty() ? "no team's domain or execution role named" : String.join("; ", reasons);
    }

    /** The session name of an assumed-role ARN: arn:aws:sts::123456789012:assumed-role/RoleName/SessionName. */
    static String sessionName(String arn) {
        if (arn == null || !arn.contains(":assumed-role/")) {
            return null;
        }
        int slash = arn.lastIndexOf('/');
        String session = arn.substring(slash + 1);
        return arn.indexOf('/') < slash && present(session) ? session : null;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    /** Tries the record's domain ids in the order of evidence until one belongs to a team. */
    private static final class TeamSearch {
        private final TeamLookup lookup;
        String team;
        String evidence;
        String domainId;
        private String lastTried;

        TeamSearch(TeamLookup lookup) {
            this.lookup = lookup;
        }

        boolean tryId(String id, String evidenceName) {
            if (!DomainIds.isDomainId(id) || id.equals(lastTried)) {
                return false;
            }
            if (domainId == null) {
                domainId = id;
            }
            lastTried = id;
            Optional<String> found = lookup.teamOfDomain(id);
            if (found.isPresent()) {
                team = found.get();
                evidence = evidenceName;
                domainId = id;
                return true;
            }
            return false;
        }
    }
}
