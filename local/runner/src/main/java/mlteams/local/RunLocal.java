package mlteams.local;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.ClientSettings;
import mlteams.common.Json;
import mlteams.common.TeamNames;
import mlteams.local.peers.LocalStepFunctions;
import mlteams.local.peers.MotoServer;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * scripts/run-local.sh: runs the onboarding (or, with {@code --workflow offboard|members}, the offboarding or the
 * membership change; with {@code --plan}, the plan of the onboarding, which changes nothing) workflow for
 * one event file and prints its progress, the team's SSM parameters read back, and, as the last line on stdout,
 * the execution's output as one line of JSON. Exits 0 only if the execution succeeded.
 *
 * <ul>
 *   <li>no flag: starts a moto server (with the project's user-profile fill, as scripts/moto-server.sh) on a free
 *       loopback port, and stops it at the end;</li>
 *   <li>{@code --endpoint URL}: uses that running AWS-compatible endpoint and starts no server of its own;</li>
 *   <li>with either, the few operations moto lacks are filled by {@link MotoGaps} in front of it;</li>
 *   <li>{@code --aws}: real AWS through the default credential chain; the stack must be deployed and its
 *       names exported as the functions' environment variables (see README).</li>
 * </ul>
 */
public final class RunLocal {

    private static final String USAGE = "usage: scripts/run-local.sh [--endpoint URL | --aws] [--region REGION]"
            + " [--workflow onboard|offboard|members | --plan] EVENT_FILE";

    public static void main(String[] args) throws Exception {
        URI endpoint = null;
        boolean aws = false;
        String workflowName = "onboard";
        String region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--endpoint" -> endpoint = URI.create(value(args, ++i));
                case "--aws" -> aws = true;
                case "--region" -> region = value(args, ++i);
                case "--workflow" -> workflowName = value(args, ++i);
                case "--plan" -> workflowName = "plan";
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> files.add(args[i]);
            }
        }
        if (files.size() != 1 || (aws && endpoint != null)
                || !List.of("onboard", "offboard", "members", "plan").contains(workflowName)) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String input = Files.readString(Path.of(files.get(0)));
        PrintStream out = System.out;

        MotoServer moto = null;
        MotoGaps gaps = null;
        try {
            ClientSettings settings;
            Map<String, String> env;
            if (aws) {
                settings = new ClientSettings(Region.of(region), DefaultCredentialsProvider.builder().build(), null);
                env = System.getenv();
                out.println("Running against real AWS in " + region + " with the stack names from the environment");
            } else {
                if (endpoint == null) {
                    out.println("Starting moto server ...");
                    moto = MotoServer.start();
                    endpoint = moto.endpoint();
                }
                out.println("Using the AWS-compatible endpoint at " + endpoint);
                env = LocalStack.deploy(ClientSettings.emulator(endpoint, Region.of(region)));
                gaps = MotoGaps.inFrontOf(endpoint);
                out.println("Filling " + MotoGaps.FILLED.keySet().stream().sorted().toList() + " in front of it at "
                        + gaps.endpoint());
                settings = ClientSettings.emulator(gaps.endpoint(), Region.of(region));
            }
            int exit = run(settings, env, workflowName, input, out);
            if (gaps != null) {
                gaps.close();
            }
            System.exit(exit);
        } finally {
            if (moto != null) {
                moto.close();
            }
        }
    }

    static int run(ClientSettings settings, Map<String, String> env, String workflowName, String input, PrintStream out) {
        long start = System.nanoTime();
        // Locally, a wait loop's pause is shortened: the emulator's deletions and creations are instant.
        Map<String, Object> options = LocalWorkflow.pauses(200, null);
        try (Clients clients = Clients.connect(settings);
                LocalWorkflow workflow = new LocalWorkflow(clients, env, System.err, options)) {
            String definition = switch (workflowName) {
                case "offboard" -> LocalWorkflow.OFFBOARD_DEFINITION;
                case "members" -> LocalWorkflow.MEMBERS_DEFINITION;
                case "plan" -> LocalWorkflow.PLAN_DEFINITION;
                default -> LocalWorkflow.ONBOARD_DEFINITION;
            };
            LocalStepFunctions.Execution execution = workflow.run(definition, input, event -> progress(out, start, event));
            if (!execution.succeeded()) {
                out.println("Execution FAILED: " + execution.error());
                out.println("  cause: " + execution.cause());
                Map<String, Object> failure = new LinkedHashMap<>();
                failure.put("status", "FAILED");
                failure.put("error", execution.error());
                failure.put("cause", execution.cause());
                out.println(Json.write(failure));
                return 1;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> output = (Map<String, Object>) execution.output();
            if (definition.equals(LocalWorkflow.PLAN_DEFINITION)) {
                PlanTable.print(output, out);
                out.println(Json.write(output));
                return 0;
            }
            String path = TeamNames.parameterPath(env.getOrDefault("PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX),
                    (String) output.get("teamName"));
            out.printf("Execution SUCCEEDED in %.1f s, %d state transitions%n", (System.nanoTime() - start) / 1e9,
                    execution.stateTransitions());
            out.println("SSM parameters under " + path + ":");
            clients.ssm().getParametersByPathPaginator(r -> r.path(path)).stream()
                    .flatMap(page -> page.parameters().stream())
                    .forEach(p -> out.println("  " + p.name() + " = " + p.value()));
            out.println(Json.write(output));
            return 0;
        }
    }

    private static void progress(PrintStream out, long start, Map<String, Object> event) {
        String type = (String) event.get("type");
        String state = (String) event.get("state");
        String at = String.format("[%5.1fs]", (System.nanoTime() - start) / 1e9);
        switch (type) {
            case "StateEntered" -> out.println(at + " start  " + state);
            case "StateExited" -> out.println(at + " done   " + state);
            case "StateRetried" -> out.println(at + " retry  " + state + " (attempt " + event.get("attempt") + ")");
            case "StateFailed" -> out.println(at + " FAILED " + state + ": " + event.get("error"));
            case "StateCaught" -> out.println(at + " caught " + state);
            default -> {
            }
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.println(USAGE);
            System.exit(2);
        }
        return args[i];
    }
}
