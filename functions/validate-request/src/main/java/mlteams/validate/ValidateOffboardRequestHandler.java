package mlteams.validate;

import mlteams.common.TeamRequest;

/** Offboarding's first step: the request names a valid team and nothing else. */
public class ValidateOffboardRequestHandler extends TeamEventValidation {

    static final String PRIMING_EVENT = primingEvent("Team Offboarded", "{\"teamName\": \"snapstart-priming\"}");

    /** The Lambda constructor: registers SnapStart priming. */
    public ValidateOffboardRequestHandler() {
        this(PRIMING_EVENT);
    }

    private ValidateOffboardRequestHandler(String primingEvent) {
        super(RequestRules::validateOffboarding, primingEvent);
    }

    /** For tests and the local runner, which take no snapshot: the same handler, without SnapStart priming. */
    public static ValidateOffboardRequestHandler withoutPriming() {
        return new ValidateOffboardRequestHandler(null);
    }

    @Override
    String describe(TeamRequest request) {
        return "Offboarding request for team " + request.teamName() + " is valid";
    }
}
