package mlteams.logs;

public record LogGroupResult(String logGroupName, String logGroupArn, int retentionInDays, boolean created) {
}
