package mlteams.validate;

import java.util.Map;
import mlteams.common.JsonHandler;
import mlteams.common.SnapStartPriming;
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
        primeBeforeSnapshot(PRIMING_EVENT);
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

    /** No AWS calls here, so priming runs the real validation, of a good request and of a refused one. */
    @Override
    protected Validated prime(Map sample, StepLog log) {
        RequestRules.primeRefusal(rules::validate);
        return handle(sample, log);
    }

    /**
     * An onboarding event as EventBridge delivers it, with every field set but the execution role: a role must be one
     * of the deployment's own, so the platform default stands in for it.
     */
    static final String PRIMING_EVENT = """
            {"version": "0", "id": "00000000-0000-0000-0000-000000000000", "detail-type": "Team Onboarded",
             "source": "ml-platform.teams", "account": "123456789012", "time": "2026-01-01T00:00:00Z",
             "region": "us-east-1", "resources": [],
             "detail": {"teamName": "snapstart-priming", "vpcId": "vpc-0a1b2c3d4e5f60718",
                        "subnetIds": ["subnet-0a1b2c3d4e5f60718"], "securityGroupIds": ["sg-0a1b2c3d4e5f60718"],
                        "kmsKeyId": "alias/aws/sagemaker", "logRetentionDays": 365, "tags": {"cost-center": "priming"}}}""";
}
