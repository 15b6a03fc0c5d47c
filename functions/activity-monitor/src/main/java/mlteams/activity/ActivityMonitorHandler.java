package mlteams.activity;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.Json;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The activity monitor: a batch of CloudTrail SageMaker events from the queue (each an EventBridge "AWS API Call
 * via CloudTrail" event), attributed to a person and a team, and written as activity records with their metrics
 * into each team's log stream. Records nobody can be named for go to the unattributed stream: counted, kept.
 *
 * <p>Failures are per item: a malformed message, or one whose team's log could not be written, is reported back so
 * that only it is retried (and, after the queue's retries, kept in its dead-letter queue); the rest go through.
 */
public class ActivityMonitorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final SageMakerTeamLookup teamLookup;
    private final Attributor attributor;
    private final ActivityLog activityLog;
    private final String namespace;

    /** The Lambda constructor: registers SnapStart priming ({@link #prime}). */
    public ActivityMonitorHandler() {
        this(AwsClients.build(SageMakerClient.builder(), ClientSettings.fromLambdaEnvironment()),
                AwsClients.build(SsmClient.builder(), ClientSettings.fromLambdaEnvironment()),
                AwsClients.build(CloudWatchLogsClient.builder(), ClientSettings.fromLambdaEnvironment()),
                ActivitySettings.fromEnvironment());
        SnapStartPriming.register(this, this::prime);
    }

    public ActivityMonitorHandler(SageMakerClient sageMaker, SsmClient ssm, CloudWatchLogsClient logs,
            ActivitySettings settings) {
        this.teamLookup = new SageMakerTeamLookup(sageMaker, ssm, settings.domainPrefix(), settings.parameterPrefix());
        this.attributor = new Attributor(teamLookup);
        this.activityLog = new ActivityLog(logs, settings);
        this.namespace = settings.namespace();
    }

    private record Item(String messageId, ActivityRecord record) {
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        StepLog log = new StepLog(context.getLogger());
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Map<String, List<Item>> byTeam = new LinkedHashMap<>(); // "" holds the unattributed
        int malformed = 0;
        for (SQSEvent.SQSMessage message : batch.getRecords()) {
            try {
                ActivityRecord record = attributor.attributeMessage(message.getBody());
                byTeam.computeIfAbsent(record.team() == null ? "" : record.team(), t -> new ArrayList<>())
                        .add(new Item(message.getMessageId(), record));
            } catch (MalformedRecordException e) {
                malformed++;
                log.warn("Message %s is not a usable CloudTrail record: %s", message.getMessageId(), e.getMessage());
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            } catch (SdkException e) {
                // The team lookup failed (after the SDK's retries): try this item again later.
                log.warn("Team lookup failed for message %s: %s", message.getMessageId(), e.getMessage());
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        int attributed = 0;
        for (Map.Entry<String, List<Item>> team : byTeam.entrySet()) {
            List<ActivityRecord> records = team.getValue().stream().map(Item::record).toList();
            try {
                activityLog.write(team.getKey().isEmpty() ? null : team.getKey(), records, log);
                attributed += team.getKey().isEmpty() ? 0 : records.size();
            } catch (SdkException e) {
                log.warn("Could not write %d record(s) of %s: %s", records.size(),
                        team.getKey().isEmpty() ? "unattributed activity" : "team " + team.getKey(), e.getMessage());
                team.getValue().forEach(item -> failures.add(new SQSBatchResponse.BatchItemFailure(item.messageId())));
            }
        }
        int unattributed = byTeam.getOrDefault("", List.of()).size();
        // The batch's own counts, as EMF on the function's log: unattributed and malformed never pass unseen.
        System.out.println(Json.write(Map.of(
                "_aws", Map.of("Timestamp", System.currentTimeMillis(), "CloudWatchMetrics", List.of(Map.of(
                        "Namespace", namespace, "Dimensions", List.of(List.of()),
                        "Metrics", List.of(Map.of("Name", "Attributed", "Unit", "Count"),
                                Map.of("Name", "Unattributed", "Unit", "Count"),
                                Map.of("Name", "Malformed", "Unit", "Count"))))),
                "Attributed", attributed, "Unattributed", unattributed, "Malformed", malformed)));
        log.info("Batch of %d: %d attributed, %d unattributed, %d malformed, %d failed", batch.getRecords().size(),
                attributed, unattributed, malformed, failures.size());
        return new SQSBatchResponse(failures);
    }

    /**
     * SnapStart priming: one message's path on {@link #PRIMING_MESSAGE}, whose record names only
     * {@link SnapStartPriming#PROBE_DOMAIN_ID}: the record taken out of its event, attributed (DescribeDomain of the
     * probe domain, not found, then GetParametersByPath of its domain records' path, which holds none, so the record
     * stays unattributed), and turned into its log event, which is not sent;
     * DescribeLogStreams in the probe team's group stands in for PutLogEvents. Read-only: nothing is written.
     *
     * @return the record as attributed
     */
    ActivityRecord prime(StepLog log) {
        ActivityRecord record = new Attributor(teamLookup.forPriming(log)).attributeMessage(PRIMING_MESSAGE);
        activityLog.prime(List.of(record), log);
        return record;
    }

    /**
     * The priming message: an "AWS API Call via CloudTrail" event around a record from the attribution corpus (a
     * Studio user's CreateProcessingJob, with sourceIdentity and the domain-arn tag), its domain replaced by the probe
     * domain id and its team by a name no domain of ours can have.
     */
    static final String PRIMING_MESSAGE = """
            {"version": "0", "id": "00000000-0000-0000-0000-000000000000", "detail-type": "AWS API Call via CloudTrail",
             "source": "aws.sagemaker", "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "us-east-1",
             "resources": [],
             "detail": {"eventVersion": "1.10",
              "userIdentity": {"type": "AssumedRole", "principalId": "AROA4EXAMPLEEXECROLE1:SageMaker",
               "arn": "arn:aws:sts::123456789012:assumed-role/ml-platform-studio-execution/SageMaker",
               "accountId": "123456789012", "accessKeyId": "ASIA4EXAMPLESTUDIO02",
               "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROA4EXAMPLEEXECROLE1",
                 "arn": "arn:aws:iam::123456789012:role/ml-platform-studio-execution", "accountId": "123456789012",
                 "userName": "ml-platform-studio-execution"},
                "attributes": {"creationDate": "2026-01-01T00:00:00Z", "mfaAuthenticated": "false"},
                "sourceIdentity": "snapstart-priming"}},
              "eventTime": "2026-01-01T00:00:00Z", "eventSource": "sagemaker.amazonaws.com",
              "eventName": "CreateProcessingJob", "awsRegion": "us-east-1", "sourceIPAddress": "10.30.9.112",
              "userAgent": "AWS-SageMaker-Python-SDK/2.232.2 Python/3.11.10 Boto3/1.35.55 Botocore/1.35.55",
              "requestParameters": {"processingJobName": "snapstart-priming-2026-01-01-00-00-00-000",
               "processingResources": {"clusterConfig": {"instanceCount": 1, "instanceType": "ml.m5.xlarge",
                "volumeSizeInGB": 30}},
               "stoppingCondition": {"maxRuntimeInSeconds": 3600},
               "appSpecification": {"imageUri": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
                "containerEntrypoint": ["python3", "/opt/ml/processing/input/code/priming.py"]},
               "roleArn": "arn:aws:iam::123456789012:role/ml-platform-studio-execution",
               "tags": [{"key": "sagemaker:domain-arn",
                 "value": "arn:aws:sagemaker:us-east-1:123456789012:domain/d-snapstart-priming-probe"},
                {"key": "sagemaker:user-profile-arn",
                 "value": "arn:aws:sagemaker:us-east-1:123456789012:user-profile/d-snapstart-priming-probe/snapstart-priming"}]},
              "responseElements": {"processingJobArn":
                "arn:aws:sagemaker:us-east-1:123456789012:processing-job/snapstart-priming-2026-01-01-00-00-00-000"},
              "requestID": "00000000-0000-0000-0000-000000000000", "eventID": "00000000-0000-0000-0000-000000000000",
              "readOnly": false, "eventType": "AwsApiCall", "managementEvent": true,
              "recipientAccountId": "123456789012", "eventCategory": "Management",
              "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
               "clientProvidedHostHeader": "api.sagemaker.us-east-1.amazonaws.com"}}}""";
}
