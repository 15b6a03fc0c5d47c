package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Conditions that only match if an AWS service sends what they test. Which context a service sends is
 * documented by AWS, not evaluated by any local peer, so each case names the page it relies on.
 */
class ServiceConditionsTest {

    private static final TemplatePolicies TEMPLATE = TemplatePolicies.load();

    /**
     * CloudTrail user guide, "Role policy document for CloudTrail to use CloudWatch Logs for monitoring":
     * confused-deputy conditions do not apply to this role, aws:SourceArn and aws:SourceAccount are not
     * supported. A trust policy requiring them never lets CloudTrail in, and delivery to the log group stops.
     */
    @Test
    @SuppressWarnings("unchecked")
    void cloudTrailCanAssumeItsLogDeliveryRoleWithoutSourceContext() {
        String ensureTrail = TEMPLATE.functionWithHandler("mlteams.trail.EnsureTrailHandler");
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) TEMPLATE.properties(ensureTrail)
                .get("Environment")).get("Variables");
        String role = (String) ((List<Object>) ((Map<String, Object>) variables.get("TRAIL_LOGS_ROLE_ARN"))
                .get("Fn::GetAtt")).get(0);
        Map<String, Object> trust = (Map<String, Object>) TEMPLATE.properties(role).get("AssumeRolePolicyDocument");

        List<Map<String, Object>> statements = (List<Map<String, Object>>) trust.get("Statement");
        assertEquals(1, statements.size(), "one trust statement, for CloudTrail");
        Map<String, Object> statement = statements.get(0);
        assertEquals(Map.of("Service", "cloudtrail.amazonaws.com"), statement.get("Principal"));
        String conditions = String.valueOf(statement.getOrDefault("Condition", Map.of())).toLowerCase();
        assertTrue(!conditions.contains("aws:sourcearn") && !conditions.contains("aws:sourceaccount"),
                role + " trusts CloudTrail only with context CloudTrail does not send: " + conditions);
    }

    /**
     * CreateDomain makes the home EFS with the caller's credentials, and EFS then uses the domain's key on the
     * caller's behalf (EFS user guide, "Using AWS KMS keys for Amazon EFS"): those KMS requests arrive through
     * elasticfilesystem.<region>.amazonaws.com, not sagemaker.<region>.amazonaws.com. A kms:ViaService that
     * names SageMaker alone refuses them, and a domain with a customer key fails.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theDomainKeyCanBeUsedThroughSageMakerAndItsHomeFileSystem() {
        String ensureDomain = TEMPLATE.functionWithHandler("mlteams.domain.EnsureDomainHandler");
        Map<String, Object> stringEquals = (Map<String, Object>) TEMPLATE.condition(ensureDomain, "DomainEncryptionKey")
                .get("StringEquals");
        Object viaService = stringEquals.get("kms:ViaService");
        List<Object> services = viaService instanceof List<?> l ? (List<Object>) l : List.of(viaService);

        assertEquals(List.of(Map.of("Fn::Sub", "sagemaker.${AWS::Region}.amazonaws.com"),
                Map.of("Fn::Sub", "elasticfilesystem.${AWS::Region}.amazonaws.com")), services);
    }
}
