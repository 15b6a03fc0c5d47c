package mlteams.publish;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.JsonHandler;
import mlteams.common.PlanHandler;
import mlteams.common.PlannedChange;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.StepPlan;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Last plan step: what PublishOutputs would write, from the values the other plan steps found, appended to their
 * changes; the result is the whole plan (read-only). After a conflict the onboarding fails before publishing, so
 * then no parameter change is planned.
 */
public class PlanOutputsHandler extends JsonHandler<PlanOutputsHandler.Input, PlanOutputsHandler.TeamPlan> {

    /** The validated request and the other plan steps' results. */
    public record Input(TeamRequest request, List<StepPlan> steps) {
    }

    /** A whole onboarding's plan: every resource it manages, in workflow order. */
    public record TeamPlan(String teamName, List<PlannedChange> changes) {
    }

    private final OutputParameters parameters;

    public PlanOutputsHandler() {
        this(AwsClients.build(SsmClient.builder(), ClientSettings.fromLambdaEnvironment()),
                PublishSettings.fromEnvironment());
        primeBeforeSnapshot("{\"request\": " + SnapStartPriming.SAMPLE_TEAM_REQUEST + ", \"steps\": []}");
    }

    public PlanOutputsHandler(SsmClient ssm, PublishSettings settings) {
        super(Input.class);
        this.parameters = new OutputParameters(ssm, settings.parameterPrefix());
    }

    @Override
    protected TeamPlan handle(Input input, StepLog log) {
        List<PlannedChange> changes = new ArrayList<>();
        Map<String, String> known = new HashMap<>();
        for (StepPlan step : input.steps()) {
            changes.addAll(step.changes());
            known.putAll(step.outputs());
        }
        if (changes.stream().anyMatch(c -> PlannedChange.CONFLICT.equals(c.action()))) {
            log.warn("The onboarding would stop at a conflict, before publishing: no parameter change is planned");
        } else {
            for (PlannedChange change : parameters.plan(input.request(), known)) {
                PlanHandler.log(change, log);
                changes.add(change);
            }
        }
        long changing = changes.stream().filter(c -> !PlannedChange.NONE.equals(c.action())).count();
        log.info("Plan for team %s: %d resource(s), %d to change", input.request().teamName(), changes.size(), changing);
        return new TeamPlan(input.request().teamName(), changes);
    }

    @Override
    protected TeamPlan prime(Input sample, StepLog log) {
        parameters.primeReads(log);
        return new TeamPlan(sample.request().teamName(), List.of());
    }
}
