package mlteams.common;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/**
 * SnapStart priming: a CRaC {@code beforeCheckpoint} hook that runs a handler's request path once before Lambda
 * takes the snapshot, so that class loading and the lazy set-up behind the first request (JSON binding, SDK
 * marshalling, endpoint resolution, signing, credentials, the HTTP client and TLS) are already done in every
 * restored environment instead of costing the first real invocation.
 *
 * <p>Each handler's Lambda (no-arg) constructor registers it: a {@link JsonHandler} through
 * {@link JsonHandler#primeBeforeSnapshot}, any other handler (the activity monitor's SQS batch handler) through
 * {@link #register(Object, Action)} with its own priming action. The constructors that take SDK clients (tests, the
 * local runner) do not. Without a CRaC runtime (plain JVM, Lambda without SnapStart) registration is a no-op and
 * nothing runs.
 *
 * <p><b>How priming avoids side effects.</b> A snapshot is taken on every version publish, in the real account,
 * so priming must never change anything there:
 * <ul>
 *   <li>it never calls {@link JsonHandler#handle}, only {@link JsonHandler#prime}, which each handler
 *       overrides with <em>read-only</em> SDK calls (Get*, Describe*, List*) and nothing else; an
 *       {@link Action} registered directly follows the same rule;</li>
 *   <li>those calls name either a resource that cannot exist, derived from {@link #PROBE_TEAM}, a team name
 *       the validation step refuses (it holds underscores), so no real team can ever own these names, or
 *       {@link #PROBE_DOMAIN_ID}, a domain id SageMaker never gives out, or the function's own configuration (the
 *       shared trail's name), which is only read;</li>
 *   <li>every call runs through {@link #attempt}, which logs and swallows whatever it throws (not found,
 *       access denied, no network), and the whole hook swallows every exception too: priming can make the
 *       snapshot less warm, never make it fail;</li>
 *   <li>each priming request carries {@link #REQUEST} (a 10 s total timeout), so priming cannot hold up the
 *       snapshot for long when AWS is unreachable.</li>
 * </ul>
 * The only trace priming leaves is a few read-only management events in CloudTrail per published version.
 * {@code SnapStartPrimingTest} (local/runner) runs every function's hook against moto through the registered path
 * and fails on any call that is not a Get, Describe or List, on a call the function's policy in template.yaml does
 * not allow, and on any change in the account.
 *
 * <p>Connections opened while priming are not relied on after restore: the JDK's keep-alive cache drops idle
 * connections after 5 s (or the server's Keep-Alive timeout), and both the JDK and the SDK retry a request whose
 * pooled connection turns out to be closed. Credentials cached in the snapshot are refreshed by their provider
 * when they expire (under SnapStart, {@link ClientSettings} uses the container credentials endpoint).
 */
public final class SnapStartPriming implements Resource {

    /**
     * The team every priming name derives from. Underscores fail validation ({@code RequestRules}), so no real
     * team has this name, while log group and parameter names allow them, so the derived names are valid in
     * requests.
     */
    public static final String PROBE_TEAM = "_snapstart-priming_";

    /**
     * The SageMaker domain id every priming call that needs one names. Real ids are "d-" and 12 lower-case letters
     * and digits, so an id with more hyphens can never exist, while it still matches the DomainId pattern
     * ({@code d-(-*[a-z0-9]){1,61}}), so requests carrying it are valid.
     */
    public static final String PROBE_DOMAIN_ID = "d-snapstart-priming-probe";

    /** A validated request, as the workflow passes it to every step after validation. */
    public static final String SAMPLE_TEAM_REQUEST = """
            {"teamName": "_snapstart-priming_", "vpcId": "vpc-0a1b2c3d4e5f60718",
             "subnetIds": ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"],
             "securityGroupIds": ["sg-0a1b2c3d4e5f60718"],
             "executionRoleArn": "arn:aws:iam::123456789012:role/ml-platform-studio-execution",
             "kmsKeyId": "alias/aws/sagemaker", "logRetentionDays": 365, "tags": {"cost-center": "priming"},
             "members": ["priming-member"], "idleTimeoutMinutes": 120}""";

    /** A validated offboarding request, as the offboarding workflow passes it to its steps: the team name only. */
    public static final String SAMPLE_OFFBOARD_REQUEST = """
            {"teamName": "_snapstart-priming_"}""";

    /**
     * Per-request settings for priming calls: a short total timeout, so that priming never holds up the
     * snapshot for long when AWS cannot be reached.
     */
    public static final AwsRequestOverrideConfiguration REQUEST = AwsRequestOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(10))
            .build();

    /**
     * One handler's priming: its request path, with read-only calls only (see the class comment), run once before
     * the snapshot. What it throws is logged, never passed on.
     */
    @FunctionalInterface
    public interface Action {
        void prime(StepLog log) throws Exception;
    }

    /** org.crac holds registered resources weakly; these stay reachable for the life of the function. */
    private static final List<SnapStartPriming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String name;
    private final Action action;

    private SnapStartPriming(String name, Action action) {
        this.name = name;
        this.action = action;
    }

    /** A {@link JsonHandler}'s priming: its JSON path around {@link JsonHandler#prime}, on a sample input. */
    static void register(JsonHandler<?, ?> handler, String sampleInputJson) {
        register(handler, log -> handler.primeWith(sampleInputJson, log));
    }

    /**
     * Registers SnapStart priming for a handler that is not a {@link JsonHandler}. Call it from the handler's Lambda
     * (no-arg) constructor only.
     *
     * @param handler the handler, for the log lines
     * @param action its priming, which must follow the rules in the class comment
     */
    public static void register(Object handler, Action action) {
        SnapStartPriming priming = new SnapStartPriming(handler.getClass().getSimpleName(), action);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        StepLog log = new StepLog(LambdaRuntime.getLogger());
        long start = System.nanoTime();
        try {
            action.prime(log);
            log.info("SnapStart priming of %s done in %d ms", name, (System.nanoTime() - start) / 1_000_000);
        } catch (Exception | LinkageError e) {
            log.warn("SnapStart priming of %s failed after %d ms; the snapshot is taken anyway: %s", name,
                    (System.nanoTime() - start) / 1_000_000, e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to redo: see the class comment on connections and credentials.
    }

    /**
     * Runs one read-only priming call and returns its result, or null when it throws; what it throws is logged
     * and swallowed (a probe name is expected to be not found).
     */
    public static <T> T attempt(StepLog log, String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            log.info("SnapStart priming: %s answered %s (ignored)", operation, e.getClass().getSimpleName());
            return null;
        }
    }
}
