package mlteams.validate;

import java.util.Map;
import java.util.function.Function;
import mlteams.common.JsonHandler;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;

/**
 * The first step of a workflow whose request is one team event checked by one of {@link RequestRules}' rules. It
 * makes no AWS call, so SnapStart priming runs the real validation, of a good event and of a refused one.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
abstract class TeamEventValidation extends JsonHandler<Map, ValidateRequestHandler.Validated> {

    private final Function<Map<String, Object>, TeamRequest> rule;

    /** @param primingEvent the event priming validates, as EventBridge delivers it; null for no priming */
    TeamEventValidation(Function<Map<String, Object>, TeamRequest> rule, String primingEvent) {
        super(Map.class);
        this.rule = rule;
        if (primingEvent != null) {
            primeBeforeSnapshot(primingEvent);
        }
    }

    /** What the log says of a valid request. */
    abstract String describe(TeamRequest request);

    @Override
    protected ValidateRequestHandler.Validated handle(Map input, StepLog log) {
        TeamRequest request = rule.apply((Map<String, Object>) input);
        log.info("%s", describe(request));
        return new ValidateRequestHandler.Validated(request);
    }

    @Override
    protected ValidateRequestHandler.Validated prime(Map sample, StepLog log) {
        RequestRules.primeRefusal(rule);
        return handle(sample, log);
    }

    /** A team event as EventBridge delivers it, for priming. */
    static String primingEvent(String detailType, String detail) {
        return """
                {"version": "0", "id": "00000000-0000-0000-0000-000000000000", "detail-type": "%s",
                 "source": "ml-platform.teams", "account": "123456789012", "time": "2026-01-01T00:00:00Z",
                 "region": "us-east-1", "resources": [], "detail": %s}""".formatted(detailType, detail);
    }
}
