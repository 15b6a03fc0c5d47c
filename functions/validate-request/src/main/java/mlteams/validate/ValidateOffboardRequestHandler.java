package mlteams.validate;

import java.util.Map;
import mlteams.common.JsonHandler;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;

/** Offboarding's first step: the request names a valid team and nothing else. */
@SuppressWarnings({"rawtypes", "unchecked"})
public class ValidateOffboardRequestHandler extends JsonHandler<Map, ValidateRequestHandler.Validated> {

    public ValidateOffboardRequestHandler() {
        super(Map.class);
    }

    @Override
    protected ValidateRequestHandler.Validated handle(Map input, StepLog log) {
        TeamRequest request = RequestRules.validateOffboarding((Map<String, Object>) input);
        log.info("Offboarding request for team %s is valid", request.teamName());
        return new ValidateRequestHandler.Validated(request);
    }
}
