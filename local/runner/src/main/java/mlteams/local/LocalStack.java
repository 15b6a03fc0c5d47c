package mlteams.local;

import java.util.LinkedHashMap;
import java.util.Map;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.record.TeamClaims;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * In an emulator, stands in for what {@code sam deploy} creates once per account: the trail's bucket and its
 * policy, the trail's log group and delivery role, the Studio sharing bucket, the unattributed activity stream, and
 * the table of the teams' claims. Then gives the functions the
 * same environment variables template.yaml gives them. Each call is idempotent.
 */
public final class LocalStack {

    static final String TRAIL_NAME = "ml-platform-activity";
    static final String TRAIL_BUCKET = "ml-platform-trail-local";
    static final String SHARING_BUCKET = "ml-platform-studio-sharing-local";
    static final String TRAIL_LOG_GROUP = "/ml-platform/cloudtrail/" + TRAIL_NAME;
    static final String TRAIL_LOGS_ROLE = "ml-platform-cloudtrail-logs";
    static final String UNATTRIBUTED_LOG_GROUP = "/ml-platform/activity/unattributed";
    static final String TEAM_CLAIMS_TABLE = "ml-platform-team-claims-local";

    private LocalStack() {
    }

    /** Creates the stack's static resources and returns the functions' environment. */
    public static Map<String, String> deploy(ClientSettings settings) {
        String region = settings.region().id();
        try (S3Client s3 = AwsClients.build(S3Client.builder().forcePathStyle(true), settings);
                IamClient iam = AwsClients.build(IamClient.builder(), settings);
                CloudWatchLogsClient logs = AwsClients.build(CloudWatchLogsClient.builder(), settings);
                DynamoDbClient dynamoDb = AwsClients.build(DynamoDbClient.builder(), settings)) {
            String roleArn = role(iam);
            String account = roleArn.split(":")[4];
            String trailArn = "arn:aws:cloudtrail:" + region + ":" + account + ":trail/" + TRAIL_NAME;
            bucket(s3, TRAIL_BUCKET);
            s3.putBucketPolicy(r -> r.bucket(TRAIL_BUCKET).policy(trailBucketPolicy(account, trailArn)));
            bucket(s3, SHARING_BUCKET);
            for (String group : java.util.List.of(TRAIL_LOG_GROUP, UNATTRIBUTED_LOG_GROUP)) {
                try {
                    logs.createLogGroup(r -> r.logGroupName(group));
                } catch (ResourceAlreadyExistsException exists) {
                    // deployed by an earlier run
                }
            }
            try {
                logs.createLogStream(r -> r.logGroupName(UNATTRIBUTED_LOG_GROUP).logStreamName("unattributed"));
            } catch (ResourceAlreadyExistsException exists) {
                // deployed by an earlier run
            }
            claimsTable(dynamoDb);
            Map<String, String> env = new LinkedHashMap<>(platformDefaults(account));
            env.put("TRAIL_NAME", TRAIL_NAME);
            env.put("TRAIL_BUCKET_NAME", TRAIL_BUCKET);
            env.put("TRAIL_LOG_GROUP_ARN", "arn:aws:logs:" + region + ":" + account + ":log-group:" + TRAIL_LOG_GROUP + ":*");
            env.put("TRAIL_LOGS_ROLE_ARN", roleArn);
            env.put("SHARING_S3_URI", "s3://" + SHARING_BUCKET + "/sharing");
            env.put("UNATTRIBUTED_LOG_GROUP", UNATTRIBUTED_LOG_GROUP);
            env.put("TEAM_CLAIMS_TABLE", TEAM_CLAIMS_TABLE);
            env.put("ALARM_TOPIC_ARN", "arn:aws:sns:" + region + ":" + account + ":ml-platform-alarms");
            return env;
        }
    }

    /**
     * What the template's parameters would be for a sample platform. Locally every role of the account may be passed
     * (the template allows exactly DefaultExecutionRoleArn and ExtraExecutionRoleArns), so sample requests naming
     * their own role work.
     */
    static Map<String, String> platformDefaults(String account) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DEFAULT_VPC_ID", "vpc-0a1b2c3d4e5f60718");
        env.put("DEFAULT_SUBNET_IDS", "subnet-0a1b2c3d4e5f60718,subnet-0f1e2d3c4b5a69788");
        env.put("DEFAULT_SECURITY_GROUP_IDS", "sg-0a1b2c3d4e5f60718");
        env.put("DEFAULT_EXECUTION_ROLE_ARN", "arn:aws:iam::" + account + ":role/ml-platform-studio-execution");
        env.put("DEFAULT_KMS_KEY_ID", "alias/aws/sagemaker");
        env.put("DEFAULT_LOG_RETENTION_DAYS", "365");
        env.put("ALLOWED_EXECUTION_ROLE_ARNS", "arn:aws:iam::" + account + ":role/*");
        env.put("ACCOUNT_ID", account);
        env.put("LOG_GROUP_PREFIX", "/ml-teams");
        env.put("PARAMETER_PREFIX", "/ml-teams");
        env.put("DOMAIN_NAME_PREFIX", "ml-team-");
        env.put("APP_NETWORK_ACCESS_TYPE", "VpcOnly");
        return env;
    }

    private static void bucket(S3Client s3, String name) {
        try {
            s3.createBucket(r -> r.bucket(name));
        } catch (BucketAlreadyOwnedByYouException exists) {
            // deployed by an earlier run
        }
    }

    /** As template.yaml's TeamClaimsTable: keyed by team name, billed per request. */
    private static void claimsTable(DynamoDbClient dynamoDb) {
        try {
            dynamoDb.createTable(r -> r.tableName(TEAM_CLAIMS_TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName(TeamClaims.TEAM).attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName(TeamClaims.TEAM).keyType(KeyType.HASH)));
        } catch (ResourceInUseException exists) {
            // deployed by an earlier run
        }
    }

    private static String role(IamClient iam) {
        try {
            return iam.createRole(r -> r.roleName(TRAIL_LOGS_ROLE).assumeRolePolicyDocument("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}""")).role().arn();
        } catch (EntityAlreadyExistsException exists) {
            return iam.getRole(r -> r.roleName(TRAIL_LOGS_ROLE)).role().arn();
        }
    }

    /** The two statements CloudTrail needs, as template.yaml writes them. */
    private static String trailBucketPolicy(String account, String trailArn) {
        return """
                {"Version":"2012-10-17","Statement":[
                 {"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
                  "Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::%1$s",
                  "Condition":{"StringEquals":{"aws:SourceArn":"%3$s"}}},
                 {"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
                  "Action":"s3:PutObject","Resource":"arn:aws:s3:::%1$s/AWSLogs/%2$s/*",
                  "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"%3$s"}}}]}"""
                .formatted(TRAIL_BUCKET, account, trailArn);
    }
}
