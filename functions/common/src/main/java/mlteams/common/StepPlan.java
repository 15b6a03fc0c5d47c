package mlteams.common;

import java.util.List;
import java.util.Map;

/**
 * What one plan step returns: its resources' planned changes, and the values the outputs step would publish
 * ({@code trailArn}, {@code logGroupName}, {@code logStreamName}, {@code domainId}, {@code url}), each absent when
 * it is known only after the onboarding has run (a null value counts as absent).
 */
public record StepPlan(List<PlannedChange> changes, Map<String, String> outputs) {

    public StepPlan {
        changes = List.copyOf(changes);
        outputs = outputs == null ? Map.of() : outputs.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
