package mlteams.validate;

import java.util.Map;
import mlteams.common.JsonHandler;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;

/** The membership change's first step: the request names a valid team and its whole member list, nothing else. */
@SuppressWarnings({"rawtypes", "unchecked"})
public class ValidateMembersRequestHandler extends JsonHandler<Map, ValidateRequestHandler.Validated> {

    /** The Lambda constructor: registers SnapStart priming. */
    public ValidateMembersRequestHandler() {
        this(true);
    }

    private ValidateMembersRequestHandler(boolean primeBeforeSnapshot) {
        super(Map.class);
        if (primeBeforeSnapshot) {
            primeBeforeSnapshot(PRIMING_EVENT);
        }
    }

    /** For tests and the local runner, which take no snapshot: the same handler, without SnapStart priming. */
    public static ValidateMembersRequestHandler withoutPriming() {
        return new ValidateMembersRequestHandler(false);
    }

    @Override
    protected ValidateRequestHandler.Validated handle(Map input, StepLog log) {
        TeamRequest request = RequestRules.validateMembersChange((Map<String, Object>) input);
        log.info("Membership change for team %s is valid: %d member(s)", request.teamName(), request.members().size());
        return new ValidateRequestHandler.Validated(request);
    }

    /** No AWS calls here either, so priming runs the real validation, of a good request and of a refused one. */
    @Override
    protected ValidateRequestHandler.Validated prime(Map sample, StepLog log) {
        RequestRules.primeRefusal(RequestRules::validateMembersChange);
        return handle(sample, log);
    }

    /** A membership change as EventBridge delivers it. */
    static final String PRIMING_EVENT = """
            {"version": "0", "id": "00000000-0000-0000-0000-000000000000", "detail-type": "Team Members Changed",
             "source": "ml-platform.teams", "account": "123456789012", "time": "2026-01-01T00:00:00Z",
             "region": "us-east-1", "resources": [],
             "detail": {"teamName": "snapstart-priming", "members": [{"userName": "priming-member"}]}}""";
}
