package mlteams.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.Json;
import mlteams.local.peers.Events;
import mlteams.local.peers.LocalLambda;
import mlteams.local.peers.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/** The log group and log stream steps against moto, through the real SDK. */
class TeamLogsHandlersTest {

    private static final String GROUP = "/ml-teams/computer-vision/activity";
    private static final LogsSettings SETTINGS = new LogsSettings("/ml-teams", null);

    private final MotoServer moto = MotoServer.shared();
    private CloudWatchLogsClient logs;

    @BeforeEach
    void emptyAccount() {
        moto.reset();
        logs = AwsClients.build(CloudWatchLogsClient.builder(), ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1));
    }

    @AfterEach
    void close() {
        logs.close();
    }

    @Test
    void createsTheTeamLogGroupWithRetentionAndTags() throws Exception {
        Map<String, Object> result = invoke(new EnsureLogGroupHandler(logs, SETTINGS), "EnsureLogGroup");

        assertEquals(GROUP, result.get("logGroupName"));
        assertEquals(true, result.get("created"));
        assertEquals("arn:aws:logs:us-east-1:123456789012:log-group:" + GROUP, result.get("logGroupArn"));
        LogGroup group = onlyTeamGroup();
        assertEquals(365, group.retentionInDays());
        assertEquals(Map.of("cost-center", "cv", "ml-platform:team", "computer-vision"),
                logs.listTagsForResource(r -> r.resourceArn((String) result.get("logGroupArn"))).tags());
    }

    @Test
    void aSecondRunAdoptsTheGroupAndRepairsDriftedRetention() throws Exception {
        invoke(new EnsureLogGroupHandler(logs, SETTINGS), "EnsureLogGroup");
        logs.putRetentionPolicy(r -> r.logGroupName(GROUP).retentionInDays(1));

        Map<String, Object> second = invoke(new EnsureLogGroupHandler(logs, SETTINGS), "EnsureLogGroup");

        assertEquals(false, second.get("created"));
        assertEquals(365, onlyTeamGroup().retentionInDays());
    }

    @Test
    void encryptsWithTheConfiguredKey() throws Exception {
        String key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        invoke(new EnsureLogGroupHandler(logs, new LogsSettings("/ml-teams", key)), "EnsureLogGroup");

        assertEquals(key, onlyTeamGroup().kmsKeyId());
    }

    @Test
    void createsTheStreamOnceAndAdoptsItAfterwards() throws Exception {
        invoke(new EnsureLogGroupHandler(logs, SETTINGS), "EnsureLogGroup");

        Map<String, Object> first = invoke(new EnsureLogStreamHandler(logs, SETTINGS), "EnsureLogStream");
        Map<String, Object> second = invoke(new EnsureLogStreamHandler(logs, SETTINGS), "EnsureLogStream");

        assertEquals(true, first.get("created"));
        assertEquals(false, second.get("created"));
        assertEquals("user-activity", second.get("logStreamName"));
        assertEquals(GROUP, second.get("logGroupName"));
        assertEquals(List.of("user-activity"), logs.describeLogStreams(r -> r.logGroupName(GROUP)).logStreams()
                .stream().map(s -> s.logStreamName()).toList());
    }

    private LogGroup onlyTeamGroup() {
        List<LogGroup> groups = logs.describeLogGroups(r -> r.logGroupNamePrefix("/ml-teams/")).logGroups();
        assertEquals(1, groups.size(), groups.toString());
        return groups.get(0);
    }

    private static Map<String, Object> invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler,
            String name) throws Exception {
        String request = Json.write(Json.readMap(Events.read("team-onboarded.json")).get("detail"));
        return Json.readMap(LocalLambda.call(handler, name, request));
    }
}
