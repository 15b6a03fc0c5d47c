package mlteams.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An execution that hits the state machine's TimeoutSeconds stops where it is: RecordFailure never runs and the
 * team's claim stays held until LockTtlSeconds. So the longest onboarding the template allows, a domain that
 * never comes up within the largest DomainWaitTimeoutSeconds, must still reach RecordFailure in time.
 */
class WorkflowBudgetTest {

    private static final TemplatePolicies TEMPLATE = TemplatePolicies.load();

    @Test
    @SuppressWarnings("unchecked")
    void theLongestAllowedDomainWaitEndsInTheFailurePathBeforeTheExecutionTimesOut() {
        int domainWait = number(TEMPLATE.parameter("DomainWaitTimeoutSeconds").get("MaxValue"));
        String checkDomain = TEMPLATE.functionWithHandler("mlteams.domain.CheckDomainHandler");
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) TEMPLATE.properties(checkDomain)
                .get("Environment")).get("Variables");
        assertEquals(Map.of("Ref", "DomainWaitTimeoutSeconds"), env.get("POLL_TIMEOUT_SECONDS"));
        int polls = WorkflowBudget.polls(domainWait, number(env.get("POLL_INITIAL_SECONDS")),
                number(env.get("POLL_MAX_INTERVAL_SECONDS")));
        int timeout = TEMPLATE.ofType("AWS::Serverless::Function").stream().mapToInt(TEMPLATE::functionTimeoutSeconds)
                .max().orElseThrow();
        Map<String, Object> onboarding = WorkflowBudget.definition(LocalWorkflow.ONBOARD_DEFINITION);

        // The top-level Tasks, one after the other; RecordSuccess and RecordFailure end alternative paths.
        double topLevel = 0;
        double parallel = 0;
        for (Map.Entry<String, Object> entry : ((Map<String, Object>) onboarding.get("States")).entrySet()) {
            Map<String, Object> state = (Map<String, Object>) entry.getValue();
            if ("Task".equals(state.get("Type")) && !entry.getKey().equals("RecordSuccess")) {
                topLevel += WorkflowBudget.worstSeconds(state, timeout);
            }
            // Branches run side by side: the slowest counts. A branch with a Wait is the domain's poll loop:
            // the waits add up to at most the domain wait, and each poll may run to the function timeout.
            for (Object b : (List<Object>) state.getOrDefault("Branches", List.of())) {
                Map<String, Object> branch = (Map<String, Object>) b;
                double seconds = WorkflowBudget.tasks(branch).values().stream()
                        .mapToDouble(task -> WorkflowBudget.worstSeconds(task, timeout)).sum();
                boolean polling = ((Map<String, Object>) branch.get("States")).values().stream()
                        .anyMatch(s -> "Wait".equals(((Map<String, Object>) s).get("Type")));
                if (polling) {
                    seconds += domainWait + polls * (double) timeout;
                }
                parallel = Math.max(parallel, seconds);
            }
        }
        int timeoutSeconds = number(onboarding.get("TimeoutSeconds"));

        assertTrue(topLevel + parallel <= timeoutSeconds, String.format("worst onboarding %.0f s (steps %.0f s, "
                + "branches %.0f s with a %d s domain wait and %d polls) exceeds TimeoutSeconds %d",
                topLevel + parallel, topLevel, parallel, domainWait, polls, timeoutSeconds));
    }

    /** A claim older than LockTtlSeconds may be taken over, so it must outlive any execution that holds it. */
    @Test
    void aClaimOutlivesEveryExecutionThatCanHoldIt() {
        Map<String, Object> ttl = TEMPLATE.parameter("LockTtlSeconds");
        for (String definition : List.of(LocalWorkflow.ONBOARD_DEFINITION, LocalWorkflow.OFFBOARD_DEFINITION,
                LocalWorkflow.MEMBERS_DEFINITION)) {
            int timeoutSeconds = number(WorkflowBudget.definition(definition).get("TimeoutSeconds"));
            assertTrue(number(ttl.get("MinValue")) > timeoutSeconds, definition + ": TimeoutSeconds " + timeoutSeconds
                    + " is not below LockTtlSeconds' MinValue " + ttl.get("MinValue"));
        }
        assertTrue(number(ttl.get("Default")) >= number(ttl.get("MinValue")), "LockTtlSeconds' Default below its MinValue");
    }

    /**
     * The plan runs as an Express workflow, which AWS stops at 5 minutes. Its own TimeoutSeconds is shorter, so a plan
     * that cannot finish (every retry used up) fails as a timeout of the definition, not as a cut-off execution.
     */
    @Test
    void thePlanEndsWithinAnExpressWorkflowsFiveMinutes() {
        assertEquals("EXPRESS", TEMPLATE.properties("PlanStateMachine").get("Type"));
        assertEquals(LocalWorkflow.PLAN_DEFINITION, TEMPLATE.properties("PlanStateMachine").get("DefinitionUri"));
        int timeoutSeconds = number(WorkflowBudget.definition(LocalWorkflow.PLAN_DEFINITION).get("TimeoutSeconds"));
        assertTrue(timeoutSeconds < 300, "the plan's TimeoutSeconds " + timeoutSeconds + " is not below Express's 300");
    }

    @Test
    void pollsFollowTheDoublingWaitUpToTheTotal() {
        assertEquals(3, WorkflowBudget.polls(420, 60, 240)); // 60 + 120 + 240
        assertEquals(3, WorkflowBudget.polls(659, 60, 240));
        assertEquals(4, WorkflowBudget.polls(660, 60, 240));
        assertEquals(12, WorkflowBudget.polls(2700, 60, 240)); // 60 + 120 + 10 × 240 = 2580
    }

    private static int number(Object value) {
        return (int) Double.parseDouble(String.valueOf(value));
    }
}
