package mlteams.monitoring;

import java.util.List;
import java.util.Map;
import mlteams.common.Json;
import mlteams.common.TeamNames;

/**
 * What a team's monitoring consists of, derived from its name alone, so that onboarding can create it and
 * offboarding can remove it without any stored inventory. The activity monitor writes one JSON activity
 * record per attributed SageMaker call into the team's log group; everything here reads those records.
 */
public record MonitoringPlan(String team, String logGroupName, List<Filter> filters, List<Alarm> alarms,
        String dashboardName, String dashboardBody, List<Query> queries) {

    /** A metric filter: a pattern over activity records, counted as a metric with the team as dimension. */
    public record Filter(String name, String pattern, String metricName) {
    }

    /** An alarm on one of the filters' metrics: Sum over 5 minutes at or above the threshold. */
    public record Alarm(String name, String metricName, double threshold, String description) {
    }

    /** A saved Logs Insights query over the team's log group. */
    public record Query(String name, String queryString) {
    }

    static final String ACCESS_DENIED = "{ ($.errorCode = \"AccessDenied*\") || ($.errorCode = \"*UnauthorizedOperation\")"
            + " || ($.errorCode = \"*NotAuthorized*\") }";
    static final String SIGN_INS = "{ $.eventName = \"CreatePresignedDomainUrl\" }";
    static final String JOBS = "{ ($.eventName = \"CreateTrainingJob\") || ($.eventName = \"CreateProcessingJob\") }";
    static final String DOMAIN_CHANGES = "{ ($.eventName = \"DeleteDomain\") || ($.eventName = \"DeleteUserProfile\")"
            + " || ($.eventName = \"UpdateDomain\") || ($.eventName = \"UpdateUserProfile\") }";

    public static MonitoringPlan forTeam(String team, MonitoringSettings settings, String region) {
        String group = TeamNames.logGroupName(settings.logGroupPrefix(), team);
        String prefix = "ml-team-" + team + "-";
        List<Filter> filters = List.of(
                new Filter(prefix + "access-denied", ACCESS_DENIED, "AccessDenied"),
                new Filter(prefix + "studio-sign-ins", SIGN_INS, "StudioSignIns"),
                new Filter(prefix + "jobs-created", JOBS, "JobsCreated"),
                new Filter(prefix + "domain-changes", DOMAIN_CHANGES, "DomainChanges"));
        List<Alarm> alarms = List.of(
                new Alarm(prefix + "access-denied-burst", "AccessDenied", settings.accessDeniedThreshold(),
                        "Team " + team + ": " + settings.accessDeniedThreshold()
                                + " or more access-denied SageMaker calls in 5 minutes"),
                new Alarm(prefix + "domain-changes", "DomainChanges", 1,
                        "Team " + team + ": its domain or a user profile was deleted, or domain settings changed"));
        List<Query> queries = List.of(
                new Query("ml-teams/" + team + "/who-did-what-24h",
                        "fields @timestamp, person, eventName, eventSource, errorCode, sourceIpAddress"
                                + " | sort @timestamp desc | limit 1000"),
                new Query("ml-teams/" + team + "/access-denied-by-user",
                        "filter ispresent(errorCode) and errorCode like /AccessDenied|Unauthorized|NotAuthorized/"
                                + " | stats count(*) as denied by person, eventName | sort denied desc"));
        String dashboard = "ml-team-" + team;
        return new MonitoringPlan(team, group, filters, alarms, dashboard,
                dashboardBody(team, group, settings, region), queries);
    }

    private static String dashboardBody(String team, String group, MonitoringSettings settings, String region) {
        List<Object> widgets = List.of(
                metrics("Studio sign-ins and jobs", 0, settings.namespace(), team, region,
                        List.of("StudioSignIns", "JobsCreated")),
                metrics("Access denied and domain changes", 12, settings.namespace(), team, region,
                        List.of("AccessDenied", "DomainChanges")),
                Map.of("type", "metric", "x", 0, "y", 6, "width", 24, "height", 6, "properties", Map.of(
                        "title", "Actions by SageMaker operation (signal actions; the rest as Other)", "region", region, "view", "timeSeries",
                        "stat", "Sum", "period", 3600,
                        "metrics", List.of(List.of(Map.of("expression", "SEARCH('{" + settings.activityNamespace()
                                + ",Team,Action} Team=\"" + team + "\"', 'Sum', 3600)", "id", "actions"))))),
                logs("Who did what (latest)", 0, 12, group, region,
                        "fields @timestamp, person, eventName, errorCode | sort @timestamp desc | limit 100"),
                logs("Top users", 12, 12, group, region,
                        "stats count(*) as actions by person | sort actions desc | limit 10"));
        return Json.write(Map.of("widgets", widgets));
    }

    private static Map<String, Object> metrics(String title, int x, String namespace, String team, String region,
            List<String> names) {
        return Map.of("type", "metric", "x", x, "y", 0, "width", 12, "height", 6, "properties", Map.of(
                "title", title, "region", region, "view", "timeSeries", "stat", "Sum", "period", 300,
                "metrics", names.stream().map(n -> (Object) List.of(namespace, n, "Team", team)).toList()));
    }

    private static Map<String, Object> logs(String title, int x, int y, String group, String region, String query) {
        return Map.of("type", "log", "x", x, "y", y, "width", 12, "height", 8, "properties", Map.of(
                "title", title, "region", region, "view", "table", "query", "SOURCE '" + group + "' | " + query));
    }
}
