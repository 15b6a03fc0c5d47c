package mlteams.logs;

public record LogStreamResult(String logGroupName, String logStreamName, boolean created) {
}
