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
import mlteams.common.StepLog;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * The activity monitor: a batch of CloudTrail SageMaker events from the queue (each an EventBridge "AWS API Call
 * via CloudTrail" event), attributed to a person and a team, and written as activity records with their metrics
 * into each team's log stream. Records nobody can be named for go to the unattributed stream: counted, kept.
 *
 * <p>Failures are per item: a malformed message, or one whose team's log could not be written, is reported back so
 * that only it is retried (and, after the queue's retries, kept in its dead-letter queue); the rest go through.
 */
public class ActivityMonitorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final Attributor attributor;
    private final ActivityLog activityLog;
    private final String namespace;

    public ActivityMonitorHandler() {
        this(AwsClients.build(SageMakerClient.builder(), ClientSettings.fromLambdaEnvironment()),
                AwsClients.build(CloudWatchLogsClient.builder(), ClientSettings.fromLambdaEnvironment()),
                ActivitySettings.fromEnvironment());
    }

    public ActivityMonitorHandler(SageMakerClient sageMaker, CloudWatchLogsClient logs, ActivitySettings settings) {
        this.attributor = new Attributor(new SageMakerTeamLookup(sageMaker, settings.domainPrefix()));
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
                ActivityRecord record = attributor.attribute(cloudTrailRecord(message.getBody()));
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

    /** The CloudTrail record inside an EventBridge event ("detail"), or the body itself if it is a bare record. */
    static String cloudTrailRecord(String body) {
        Map<String, Object> event;
        try {
            event = Json.readMap(body);
        } catch (IllegalArgumentException notJson) {
            throw new MalformedRecordException("message body is not a JSON object", notJson);
        }
        Object detail = event.get("detail");
        return detail instanceof Map<?, ?> ? Json.write(detail) : body;
    }
}
