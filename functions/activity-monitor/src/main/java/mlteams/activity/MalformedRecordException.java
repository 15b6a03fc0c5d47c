package mlteams.activity;

/**
 * Thrown for a record that is not valid CloudTrail JSON (bad JSON, not an object, trailing content), lacks
 * eventID/eventName/eventSource, or is larger than CloudTrail ever delivers to EventBridge or CloudWatch Logs.
 * It fails only that record.
 */
public class MalformedRecordException extends RuntimeException {

    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
