package mlteams.publish;

/**
 * The execution's output: the same values as the published parameters, where they live, and the members added,
 * kept and removed (absent when the request left the membership as it was).
 */
public record TeamOutputs(String teamName, String sagemakerDomainUrl, String sagemakerDomainId, String cloudTrailArn,
        String logGroupName, String logStreamName, String parameterPath, PublishInput.Members members) {
}
