package mlteams.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import mlteams.common.InvalidRequestException;
import mlteams.common.Json;
import mlteams.common.SnapStartPriming;
import mlteams.local.peers.LocalLambda;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming only reads, and only names derived from {@link SnapStartPriming#PROBE_TEAM}. That is safe
 * because validation refuses that team name, so no real team can ever own those names.
 */
class PrimingNamesTest {

    private final RequestRules rules = new RequestRules(PlatformDefaults.from(Map.of()));

    @Test
    void thePrimingTeamNameIsRefusedSoNoRealTeamCanOwnItsNames() {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> rules.validate(Map.of("teamName", SnapStartPriming.PROBE_TEAM)));
        assertTrue(refused.getMessage().contains("teamName: must be lower-case ASCII letters"), refused.getMessage());
    }

    @Test
    void offboardingRefusesThePrimingTeamNameToo() {
        assertThrows(InvalidRequestException.class,
                () -> RequestRules.validateOffboarding(Map.of("teamName", SnapStartPriming.PROBE_TEAM)));
    }

    @Test
    void theOffboardingPrimingEventIsAValidRequestSoPrimingWarmsTheSuccessPath() throws Exception {
        Map<String, Object> output = Json.readMap(LocalLambda.call(ValidateOffboardRequestHandler.withoutPriming(),
                "ValidateOffboardRequest", ValidateOffboardRequestHandler.PRIMING_EVENT));
        assertEquals("snapstart-priming", ((Map<?, ?>) output.get("request")).get("teamName"));
    }

    /** In any account: the defaults and allowed role are the deployment's own. */
    @Test
    void thePrimingEventIsAValidRequestSoPrimingWarmsTheSuccessPath() throws Exception {
        String role = "arn:aws:iam::210987654321:role/studio-execution";
        ValidateRequestHandler handler = new ValidateRequestHandler(PlatformDefaults.from(Map.of(
                "DEFAULT_EXECUTION_ROLE_ARN", role, "ALLOWED_EXECUTION_ROLE_ARNS", role, "ACCOUNT_ID", "210987654321")));
        Map<String, Object> output = Json.readMap(LocalLambda.call(handler, "ValidateRequest",
                ValidateRequestHandler.PRIMING_EVENT));
        assertEquals("snapstart-priming", ((Map<?, ?>) output.get("request")).get("teamName"));
    }
}
