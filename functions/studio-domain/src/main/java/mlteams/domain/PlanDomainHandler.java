package mlteams.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.PlanHandler;
import mlteams.common.PlannedChange;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.StepPlan;
import mlteams.common.TeamRequest;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Plan step: what EnsureDomain would do to the team's Studio domain, and SyncMembers to its members' profiles
 * (read-only). On a conflict the onboarding stops at the domain, so no member change is planned.
 */
public class PlanDomainHandler extends PlanHandler<TeamRequest> {

    private final StudioDomain domain;
    private final TeamMembers members;

    public PlanDomainHandler() {
        this(AwsClients.build(SageMakerClient.builder(), ClientSettings.fromLambdaEnvironment()),
                DomainSettings.fromEnvironment(), TeardownSettings.fromEnvironment());
        primeBeforeSnapshot(SnapStartPriming.SAMPLE_TEAM_REQUEST);
    }

    public PlanDomainHandler(SageMakerClient sageMaker, DomainSettings domainSettings, TeardownSettings teardownSettings) {
        super(TeamRequest.class);
        this.domain = new StudioDomain(sageMaker, domainSettings);
        this.members = new TeamMembers(sageMaker, teardownSettings);
    }

    @Override
    protected StepPlan plan(TeamRequest request, StepLog log) {
        StudioDomain.DomainAssessment found = domain.assess(request);
        PlannedChange change = domain.plan(request, found);
        List<PlannedChange> changes = new ArrayList<>(List.of(change));
        if (PlannedChange.CONFLICT.equals(change.action())) {
            return new StepPlan(changes, null);
        }
        String domainId = found.domain() == null ? null : found.domain().domainId();
        changes.addAll(members.plan(request, domainId, change.name(), log));
        Map<String, String> outputs = new HashMap<>();
        if (domainId != null) {
            outputs.put("domainId", domainId);
            outputs.put("url", StudioDomain.absoluteUrl(found.domain().url()));
        }
        return new StepPlan(changes, outputs);
    }

    @Override
    protected void primeReads(StepLog log) {
        domain.primeEnsure(log);
        members.prime(log);
    }
}
