package mlteams.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mlteams.common.ActivityMetrics;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.Json;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.MotoServer;
import mlteams.local.peers.SdkStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteQueryDefinitionRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DeleteQueryDefinitionResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeQueryDefinitionsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeQueryDefinitionsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.MetricFilter;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutQueryDefinitionRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutQueryDefinitionResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryDefinition;

/**
 * The team monitoring steps against moto through the real SDK. moto has no saved Logs Insights queries, so
 * those three operations are answered at the SDK boundary by an in-test store with the service's semantics.
 */
class TeamMonitoringTest {

    private static final String GROUP = "/ml-teams/computer-vision/activity";
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ml-platform-alarms";
    private static final MonitoringSettings SETTINGS = new MonitoringSettings("/ml-teams", TOPIC, "MLPlatform/Teams",
            "MLPlatform/Activity", 5);

    private final MotoServer moto = MotoServer.shared();
    private CloudWatchLogsClient realLogs;
    private CloudWatchLogsClient logs;
    private CloudWatchClient cloudWatch;
    private final Map<String, QueryDefinition> savedQueries = new ConcurrentHashMap<>();
    private final AtomicInteger queryWrites = new AtomicInteger();

    @BeforeEach
    void emptyAccountWithTheTeamsLogGroup() {
        moto.reset();
        ClientSettings settings = ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1);
        realLogs = AwsClients.build(CloudWatchLogsClient.builder(), settings);
        realLogs.createLogGroup(r -> r.logGroupName(GROUP));
        logs = SdkStub.of(CloudWatchLogsClient.class, realLogs, this::savedQueryDefinitions);
        cloudWatch = AwsClients.build(CloudWatchClient.builder(), settings);
    }

    @AfterEach
    void close() {
        realLogs.close();
        cloudWatch.close();
    }

    @Test
    void createsFiltersAlarmsDashboardAndSavedQueries() throws Exception {
        Map<String, Object> result = ensure();

        List<MetricFilter> filters = realLogs.describeMetricFilters(r -> r.logGroupName(GROUP)).metricFilters();
        assertEquals(List.of("ml-team-computer-vision-access-denied", "ml-team-computer-vision-domain-changes",
                "ml-team-computer-vision-jobs-created", "ml-team-computer-vision-studio-sign-ins"),
                filters.stream().map(MetricFilter::filterName).sorted().toList());
        MetricFilter signIns = filters.stream().filter(f -> f.filterName().endsWith("studio-sign-ins")).findFirst().get();
        assertEquals("{ $.eventName = \"CreatePresignedDomainUrl\" }", signIns.filterPattern());
        assertEquals("StudioSignIns", signIns.metricTransformations().get(0).metricName());
        assertEquals("MLPlatform/Teams", signIns.metricTransformations().get(0).metricNamespace());

        List<MetricAlarm> alarms = cloudWatch.describeAlarms(r -> r.alarmNamePrefix("ml-team-computer-vision-"))
                .metricAlarms();
        assertEquals(2, alarms.size());
        MetricAlarm burst = alarms.stream().filter(a -> a.alarmName().endsWith("access-denied-burst")).findFirst().get();
        assertEquals(5.0, burst.threshold());
        assertEquals(List.of(TOPIC), burst.alarmActions());
        assertEquals("computer-vision", burst.dimensions().get(0).value());

        Map<String, Object> dashboard = Json.readMap(cloudWatch
                .getDashboard(r -> r.dashboardName("ml-team-computer-vision")).dashboardBody());
        assertEquals(5, ((List<?>) dashboard.get("widgets")).size());
        assertTrue(Json.write(dashboard).contains("SOURCE '" + GROUP + "'"));

        assertEquals(List.of("ml-teams/computer-vision/access-denied-by-user", "ml-teams/computer-vision/who-did-what-24h"),
                savedQueries.keySet().stream().sorted().toList());
        assertEquals(List.of(GROUP), savedQueries.get("ml-teams/computer-vision/who-did-what-24h").logGroupNames());
        assertEquals(Map.of("metricFilters", 4, "alarms", 2, "dashboard", 1, "queries", 2), result.get("written"));
    }

    /**
     * The metric filters read eventName from every line, so they count every operation; each one they name is also a
     * signal action, so the dashboard's per-action chart (the EMF Action dimension, bounded) shows it by name too.
     */
    @Test
    void everyActionTheFiltersNameIsASignalActionOfTheActivityMetric() {
        MonitoringPlan plan = MonitoringPlan.forTeam("computer-vision", SETTINGS, "us-east-1");
        java.util.Set<String> named = new java.util.TreeSet<>();
        for (MonitoringPlan.Filter filter : plan.filters()) {
            var m = java.util.regex.Pattern.compile("\\$\\.eventName = \"([^\"]+)\"").matcher(filter.pattern());
            while (m.find()) {
                named.add(m.group(1));
            }
        }
        assertEquals(java.util.Set.of("CreatePresignedDomainUrl", "CreateTrainingJob", "CreateProcessingJob", "DeleteDomain",
                "DeleteUserProfile", "UpdateDomain", "UpdateUserProfile"), named);
        assertTrue(ActivityMetrics.SIGNAL_ACTIONS.containsAll(named), named.toString());
        assertTrue(plan.dashboardBody().contains("SEARCH('{MLPlatform/Activity,Team,Action} Team=\\\"computer-vision\\\"'"),
                plan.dashboardBody());
    }

    @Test
    void aRepeatWritesNothing() throws Exception {
        ensure();
        queryWrites.set(0);

        Map<String, Object> again = ensure();

        assertEquals(Map.of("metricFilters", 0, "alarms", 0, "dashboard", 0, "queries", 0), again.get("written"));
        assertEquals(0, queryWrites.get());
    }

    @Test
    void aDriftedAlarmIsPutBack() throws Exception {
        ensure();
        cloudWatch.putMetricAlarm(r -> r.alarmName("ml-team-computer-vision-access-denied-burst")
                .namespace("MLPlatform/Teams").metricName("AccessDenied").statistic("Sum").period(300)
                .evaluationPeriods(1).threshold(500.0).comparisonOperator("GreaterThanOrEqualToThreshold")
                .dimensions(d -> d.name("Team").value("computer-vision")));

        Map<String, Object> repaired = ensure();

        assertEquals(Map.of("metricFilters", 0, "alarms", 1, "dashboard", 0, "queries", 0), repaired.get("written"));
        assertEquals(5.0, cloudWatch.describeAlarms(r -> r.alarmNames(
                "ml-team-computer-vision-access-denied-burst")).metricAlarms().get(0).threshold());
    }

    @Test
    void offboardingRemovesEverythingAndCanRunAgain() throws Exception {
        ensure();

        remove();
        remove();

        assertEquals(List.of(), realLogs.describeMetricFilters(r -> r.logGroupName(GROUP)).metricFilters());
        assertEquals(List.of(), cloudWatch.describeAlarms(r -> r.alarmNamePrefix("ml-team-")).metricAlarms());
        assertEquals(List.of(), cloudWatch.listDashboards(r -> { }).dashboardEntries());
        assertEquals(Map.of(), savedQueries);
    }

    private Map<String, Object> ensure() throws Exception {
        return Json.readMap(LocalLambda.call(new EnsureTeamMonitoringHandler(logs, cloudWatch, SETTINGS),
                "EnsureTeamMonitoring", "{\"teamName\":\"computer-vision\"}"));
    }

    private void remove() throws Exception {
        LocalLambda.call(new DeleteTeamMonitoringHandler(logs, cloudWatch, SETTINGS),
                "DeleteTeamMonitoring", "{\"teamName\":\"computer-vision\"}");
    }

    /** Saved queries as CloudWatch Logs keeps them: by id, found by name prefix, updated in place by id. */
    private Object savedQueryDefinitions(String operation, Object request) {
        switch (operation) {
            case "describeQueryDefinitions" -> {
                String prefix = ((DescribeQueryDefinitionsRequest) request).queryDefinitionNamePrefix();
                return DescribeQueryDefinitionsResponse.builder().queryDefinitions(savedQueries.values().stream()
                        .filter(q -> q.name().startsWith(prefix)).toList()).build();
            }
            case "putQueryDefinition" -> {
                PutQueryDefinitionRequest put = (PutQueryDefinitionRequest) request;
                String id = put.queryDefinitionId() != null ? put.queryDefinitionId() : "q-" + put.name().hashCode();
                savedQueries.put(put.name(), QueryDefinition.builder().queryDefinitionId(id).name(put.name())
                        .queryString(put.queryString()).logGroupNames(put.logGroupNames()).build());
                queryWrites.incrementAndGet();
                return PutQueryDefinitionResponse.builder().queryDefinitionId(id).build();
            }
            case "deleteQueryDefinition" -> {
                String id = ((DeleteQueryDefinitionRequest) request).queryDefinitionId();
                savedQueries.values().removeIf(q -> q.queryDefinitionId().equals(id));
                return DeleteQueryDefinitionResponse.builder().success(true).build();
            }
            default -> {
                return SdkStub.PASS;
            }
        }
    }
}
