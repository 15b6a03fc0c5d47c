package mlteams.publish;

/** The execution's output: the same values as the published parameters, and where they live. */
public record TeamOutputs(String teamName, String sagemakerDomainUrl, String sagemakerDomainId, String cloudTrailArn,
        String logGroupName, String logStreamName, String parameterPath) {
}
