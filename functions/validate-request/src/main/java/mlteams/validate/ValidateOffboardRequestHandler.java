package mlteams.validate;

import java.util.Map;
import mlteams.common.JsonHandler;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;

/** Offboarding's first step: the request names a valid team and nothing else. */
@SuppressWarnings({"rawtypes", "unchecked"})
public class ValidateOffboardRequestHandler extends JsonHandler<Map, ValidateRequestHandler.Validated> {

    /** The Lambda constructor: registers SnapStart priming. */
    public ValidateOffboardRequestHandler() {
        this(true);
    }

    private ValidateOffboardRequestHandler(boolean primeBeforeSnapshot) {
        super(Map.class);
        if (primeBeforeSnapshot) {
            primeBeforeSnapshot(PRIMING_EVENT);
        }
    }

    /** For tests and the local runner, which take no snapshot: the same handler, without SnapStart priming. */
    public static ValidateOffboardRequestHandler withoutPriming() {
        return new ValidateOffboardRequestHandler(false);
    }

    @Override
    protected ValidateRequestHandler.Validated handle(Map input, StepLog log) {
        TeamRequest request = RequestRules.validateOffboarding((Map<String, Object>) input);
        log.info("Offboarding request for team %s is valid", request.teamName());
        return new ValidateRequestHandler.Validated(request);
    }

    /** No AWS calls here either, so priming runs the real validation, of a good request and of a refused one. */
    @Override
    protected ValidateRequestHandler.Validated prime(Map sample, StepLog log) {
        RequestRules.primeRefusal(RequestRules::validateOffboarding);
        return handle(sample, log);
    }

    /** An offboarding event as EventBridge delivers it. */
    static final String PRIMING_EVENT = """
            {"version": "0", "id": "00000000-0000-0000-0000-000000000000", "detail-type": "Team Offboarded",
             "source": "ml-platform.teams", "account": "123456789012", "time": "2026-01-01T00:00:00Z",
             "region": "us-east-1", "resources": [], "detail": {"teamName": "snapstart-priming"}}""";
}
