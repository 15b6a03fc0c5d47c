package mlteams.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import mlteams.common.Json;
import mlteams.common.PlannedChange;
import mlteams.common.SnapStartPriming;
import mlteams.common.StepLog;
import mlteams.common.StepPlan;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricFilter;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricTransformation;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryDefinition;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Creates a team's monitoring ({@link MonitoringPlan}) or removes it. Every piece is read first and written only
 * when missing or different, so a repeat run writes nothing.
 */
public final class TeamMonitoring {

    private final CloudWatchLogsClient logs;
    private final CloudWatchClient cloudWatch;
    private final MonitoringSettings settings;

    public TeamMonitoring(CloudWatchLogsClient logs, CloudWatchClient cloudWatch, MonitoringSettings settings) {
        this.logs = logs;
        this.cloudWatch = cloudWatch;
        this.settings = settings;
    }

    /** @return the names of what exists now, and how many of each kind this run wrote */
    public Map<String, Object> ensure(String team, StepLog log) {
        Assessment found = assess(team);
        MonitoringPlan plan = found.plan();
        for (MonitoringPlan.Filter filter : found.filters()) {
            MetricTransformation transformation = transformation(filter);
            logs.putMetricFilter(r -> r.logGroupName(plan.logGroupName()).filterName(filter.name())
                    .filterPattern(filter.pattern()).metricTransformations(transformation));
        }
        for (MonitoringPlan.Alarm alarm : found.alarms()) {
            cloudWatch.putMetricAlarm(r -> r.alarmName(alarm.name()).alarmDescription(alarm.description())
                    .namespace(settings.namespace()).metricName(alarm.metricName())
                    .dimensions(d -> d.name("Team").value(team))
                    .statistic(Statistic.SUM).period(300).evaluationPeriods(1).threshold(alarm.threshold())
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                    .treatMissingData("notBreaching")
                    .alarmActions(settings.alarmTopicArn()));
        }
        if (found.dashboard()) {
            cloudWatch.putDashboard(r -> r.dashboardName(plan.dashboardName()).dashboardBody(plan.dashboardBody()));
        }
        found.queries().forEach((query, currentId) -> logs.putQueryDefinition(r -> r.name(query.name())
                .queryString(query.queryString()).logGroupNames(plan.logGroupName()).queryDefinitionId(currentId)));
        log.info("Monitoring of team %s written: %d metric filter(s), %d alarm(s), %s dashboard, %d query(ies);"
                + " the rest already in place", team, found.filters().size(), found.alarms().size(),
                found.dashboard() ? "the" : "no", found.queries().size());
        return ensured(plan, found.filters().size(), found.alarms().size(), found.dashboard() ? 1 : 0,
                found.queries().size());
    }

    /** The plan of {@link #ensure}: the same assessment, reported. Read-only. */
    public StepPlan plan(String team) {
        return new StepPlan(assess(team).changes(), null);
    }

    /**
     * What {@link #ensure} would write, from one read of each kind: the filters, alarms and queries that are missing
     * or differ (each query with the id of the definition it replaces, or null), whether the dashboard is, and each
     * piece's planned change.
     */
    private record Assessment(MonitoringPlan plan, List<PlannedChange> changes, List<MonitoringPlan.Filter> filters,
            List<MonitoringPlan.Alarm> alarms, boolean dashboard, Map<MonitoringPlan.Query, String> queries) {
    }

    private Assessment assess(String team) {
        MonitoringPlan plan = layout(team);
        List<PlannedChange> changes = new ArrayList<>();
        List<MonitoringPlan.Filter> filtersToPut = new ArrayList<>();
        Map<String, MetricFilter> filters = existingFilters(plan, null);
        for (MonitoringPlan.Filter filter : plan.filters()) {
            MetricFilter current = filters.get(filter.name());
            List<String> differs = new ArrayList<>();
            if (current != null && !filter.pattern().equals(current.filterPattern())) {
                differs.add(PlannedChange.change("filterPattern", current.filterPattern(), filter.pattern()));
            }
            if (current != null && !current.metricTransformations().equals(List.of(transformation(filter)))) {
                differs.add(PlannedChange.change("metricTransformations", current.metricTransformations(),
                        List.of(transformation(filter))));
            }
            if (add(changes, "metric-filter", filter.name(), current != null, differs)) {
                filtersToPut.add(filter);
            }
        }
        List<MonitoringPlan.Alarm> alarmsToPut = new ArrayList<>();
        Map<String, MetricAlarm> alarms = existingAlarms(plan, null);
        for (MonitoringPlan.Alarm alarm : plan.alarms()) {
            MetricAlarm current = alarms.get(alarm.name());
            if (add(changes, "alarm", alarm.name(), current != null,
                    current == null ? List.of() : alarmDifferences(current, alarm, plan))) {
                alarmsToPut.add(alarm);
            }
        }
        String body = currentDashboard(plan, null);
        // Compared as JSON values: the key order of what we wrote and what comes back may differ.
        boolean dashboard = add(changes, "dashboard", plan.dashboardName(), body != null,
                body == null || Json.readMap(body).equals(Json.readMap(plan.dashboardBody())) ? List.of()
                        : List.of(PlannedChange.change("dashboardBody", "another body", "the team's widgets")));
        Map<MonitoringPlan.Query, String> queriesToPut = new LinkedHashMap<>();
        Map<String, QueryDefinition> queries = existingQueries(team, null);
        for (MonitoringPlan.Query query : plan.queries()) {
            QueryDefinition current = queries.get(query.name());
            List<String> differs = new ArrayList<>();
            if (current != null && !query.queryString().equals(current.queryString())) {
                differs.add(PlannedChange.change("queryString", current.queryString(), query.queryString()));
            }
            if (current != null && !List.of(plan.logGroupName()).equals(current.logGroupNames())) {
                differs.add(PlannedChange.change("logGroupNames", current.logGroupNames(), List.of(plan.logGroupName())));
            }
            if (add(changes, "query-definition", query.name(), current != null, differs)) {
                queriesToPut.put(query, current == null ? null : current.queryDefinitionId());
            }
        }
        return new Assessment(plan, changes, filtersToPut, alarmsToPut, dashboard, queriesToPut);
    }

    /** Adds a piece's planned change; true if it would be written. */
    private static boolean add(List<PlannedChange> changes, String resource, String name, boolean exists,
            List<String> differs) {
        PlannedChange change = exists ? PlannedChange.existing(resource, name, differs)
                : new PlannedChange(resource, name, PlannedChange.CREATE, List.of());
        changes.add(change);
        return !PlannedChange.NONE.equals(change.action());
    }

    /** Offboarding: removes everything {@link #ensure} creates. What is already gone counts as removed. */
    public Map<String, Object> remove(String team, StepLog log) {
        MonitoringPlan plan = layout(team);
        for (MonitoringPlan.Filter filter : plan.filters()) {
            try {
                logs.deleteMetricFilter(r -> r.logGroupName(plan.logGroupName()).filterName(filter.name()));
            } catch (ResourceNotFoundException gone) {
                // the filter, or the whole log group, is already gone
            }
        }
        cloudWatch.deleteAlarms(r -> r.alarmNames(plan.alarms().stream().map(MonitoringPlan.Alarm::name).toList()));
        try {
            cloudWatch.deleteDashboards(r -> r.dashboardNames(plan.dashboardName()));
        } catch (CloudWatchException e) {
            if (!isNotFound(e)) {
                throw e;
            }
        }
        List<String> deletedQueries = new ArrayList<>();
        for (QueryDefinition query : existingQueries(team, null).values()) {
            logs.deleteQueryDefinition(r -> r.queryDefinitionId(query.queryDefinitionId()));
            deletedQueries.add(query.name());
        }
        log.info("Removed the monitoring of team %s", team);
        return removed(plan, deletedQueries.size());
    }

    /**
     * SnapStart priming for {@link #ensure}: its reads, through the same code, for a team that cannot exist
     * ({@link SnapStartPriming#PROBE_TEAM}): DescribeMetricFilters, DescribeAlarms, GetDashboard and
     * DescribeQueryDefinitions, each of which finds nothing. Nothing is put.
     */
    public Map<String, Object> primeEnsure(StepLog log) {
        MonitoringPlan plan = layout(SnapStartPriming.PROBE_TEAM);
        primeReads(plan, log);
        SnapStartPriming.attempt(log, "DescribeAlarms", () -> existingAlarms(plan, SnapStartPriming.REQUEST));
        return ensured(plan, 0, 0, 0, 0);
    }

    /**
     * SnapStart priming for {@link #remove}: DescribeMetricFilters, GetDashboard and DescribeQueryDefinitions for a
     * team that cannot exist, warming both clients the deletes use. Nothing is deleted.
     */
    public Map<String, Object> primeRemove(StepLog log) {
        MonitoringPlan plan = layout(SnapStartPriming.PROBE_TEAM);
        primeReads(plan, log);
        return removed(plan, 0);
    }

    private void primeReads(MonitoringPlan plan, StepLog log) {
        SnapStartPriming.attempt(log, "DescribeMetricFilters", () -> existingFilters(plan, SnapStartPriming.REQUEST));
        SnapStartPriming.attempt(log, "GetDashboard", () -> currentDashboard(plan, SnapStartPriming.REQUEST));
        SnapStartPriming.attempt(log, "DescribeQueryDefinitions",
                () -> existingQueries(plan.team(), SnapStartPriming.REQUEST));
    }

    private static Map<String, Object> ensured(MonitoringPlan plan, int filtersWritten, int alarmsWritten,
            int dashboardsWritten, int queriesWritten) {
        return Map.of("metricFilters", plan.filters().stream().map(MonitoringPlan.Filter::name).toList(),
                "alarms", plan.alarms().stream().map(MonitoringPlan.Alarm::name).toList(),
                "dashboard", plan.dashboardName(),
                "queries", plan.queries().stream().map(MonitoringPlan.Query::name).toList(),
                "written", Map.of("metricFilters", filtersWritten, "alarms", alarmsWritten,
                        "dashboard", dashboardsWritten, "queries", queriesWritten));
    }

    private static Map<String, Object> removed(MonitoringPlan plan, int queriesDeleted) {
        return Map.of("dashboard", plan.dashboardName(), "queriesDeleted", queriesDeleted);
    }

    private MonitoringPlan layout(String team) {
        return MonitoringPlan.forTeam(team, settings, cloudWatch.serviceClientConfiguration().region().id());
    }

    private MetricTransformation transformation(MonitoringPlan.Filter filter) {
        // Every record in the team's group is the team's, but the dimension keeps alarms and dashboards per team
        // in one shared namespace.
        return MetricTransformation.builder().metricNamespace(settings.namespace()).metricName(filter.metricName())
                .metricValue("1").dimensions(Map.of("Team", "$.team")).build();
    }

    /** The reads below take per-request settings: none for the steps, SnapStart priming's for priming. */
    private Map<String, MetricFilter> existingFilters(MonitoringPlan plan, AwsRequestOverrideConfiguration request) {
        try {
            return logs.describeMetricFilters(r -> r.logGroupName(plan.logGroupName())
                            .filterNamePrefix("ml-team-" + plan.team() + "-").overrideConfiguration(request))
                    .metricFilters().stream().collect(Collectors.toMap(MetricFilter::filterName, Function.identity()));
        } catch (ResourceNotFoundException noGroupYet) {
            return Map.of();
        }
    }

    private Map<String, MetricAlarm> existingAlarms(MonitoringPlan plan, AwsRequestOverrideConfiguration request) {
        return cloudWatch.describeAlarms(r -> r.alarmNames(plan.alarms().stream().map(MonitoringPlan.Alarm::name)
                        .toList()).overrideConfiguration(request)).metricAlarms().stream()
                .collect(Collectors.toMap(MetricAlarm::alarmName, Function.identity()));
    }

    private Map<String, QueryDefinition> existingQueries(String team, AwsRequestOverrideConfiguration request) {
        return logs.describeQueryDefinitions(r -> r.queryDefinitionNamePrefix("ml-teams/" + team + "/")
                        .overrideConfiguration(request))
                .queryDefinitions().stream()
                .collect(Collectors.toMap(QueryDefinition::name, Function.identity(), (a, b) -> a));
    }

    /** The settings of an existing alarm that differ from the team's: an empty list when it matches. */
    private List<String> alarmDifferences(MetricAlarm current, MonitoringPlan.Alarm alarm, MonitoringPlan plan) {
        List<String> differs = new ArrayList<>();
        compare(differs, "metricName", current.metricName(), alarm.metricName());
        compare(differs, "namespace", current.namespace(), settings.namespace());
        compare(differs, "threshold", current.threshold(), alarm.threshold());
        compare(differs, "comparisonOperator", current.comparisonOperator(),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
        compare(differs, "period", current.period(), 300);
        compare(differs, "alarmActions", current.alarmActions(), List.of(settings.alarmTopicArn()));
        if (current.dimensions().size() != 1 || !plan.team().equals(current.dimensions().get(0).value())) {
            differs.add(PlannedChange.change("dimensions", current.dimensions(), "Team=" + plan.team()));
        }
        return differs;
    }

    private static void compare(List<String> differs, String setting, Object current, Object requested) {
        if (!Objects.equals(current, requested)) {
            differs.add(PlannedChange.change(setting, current, requested));
        }
    }

    /** The dashboard's body, or null if there is none. */
    private String currentDashboard(MonitoringPlan plan, AwsRequestOverrideConfiguration request) {
        try {
            return cloudWatch.getDashboard(r -> r.dashboardName(plan.dashboardName())
                    .overrideConfiguration(request)).dashboardBody();
        } catch (CloudWatchException e) {
            if (isNotFound(e)) {
                return null;
            }
            throw e;
        }
    }

    private static boolean isNotFound(CloudWatchException e) {
        return e.statusCode() == 404 || (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                && e.awsErrorDetails().errorCode().contains("NotFound"));
    }
}
