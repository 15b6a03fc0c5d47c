package mlteams.activity;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.local.peers.LocalContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * scripts/benchmark-attribution.sh: the activity monitor's whole per-message path on one thread. Input: SQS events of
 * 100 messages each, as the Lambda runtime hands them to the handler, whose bodies are EventBridge events around the
 * corpus's well-formed records (each copy with its own eventID). Per batch: every message read and attributed (team
 * lookups through SageMakerTeamLookup, cached after the first), its EMF line written, and one PutLogEvents request per
 * team built, signed and marshalled by the real SDK client, whose HTTP client answers in memory instead of sending.
 * Variants alternate within every round; each is checked to write the same lines before it is timed. (The run that
 * replaced the hand-written scanner with Jackson streaming is this class at commit 1376143; see
 * docs/activity-benchmark.md.)
 */
public final class ActivityPathBenchmark {

    static final ActivitySettings SETTINGS = new ActivitySettings("/ml-teams", "ml-team-", "MLPlatform/Activity",
            "/ml-platform/activity/unattributed", "unattributed", "/ml-teams");
    private static final ObjectMapper MAPPER = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    public static void main(String[] args) throws Exception {
        int batches = 200;
        int rounds = 7;
        int warmup = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batches" -> batches = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        PrintStream out = System.out;
        long[] functionLogBytes = {0};
        PrintStream discard = new PrintStream(new OutputStream() { // counts what the function logs
            @Override
            public void write(int b) {
                functionLogBytes[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                functionLogBytes[0] += len;
            }
        });
        System.setOut(discard); // the handler prints its batch metrics there
        InMemoryAws aws = new InMemoryAws();
        ClientSettings settings = new ClientSettings(Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE", "secret")), null);
        SageMakerClient sageMaker = AwsClients.build(SageMakerClient.builder(), settings, aws);
        CloudWatchLogsClient logs = AwsClients.build(CloudWatchLogsClient.builder(), settings, aws);
        SsmClient ssm = AwsClients.build(SsmClient.builder(), settings, aws);
        Context context = new LocalContext("ActivityMonitor", discard);
        ActivityMonitorHandler handler = new ActivityMonitorHandler(sageMaker, ssm, logs, SETTINGS);
        TeamLookup lookup = new SageMakerTeamLookup(sageMaker, ssm, SETTINGS.domainPrefix(), SETTINGS.parameterPrefix());
        ActivityLog activityLog = new ActivityLog(logs, SETTINGS);
        Attributor attributor = new Attributor(lookup);
        List<Variant> variants = List.of(
                new Variant("ActivityMonitorHandler as built (Jackson streaming)",
                        e -> handler.handleRequest(e, context).getBatchItemFailures().size()),
                new Variant("Jackson databind: readTree + valueToTree", e -> path(e, logs,
                        body -> TreeAttribution.message(MAPPER, body, lookup), ActivityPathBenchmark::databindLine)),
                // how much of the path is ours at all: the product's reading and line without the PutLogEvents requests
                new Variant("(as built, no PutLogEvents requests)", e -> path(e, null, attributor::attributeMessage,
                        activityLog::emf)));

        List<String> corpus = Corpus.asWritten().cases().stream().filter(c -> !c.malformed()).map(Corpus.Case::recordJson).toList();
        List<SQSEvent> events = new ArrayList<>();
        long bodyBytes = 0;
        for (int b = 0; b < batches; b++) {
            List<SQSEvent.SQSMessage> messages = new ArrayList<>();
            for (int m = 0; m < 100; m++) {
                SQSEvent.SQSMessage message = message(corpus.get((b * 100 + m) % corpus.size()), b * 100 + m);
                bodyBytes += message.getBody().getBytes(StandardCharsets.UTF_8).length;
                messages.add(message);
            }
            SQSEvent event = new SQSEvent();
            event.setRecords(messages);
            events.add(event);
        }

        // Every variant must write the same lines (as JSON trees: key order may differ) before its speed means anything.
        List<Object> reference = null;
        for (Variant v : variants.subList(0, 2)) {
            aws.written.clear();
            v.run.applyAsInt(events.get(0));
            List<Object> lines = aws.written.stream().map(l -> (Object) Corpus.parse(l)).toList();
            if (reference != null && !lines.equals(reference)) {
                throw new IllegalStateException(v.name + " writes other lines than " + variants.get(0).name);
            }
            reference = lines;
        }
        aws.written.clear();
        aws.calls = 0;
        aws.requestBytes = 0;
        functionLogBytes[0] = 0;
        handler.handleRequest(events.get(0), context);
        discard.flush();
        long logBytes = functionLogBytes[0];
        long lineBytes = aws.written.stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length).sum();
        aws.recording = false;

        int n = batches * 100;
        out.printf(Locale.ROOT, "%d SQS events of 100 messages (EventBridge events around %d corpus records, %d bytes per"
                        + " body on average); %d warm-up and %d measured rounds; java %s, %s, %d processor(s) visible%n",
                batches, corpus.size(), bodyBytes / n, warmup, rounds, System.getProperty("java.version"),
                String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()),
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "per batch of 100 (the handler): %d PutLogEvents calls, %d request bytes in all, %d bytes"
                        + " of log messages, %d bytes per activity line on average; %d bytes of the function's own log%n%n",
                aws.calls, aws.requestBytes, lineBytes, lineBytes / aws.written.size(), logBytes);

        long sink = 0;
        for (int r = 0; r < warmup; r++) {
            for (Variant v : variants) {
                sink += pass(v, events)[1];
            }
        }
        double[][] rates = new double[variants.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < variants.size(); k++) {
                long[] result = pass(variants.get(k), events);
                rates[k][r] = n * 1e9 / result[0];
                sink += result[1];
            }
        }
        double built = median(rates[0]);
        out.println("| variant | messages/s (median) | min | max | ms per batch of 100 | ratio to as built |");
        out.println("|---|---:|---:|---:|---:|---:|");
        for (int k = 0; k < variants.size(); k++) {
            double[] sorted = rates[k].clone();
            Arrays.sort(sorted);
            out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %.2f | %.2f× |%n", variants.get(k).name,
                    median(rates[k]), sorted[0], sorted[sorted.length - 1], 100_000 / median(rates[k]),
                    median(rates[k]) / built);
        }
        out.println();
        out.println("(checksum " + sink + ")");
    }

    record Variant(String name, ToIntFunction<SQSEvent> run) {
    }

    /**
     * The handler's path with another reader and line writer: each message read, grouped by team, and one
     * PutLogEvents per team with the lines in time order (none when logs is null). Returns the number of malformed
     * messages.
     */
    static int path(SQSEvent event, CloudWatchLogsClient logs, Function<String, ActivityRecord> read,
            BiFunction<ActivityRecord, Instant, String> line) {
        Map<String, List<InputLogEvent>> byTeam = new LinkedHashMap<>();
        int malformed = 0;
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                ActivityRecord r = read.apply(message.getBody());
                Instant at = Instant.parse(r.eventTime());
                byTeam.computeIfAbsent(r.team() == null ? "" : r.team(), t -> new ArrayList<>())
                        .add(InputLogEvent.builder().timestamp(at.toEpochMilli()).message(line.apply(r, at)).build());
            } catch (MalformedRecordException e) {
                malformed++;
            }
        }
        byTeam.forEach((team, events) -> {
            events.sort(Comparator.comparing(InputLogEvent::timestamp));
            if (logs != null) {
                logs.putLogEvents(r -> r.logGroupName(team.isEmpty() ? SETTINGS.unattributedLogGroup() : "/ml-teams/" + team + "/activity")
                        .logStreamName(team.isEmpty() ? SETTINGS.unattributedLogStream() : "user-activity").logEvents(events)
                        .overrideConfiguration(o -> o.putHeader("x-amzn-logs-format", "json/emf")));
            }
        });
        return malformed;
    }

    /** The plain databind way: the record bound to a tree, the metric fields added, the tree written. */
    static String databindLine(ActivityRecord r, Instant at) {
        ObjectNode line = MAPPER.valueToTree(r);
        line.put("Team", r.team() == null ? "unattributed" : r.team());
        line.put("Action", mlteams.common.ActivityMetrics.action(r.eventName()));
        line.put("Actions", 1);
        ObjectNode metrics = line.putObject("_aws").put("Timestamp", at.toEpochMilli())
                .putArray("CloudWatchMetrics").addObject().put("Namespace", SETTINGS.namespace());
        metrics.putArray("Dimensions").addArray().add("Team").add("Action");
        metrics.putArray("Metrics").addObject().put("Name", "Actions").put("Unit", "Count");
        try {
            return MAPPER.writeValueAsString(line);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SQSEvent.SQSMessage message(String record, int i) {
        int at = record.indexOf("\"eventID\":\"") + 11;
        String detail = record.substring(0, at) + String.format("%08x-bench-%08d", i * 2654435761L & 0xffffffffL, i)
                + record.substring(record.indexOf('"', at));
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(UUID.randomUUID().toString());
        m.setReceiptHandle("AQEB" + "x".repeat(360));
        m.setBody("{\"version\":\"0\",\"id\":\"" + UUID.randomUUID() + "\",\"detail-type\":\"AWS API Call via CloudTrail\","
                + "\"source\":\"aws.sagemaker\",\"account\":\"123456789012\",\"time\":\"2026-11-25T14:03:11Z\","
                + "\"region\":\"us-east-1\",\"resources\":[],\"detail\":" + detail + "}");
        m.setAttributes(Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1795991807809",
                "SenderId", "AIDAEXAMPLE", "ApproximateFirstReceiveTimestamp", "1795991807810"));
        m.setMessageAttributes(Map.of());
        m.setMd5OfBody("0123456789abcdef0123456789abcdef");
        m.setEventSource("aws:sqs");
        m.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:ActivityQueue");
        m.setAwsRegion("us-east-1");
        return m;
    }

    /**
     * SageMaker, SSM and CloudWatch Logs in memory: DescribeDomain answers from the corpus's domains, GetParametersByPath
     * with no domain records (read once per five minutes, so no part of a batch's cost); PutLogEvents reads
     * the request body (counting calls and bytes, and keeping the lines while recording) and answers success.
     */
    static final class InMemoryAws implements SdkHttpClient {
        private static final Pattern DOMAIN_ID = Pattern.compile("\"DomainId\":\"([^\"]+)\"");
        private final Map<String, String> domainNames = new LinkedHashMap<>();
        final List<String> written = new ArrayList<>();
        boolean recording = true;
        long calls;
        long requestBytes;

        InMemoryAws() {
            Corpus.read().get("domains").properties().forEach(d -> {
                if (!d.getValue().get("name").isNull()) {
                    domainNames.put(d.getKey(), d.getValue().get("name").asText());
                }
            });
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws java.io.IOException {
                    byte[] body;
                    try (InputStream in = request.contentStreamProvider().orElseThrow().newStream()) {
                        body = in.readAllBytes();
                    }
                    String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                    if (target.endsWith("DescribeDomain")) {
                        Matcher id = DOMAIN_ID.matcher(new String(body, StandardCharsets.UTF_8));
                        String name = id.find() ? domainNames.get(id.group(1)) : null;
                        return name == null ? respond(400, "{\"__type\":\"ResourceNotFound\",\"Message\":\"not found\"}")
                                : respond(200, "{\"DomainName\":\"" + name + "\"}");
                    }
                    if (target.endsWith("GetParametersByPath")) {
                        return respond(200, "{\"Parameters\":[]}");
                    }
                    calls++;
                    requestBytes += body.length;
                    if (recording) {
                        Corpus.parse(new String(body, StandardCharsets.UTF_8)).get("logEvents")
                                .forEach(e -> written.add(e.get("message").asText()));
                    }
                    return respond(200, "{}");
                }

                @Override
                public void abort() {
                }
            };
        }

        private static HttpExecuteResponse respond(int status, String json) {
            return HttpExecuteResponse.builder()
                    .response(SdkHttpResponse.builder().statusCode(status)
                            .putHeader("Content-Type", "application/x-amz-json-1.1").build())
                    .responseBody(AbortableInputStream.create(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                    .build();
        }

        @Override
        public void close() {
        }
    }

    /** {elapsed nanoseconds, checksum} of one pass over every batch. */
    private static long[] pass(Variant v, List<SQSEvent> events) {
        long sum = 0;
        long start = System.nanoTime();
        for (SQSEvent e : events) {
            sum += v.run.applyAsInt(e);
        }
        return new long[] {System.nanoTime() - start, sum};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
