package mlteams.local;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints an onboarding plan as a table a person reads before deciding to run it. */
final class PlanTable {

    private PlanTable() {
    }

    @SuppressWarnings("unchecked")
    static void print(Map<String, Object> plan, PrintStream out) {
        List<Map<String, Object>> changes = (List<Map<String, Object>>) plan.get("changes");
        int resourceWidth = width(changes, "resource", "RESOURCE");
        int nameWidth = width(changes, "name", "NAME");
        String row = "%-" + resourceWidth + "s  %-" + nameWidth + "s  %-8s  %s%n";
        out.println("Plan for team " + plan.get("teamName") + " (nothing has been changed):");
        out.printf(row, "RESOURCE", "NAME", "ACTION", "DETAILS");
        Map<String, Integer> counts = new TreeMap<>();
        for (Map<String, Object> change : changes) {
            out.printf(row, change.get("resource"), change.get("name"), change.get("action"),
                    String.join("; ", (List<String>) change.get("details")));
            counts.merge((String) change.get("action"), 1, Integer::sum);
        }
        out.println("Summary: " + counts);
    }

    private static int width(List<Map<String, Object>> changes, String field, String heading) {
        return Math.max(heading.length(), changes.stream().mapToInt(c -> String.valueOf(c.get(field)).length())
                .max().orElse(0));
    }
}
