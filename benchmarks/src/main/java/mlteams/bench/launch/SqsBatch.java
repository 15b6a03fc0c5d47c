package mlteams.bench.launch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.Json;

/**
 * The activity monitor is a {@code RequestHandler<SQSEvent, SQSBatchResponse>}: Lambda's runtime binds the queue's
 * JSON event to {@link SQSEvent} and writes the response as JSON. This does the same with the function's own JSON
 * library (jackson-jr), inside the timed invoke, as the runtime's binding is part of Lambda's invoke.
 */
final class SqsBatch implements RequestStreamHandler {

    private final RequestHandler<SQSEvent, SQSBatchResponse> handler;

    private SqsBatch(RequestHandler<SQSEvent, SQSBatchResponse> handler) {
        this.handler = handler;
    }

    @SuppressWarnings("unchecked")
    static RequestStreamHandler adapt(Object handler) {
        if (!(handler instanceof RequestHandler<?, ?>)) {
            throw new IllegalArgumentException(handler.getClass().getName() + " is no Lambda handler");
        }
        return new SqsBatch((RequestHandler<SQSEvent, SQSBatchResponse>) handler);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, Object> event = Json.read(input, Map.class);
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (Map<String, Object> record : (List<Map<String, Object>>) event.get("Records")) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId((String) record.get("messageId"));
            message.setReceiptHandle((String) record.get("receiptHandle"));
            message.setBody((String) record.get("body"));
            message.setMd5OfBody((String) record.get("md5OfBody"));
            message.setEventSource((String) record.get("eventSource"));
            message.setEventSourceArn((String) record.get("eventSourceARN"));
            message.setAwsRegion((String) record.get("awsRegion"));
            message.setAttributes((Map<String, String>) record.get("attributes"));
            messages.add(message);
        }
        SQSEvent batch = new SQSEvent();
        batch.setRecords(messages);
        SQSBatchResponse response = handler.handleRequest(batch, context);
        List<Map<String, Object>> failures = new ArrayList<>();
        for (SQSBatchResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("itemIdentifier", failure.getItemIdentifier());
            failures.add(item);
        }
        Json.write(output, Map.of("batchItemFailures", failures));
    }
}
