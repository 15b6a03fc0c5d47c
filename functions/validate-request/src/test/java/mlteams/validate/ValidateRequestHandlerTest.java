package mlteams.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mlteams.common.InvalidRequestException;
import mlteams.common.Json;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalLambda;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidateRequestHandlerTest {

    /** As template.yaml sets them: the roles the stack may pass are exact ARNs (the default and one extra). */
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "DEFAULT_VPC_ID", "vpc-0123456789abcdef0",
            "DEFAULT_SUBNET_IDS", "subnet-0123456789abcdef0, subnet-0123456789abcdef1",
            "DEFAULT_SECURITY_GROUP_IDS", "sg-0123456789abcdef0",
            "DEFAULT_EXECUTION_ROLE_ARN", "arn:aws:iam::123456789012:role/platform/studio-execution",
            "DEFAULT_KMS_KEY_ID", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "DEFAULT_LOG_RETENTION_DAYS", "90",
            "ALLOWED_EXECUTION_ROLE_ARNS", "arn:aws:iam::123456789012:role/platform/studio-execution,"
                    + "arn:aws:iam::123456789012:role/ml-platform-studio-execution",
            "ACCOUNT_ID", "123456789012",
            "DEFAULT_IDLE_TIMEOUT_MINUTES", "180");
    private static final PlatformDefaults DEFAULTS = PlatformDefaults.from(ENVIRONMENT);

    private final ValidateRequestHandler handler = new ValidateRequestHandler(DEFAULTS);

    @Test
    void acceptsTheWholeEventBridgeEvent() throws Exception {
        Map<String, Object> request = invoke(Events.read("team-onboarded.json"));

        assertEquals("computer-vision", request.get("teamName"));
        assertEquals("vpc-0a1b2c3d4e5f60718", request.get("vpcId"));
        assertEquals(List.of("subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"), request.get("subnetIds"));
        assertEquals(List.of("sg-0a1b2c3d4e5f60718"), request.get("securityGroupIds"));
        assertEquals("arn:aws:iam::123456789012:role/ml-platform-studio-execution", request.get("executionRoleArn"));
        assertEquals("alias/aws/sagemaker", request.get("kmsKeyId"));
        assertEquals(365, request.get("logRetentionDays"));
        assertEquals(Map.of("cost-center", "cv"), request.get("tags"));
        assertEquals(List.of("alice", "bob", "carol"), request.get("members"));
        assertEquals(180, request.get("idleTimeoutMinutes"));
    }

    @Test
    void takesTheRequestsIdleTimeoutAndAnEmptyMemberList() throws Exception {
        Map<String, Object> request = invoke("{\"teamName\": \"cv\", \"idleTimeoutMinutes\": 525600, \"members\": []}");

        assertEquals(525600, request.get("idleTimeoutMinutes"));
        assertEquals(List.of(), request.get("members"), "an empty list: the team has nobody, unlike an absent field");
    }

    @Test
    void acceptsTheDetailAloneAndFillsInThePlatformDefaults() throws Exception {
        Map<String, Object> request = invoke(Events.read("team-onboarded-minimal.json"));

        assertEquals("nlp-research", request.get("teamName"));
        assertEquals("vpc-0123456789abcdef0", request.get("vpcId"));
        assertEquals(List.of("subnet-0123456789abcdef0", "subnet-0123456789abcdef1"), request.get("subnetIds"));
        assertEquals(List.of("sg-0123456789abcdef0"), request.get("securityGroupIds"));
        assertEquals("arn:aws:iam::123456789012:role/platform/studio-execution", request.get("executionRoleArn"));
        assertEquals(90, request.get("logRetentionDays"));
        assertEquals(Map.of(), request.get("tags"));
        assertEquals(null, request.get("members"), "no members field: the membership is left as it is");
    }

    @Test
    void namesAFieldThatHasNoValueAndNoDefault() {
        var noDefaults = new RequestRules(PlatformDefaults.from(Map.of()));
        var error = assertThrows(InvalidRequestException.class,
                () -> noDefaults.validate(Json.readMap("{\"teamName\":\"cv\"}")));

        for (String field : List.of("vpcId", "subnetIds", "securityGroupIds", "executionRoleArn", "kmsKeyId",
                "logRetentionDays")) {
            assertTrue(error.getMessage().contains(field + ": required"), error.getMessage());
        }
    }

    @Test
    void reportsEveryProblemAtOnce() {
        var error = assertThrows(InvalidRequestException.class, () -> new RequestRules(DEFAULTS).validate(
                Json.readMap("{\"teamName\":\"Bad Name\",\"vpcId\":\"vpc-x\",\"logRetentionDays\":2}")));

        assertTrue(error.getMessage().startsWith("Invalid onboarding request (3 problems): "), error.getMessage());
    }

    @Test
    void neverEchoesAHugeValue() {
        var error = assertThrows(InvalidRequestException.class, () -> new RequestRules(DEFAULTS).validate(
                Json.readMap("{\"teamName\":\"" + "x".repeat(100_000) + "\"}")));

        assertTrue(error.getMessage().length() < 200, "message length " + error.getMessage().length());
    }

    @Test
    void refusesARoleOfTheAccountThatThePlatformMayNotPass() {
        var error = assertThrows(InvalidRequestException.class, () -> new RequestRules(DEFAULTS).validate(
                Json.readMap("{\"teamName\":\"cv\",\"executionRoleArn\":\"arn:aws:iam::123456789012:role/Admin\"}")));

        assertTrue(error.getMessage().contains("executionRoleArn: not a role the platform may pass"), error.getMessage());
        assertEquals("arn:aws:iam::123456789012:role/ml-platform-studio-execution", new RequestRules(DEFAULTS).validate(
                Json.readMap("{\"teamName\":\"cv\",\"executionRoleArn\":"
                        + "\"arn:aws:iam::123456789012:role/ml-platform-studio-execution\"}")).executionRoleArn());
    }

    @Test
    void refusesADefaultRoleOrKeyOfAnotherAccountToo() {
        Map<String, String> environment = new java.util.HashMap<>(ENVIRONMENT);
        environment.put("DEFAULT_EXECUTION_ROLE_ARN", "arn:aws:iam::999999999999:role/platform/studio-execution");
        environment.put("ALLOWED_EXECUTION_ROLE_ARNS", "arn:aws:iam::999999999999:role/platform/studio-execution");
        environment.put("DEFAULT_KMS_KEY_ID", "arn:aws:kms:us-east-1:999999999999:alias/platform");
        var error = assertThrows(InvalidRequestException.class, () -> new RequestRules(PlatformDefaults.from(environment))
                .validate(Json.readMap("{\"teamName\":\"cv\"}")));

        assertTrue(error.getMessage().contains("executionRoleArn (platform default): must be a role of"), error.getMessage());
        assertTrue(error.getMessage().contains("kmsKeyId (platform default): a key of another account"), error.getMessage());
    }

    @Test
    void acceptsAKeyOfATrustedAccountAndKeysNamedWithoutAnAccount() {
        Map<String, String> environment = new java.util.HashMap<>(ENVIRONMENT);
        environment.put("TRUSTED_KMS_KEY_ACCOUNT_IDS", "111111111111,999999999999");
        var rules = new RequestRules(PlatformDefaults.from(environment));

        for (String key : List.of("arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "arn:aws:kms:eu-west-1:999999999999:alias/shared", "1234abcd-12ab-34cd-56ef-1234567890ab",
                "alias/team-key", "arn:aws:kms:us-east-1:123456789012:alias/own")) {
            assertEquals(key, rules.validate(Json.readMap("{\"teamName\":\"cv\",\"kmsKeyId\":\"" + key + "\"}"))
                    .kmsKeyId());
        }
    }

    static Stream<Arguments> invalidRequests() {
        Map<String, Object> corpus = Json.readMap(Events.read("invalid-requests.json"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) corpus.get("cases");
        return cases.stream().map(c -> Arguments.of(c.get("name"), c.get("field"), Json.write(c.get("request"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void refusesABadRequestNamingTheField(String name, String field, String request) {
        var error = assertThrows(InvalidRequestException.class, () -> invoke(request));

        assertTrue(error.getMessage().contains(field), name + ": expected '" + field + "' in: " + error.getMessage());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> invoke(String input) throws Exception {
        return (Map<String, Object>) Json.readMap(LocalLambda.call(handler, "ValidateRequest", input)).get("request");
    }
}
