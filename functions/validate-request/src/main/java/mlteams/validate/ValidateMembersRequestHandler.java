package mlteams.validate;

import mlteams.common.TeamRequest;

/** The membership change's first step: the request names a valid team and its whole member list, nothing else. */
public class ValidateMembersRequestHandler extends TeamEventValidation {

    static final String PRIMING_EVENT = primingEvent("Team Members Changed",
            "{\"teamName\": \"snapstart-priming\", \"members\": [{\"userName\": \"priming-member\"}]}");

    /** The Lambda constructor: registers SnapStart priming. */
    public ValidateMembersRequestHandler() {
        this(PRIMING_EVENT);
    }

    private ValidateMembersRequestHandler(String primingEvent) {
        super(RequestRules::validateMembersChange, primingEvent);
    }

    /** For tests and the local runner, which take no snapshot: the same handler, without SnapStart priming. */
    public static ValidateMembersRequestHandler withoutPriming() {
        return new ValidateMembersRequestHandler(null);
    }

    @Override
    String describe(TeamRequest request) {
        return "Membership change for team " + request.teamName() + " is valid: " + request.members().size()
                + " member(s)";
    }
}
