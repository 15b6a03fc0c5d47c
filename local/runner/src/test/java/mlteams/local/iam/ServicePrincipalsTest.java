package mlteams.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.TeamNames;
import org.junit.jupiter.api.Test;

/**
 * Every AWS service the stack relies on is let in by the policy that AWS evaluates for it (key, bucket, queue and
 * trust policies, and the roles services act as), with the context keys that service really sends; and nothing
 * else is let in by the same statements. Evaluated by {@link IamSimulator} on the deployed form of template.yaml.
 */
class ServicePrincipalsTest {

    private static final String TEAM = "computer-vision";
    private final DeployedStack stack = DeployedStack.load();
    private final String trailArn = stack.arn("cloudtrail", "trail/" + stack.parameter("TrailName"));
    private final String keyArn = stack.keyArn("PlatformKey");
    private final Object keyPolicy = stack.properties("PlatformKey").get("KeyPolicy");

    @Test
    void cloudWatchLogsMayUseTheKeyForEveryEncryptedLogGroup() {
        List<String> groups = new ArrayList<>();
        for (String id : stack.ofType("AWS::Logs::LogGroup")) {
            if (stack.properties(id).containsKey("KmsKeyId")) {
                groups.add(stack.physicalName(id));
            }
        }
        // Team groups are made by EnsureLogGroup, with the same key, under the LogGroupPrefix parameter.
        groups.add(TeamNames.logGroupName((String) stack.parameter("LogGroupPrefix"), TEAM));
        List<IamCase> cases = new ArrayList<>();
        for (String group : groups) {
            for (String action : List.of("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey")) {
                cases.add(IamCase.byService(stack, "logs." + stack.region + ".amazonaws.com", action, keyArn,
                        Map.of("kms:EncryptionContext:aws:logs:arn", stack.arn("logs", "log-group:" + group)), keyPolicy));
            }
        }
        assertAllowed(cases);
        // The same statement does not let CloudWatch Logs use the key for any other group.
        assertDenied(List.of(IamCase.byService(stack, "logs." + stack.region + ".amazonaws.com", "kms:GenerateDataKey",
                keyArn, Map.of("kms:EncryptionContext:aws:logs:arn", stack.arn("logs", "log-group:/other/app")), keyPolicy)));
    }

    @Test
    void cloudTrailMayDeliverToTheBucketAndUseTheKeyForTheSharedTrailOnly() {
        String bucket = stack.physicalName("TrailBucket");
        Object bucketPolicy = stack.properties("TrailBucketPolicy").get("PolicyDocument");
        String object = "arn:aws:s3:::" + bucket + "/AWSLogs/" + stack.account + "/CloudTrail/" + stack.region
                + "/2026/11/29/" + stack.account + "_CloudTrail_" + stack.region + "_20261129T0000Z_x.json.gz";
        String otherTrail = stack.arn("cloudtrail", "trail/someone-elses");
        assertAllowed(List.of(
                IamCase.byService(stack, "cloudtrail.amazonaws.com", "s3:GetBucketAcl", "arn:aws:s3:::" + bucket,
                        cloudTrailContext(trailArn), bucketPolicy),
                IamCase.byService(stack, "cloudtrail.amazonaws.com", "s3:PutObject", object,
                        withAcl(cloudTrailContext(trailArn)), bucketPolicy),
                IamCase.byService(stack, "cloudtrail.amazonaws.com", "kms:GenerateDataKey", keyArn,
                        withTrailContext(cloudTrailContext(trailArn), trailArn), keyPolicy),
                IamCase.byService(stack, "cloudtrail.amazonaws.com", "kms:DescribeKey", keyArn,
                        cloudTrailContext(trailArn), keyPolicy)));
        Map<String, Object> plainHttp = withAcl(cloudTrailContext(trailArn));
        plainHttp.put("aws:SecureTransport", "false");
        assertDenied(List.of(
                IamCase.byService(stack, "cloudtrail.amazonaws.com", "s3:PutObject", object,
                        withAcl(cloudTrailContext(otherTrail)), bucketPolicy),
                IamCase.byService(stack, "cloudtrail.amazonaws.com", "s3:PutObject", object,
                        cloudTrailContext(trailArn), bucketPolicy), // without bucket-owner-full-control
                IamCase.byService(stack, "cloudtrail.amazonaws.com", "s3:PutObject", object, plainHttp, bucketPolicy),
                IamCase.byService(stack, "cloudtrail.amazonaws.com", "kms:GenerateDataKey", keyArn,
                        withTrailContext(cloudTrailContext(otherTrail), otherTrail), keyPolicy)));
    }

    @Test
    void cloudTrailMayAssumeTheDeliveryRoleAndWriteOnlyItsOwnStreams() {
        String role = stack.roleArn("TrailLogsRole");
        Object trust = stack.properties("TrailLogsRole").get("AssumeRolePolicyDocument");
        String group = stack.physicalName("TrailLogGroup");
        String ownStream = stack.arn("logs", "log-group:" + group + ":log-stream:" + stack.account + "_CloudTrail_"
                + stack.region);
        // CloudTrail sends no aws:SourceArn or aws:SourceAccount when it assumes this role (CloudTrail user guide,
        // "Role policy document for CloudTrail to use CloudWatch Logs for monitoring"): a trust condition on them
        // would stop delivery.
        assertAllowed(List.of(
                IamCase.byService(stack, "cloudtrail.amazonaws.com", "sts:AssumeRole", role, Map.of(), trust),
                IamCase.byRole(stack, "TrailLogsRole", "logs:CreateLogStream", ownStream, Map.of(), null),
                IamCase.byRole(stack, "TrailLogsRole", "logs:PutLogEvents", ownStream, Map.of(), null)));
        assertDenied(List.of(
                IamCase.byService(stack, "lambda.amazonaws.com", "sts:AssumeRole", role, Map.of(), trust),
                IamCase.byRole(stack, "TrailLogsRole", "logs:PutLogEvents", stack.arn("logs", "log-group:"
                        + TeamNames.logGroupName((String) stack.parameter("LogGroupPrefix"), TEAM)
                        + ":log-stream:" + TeamNames.LOG_STREAM_NAME), Map.of(), null)));
    }

    /**
     * A team's own key (the request names it) is used as EnsureDomain's role, through SageMaker and through EFS,
     * which makes the home file system with the caller's credentials and then uses the key on its behalf (EFS user
     * guide, "Using AWS KMS keys for Amazon EFS"); never directly, nor through another service.
     */
    @Test
    void theDomainKeyIsUsedOnlyThroughSageMakerAndTheHomeFileSystem() {
        String role = stack.roleOfFunction("EnsureDomainFunction");
        String teamKey = stack.arn("kms", "key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
        // KMS decides with the key's own policy too: the team's key with KMS's default one, which lets IAM
        // policies of the account grant its use.
        Object defaultKeyPolicy = Map.of("Version", "2012-10-17", "Statement", List.of(Map.of("Sid",
                "EnableIamPolicies", "Effect", "Allow", "Principal", Map.of("AWS", "arn:aws:iam::" + stack.account
                        + ":root"), "Action", "kms:*", "Resource", "*")));
        List<IamCase> allowed = new ArrayList<>();
        List<IamCase> denied = new ArrayList<>();
        for (String action : List.of("kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey",
                "kms:GenerateDataKeyWithoutPlaintext")) {
            for (String service : List.of("sagemaker", "elasticfilesystem")) {
                allowed.add(IamCase.byRole(stack, role, action, teamKey,
                        Map.of("kms:ViaService", service + "." + stack.region + ".amazonaws.com"), defaultKeyPolicy));
            }
            denied.add(IamCase.byRole(stack, role, action, teamKey, Map.of(), defaultKeyPolicy));
            denied.add(IamCase.byRole(stack, role, action, teamKey,
                    Map.of("kms:ViaService", "s3." + stack.region + ".amazonaws.com"), defaultKeyPolicy));
        }
        assertAllowed(allowed);
        assertDenied(denied);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eventBridgeMayDeliverToEveryTargetAndDeadLetterQueueOfItsRules() {
        List<IamCase> allowed = new ArrayList<>();
        List<IamCase> denied = new ArrayList<>();
        for (String rule : stack.ofType("AWS::Events::Rule")) {
            String ruleArn = stack.arn("events", "rule/" + stack.physicalName(rule));
            Map<String, Object> context = new LinkedHashMap<>(Map.of("aws:SourceArn", ruleArn,
                    "aws:SourceAccount", stack.account, "aws:SecureTransport", "true"));
            for (Object t : (List<Object>) stack.properties(rule).get("Targets")) {
                Map<String, Object> target = (Map<String, Object>) t;
                String arn = (String) target.get("Arn");
                if (target.get("RoleArn") instanceof String roleArn) {
                    String role = stack.ofType("AWS::IAM::Role").stream().filter(r -> stack.roleArn(r).equals(roleArn))
                            .findFirst().orElseThrow();
                    allowed.add(IamCase.byService(stack, "events.amazonaws.com", "sts:AssumeRole", roleArn, context,
                            stack.properties(role).get("AssumeRolePolicyDocument")));
                    allowed.add(IamCase.byRole(stack, role, "states:StartExecution", arn, Map.of(), null));
                } else if (arn.contains(":sqs:")) {
                    allowed.add(sendMessage(arn, context));
                } else if (arn.contains(":sns:")) {
                    allowed.addAll(publish("events.amazonaws.com", arn, context));
                }
                if (target.get("DeadLetterConfig") instanceof Map<?, ?> dlq) {
                    allowed.add(sendMessage((String) dlq.get("Arn"), context));
                }
            }
        }
        // No other rule (here: one of another stack) may fill the stack's queues.
        Map<String, Object> foreign = Map.of("aws:SourceArn", stack.arn("events", "rule/someone-elses"),
                "aws:SourceAccount", stack.account, "aws:SecureTransport", "true");
        for (String queue : stack.ofType("AWS::SQS::Queue")) {
            if (queuePolicy(stack.arn("sqs", stack.physicalName(queue))) != null) {
                denied.add(sendMessage(stack.arn("sqs", stack.physicalName(queue)), foreign));
            }
        }
        assertFalse(allowed.isEmpty());
        assertAllowed(allowed);
        assertDenied(denied);
    }

    @Test
    void theActivityMonitorMayReadItsQueueAndTheWorkflowsMayInvokeTheirSteps() {
        String queue = stack.arn("sqs", stack.physicalName("ActivityQueue"));
        String monitor = stack.roleOfFunction("ActivityMonitorFunction");
        List<IamCase> cases = new ArrayList<>();
        for (String action : List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")) {
            cases.add(IamCase.byRole(stack, monitor, action, queue, Map.of(), queuePolicy(queue)));
        }
        for (String machine : stack.ofType("AWS::StepFunctions::StateMachine")) {
            String roleArn = (String) stack.properties(machine).get("RoleArn");
            String role = stack.ofType("AWS::IAM::Role").stream().filter(r -> stack.roleArn(r).equals(roleArn))
                    .findFirst().orElseThrow();
            @SuppressWarnings("unchecked")
            Map<String, Object> steps = (Map<String, Object>) stack.properties(machine).get("DefinitionSubstitutions");
            steps.values().forEach(alias -> cases.add(
                    IamCase.byRole(stack, role, "lambda:InvokeFunction", (String) alias, Map.of(), null)));
        }
        assertAllowed(cases);
    }

    @Test
    @SuppressWarnings("unchecked")
    void alarmsOfTheAccountMayPublishToTheAlarmTopic() {
        String topic = stack.arn("sns", stack.physicalName("AlarmTopic"));
        List<IamCase> allowed = new ArrayList<>();
        List<String> alarms = new ArrayList<>();
        for (String alarm : stack.ofType("AWS::CloudWatch::Alarm")) {
            assertEquals(List.of(topic), stack.properties(alarm).get("AlarmActions"), alarm);
            alarms.add(stack.physicalName(alarm));
        }
        alarms.add("ml-team-" + TEAM + "-access-denied-burst"); // the team alarms EnsureTeamMonitoring makes
        for (String alarm : alarms) {
            allowed.addAll(publish("cloudwatch.amazonaws.com", topic, Map.of("aws:SourceArn",
                    stack.arn("cloudwatch", "alarm:" + alarm), "aws:SourceAccount", stack.account,
                    "aws:SecureTransport", "true")));
        }
        assertAllowed(allowed);
        assertDenied(List.of(
                IamCase.byService(stack, "cloudwatch.amazonaws.com", "sns:Publish", topic, Map.of("aws:SourceArn",
                        "arn:aws:cloudwatch:us-east-1:999999999999:alarm:theirs", "aws:SourceAccount", "999999999999",
                        "aws:SecureTransport", "true"), topicPolicy(topic)),
                IamCase.byService(stack, "events.amazonaws.com", "sns:Publish", topic, Map.of("aws:SourceArn",
                        stack.arn("events", "rule/someone-elses"), "aws:SecureTransport", "true"), topicPolicy(topic))));
    }

    /** Publishing to the encrypted topic: the topic policy, and the key for the message's data key. */
    private List<IamCase> publish(String service, String topic, Map<String, Object> context) {
        return List.of(IamCase.byService(stack, service, "sns:Publish", topic, context, topicPolicy(topic)),
                IamCase.byService(stack, service, "kms:GenerateDataKey", keyArn, context, keyPolicy),
                IamCase.byService(stack, service, "kms:Decrypt", keyArn, context, keyPolicy));
    }

    @SuppressWarnings("unchecked")
    private Object topicPolicy(String topicArn) {
        for (String id : stack.ofType("AWS::SNS::TopicPolicy")) {
            if (((List<Object>) stack.properties(id).get("Topics")).contains(topicArn)) {
                return stack.properties(id).get("PolicyDocument");
            }
        }
        throw new AssertionError("no topic policy names " + topicArn);
    }

    private IamCase sendMessage(String queueArn, Map<String, Object> context) {
        return IamCase.byService(stack, "events.amazonaws.com", "sqs:SendMessage", queueArn, context,
                queuePolicy(queueArn));
    }

    /** The policy document of the QueuePolicy that names this queue, or null. */
    @SuppressWarnings("unchecked")
    private Object queuePolicy(String queueArn) {
        String name = queueArn.substring(queueArn.lastIndexOf(':') + 1);
        for (String id : stack.ofType("AWS::SQS::QueuePolicy")) {
            List<Object> queues = (List<Object>) stack.properties(id).get("Queues");
            if (queues.stream().anyMatch(url -> String.valueOf(url).endsWith("/" + name))) {
                return stack.properties(id).get("PolicyDocument");
            }
        }
        return null;
    }

    private Map<String, Object> cloudTrailContext(String sourceTrail) {
        return new LinkedHashMap<>(Map.of("aws:SourceArn", sourceTrail, "aws:SourceAccount", stack.account,
                "aws:SecureTransport", "true"));
    }

    private static Map<String, Object> withAcl(Map<String, Object> context) {
        context.put("s3:x-amz-acl", "bucket-owner-full-control");
        return context;
    }

    private static Map<String, Object> withTrailContext(Map<String, Object> context, String trail) {
        context.put("kms:EncryptionContext:aws:cloudtrail:arn", trail);
        return context;
    }

    static void assertAllowed(List<IamCase> cases) {
        List<String> refused = IamSimulator.evaluate(cases).stream().map(IamSimulator.Decision::whyNotAllowed)
                .filter(java.util.Objects::nonNull).toList();
        assertEquals(List.of(), refused, "what AWS would refuse");
    }

    static void assertDenied(List<IamCase> cases) {
        List<String> let = IamSimulator.evaluate(cases).stream().filter(d -> !d.denied()).map(Object::toString).toList();
        assertEquals(List.of(), let, "what AWS would let in");
    }
}
