package mlteams.validate;

import java.util.Map;
import mlteams.common.JsonHandler;
import mlteams.common.StepLog;
import mlteams.common.TeamRequest;

/**
 * The workflow's first step: refuses a bad request before anything is created, and applies the platform's
 * defaults so that later steps see one complete, valid request.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public class ValidateRequestHandler extends JsonHandler<Map, ValidateRequestHandler.Validated> {

    /** The state the rest of the workflow works on. */
    public record Validated(TeamRequest request) {
    }

    private final RequestRules rules;

    public ValidateRequestHandler() {
        this(PlatformDefaults.fromEnvironment());
    }

    public ValidateRequestHandler(PlatformDefaults defaults) {
        super(Map.class);
        this.rules = new RequestRules(defaults);
    }

    @Override
    protected Validated handle(Map input, StepLog log) {
        TeamRequest request = rules.validate((Map<String, Object>) input);
        log.info("Request for team %s is valid: vpc %s, %d subnet(s), retention %d days",
                request.teamName(), request.vpcId(), request.subnetIds().size(), request.logRetentionDays());
        return new Validated(request);
    }
}
