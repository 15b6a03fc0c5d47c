package mlteams.common;

import java.util.List;

/**
 * One resource in a plan: what an onboarding would do to it, and why. Each step's plan path builds these from the
 * same read-only assessment its apply path acts on, so a plan cannot drift from what the step does.
 *
 * @param resource the kind: trail, log-group, log-stream, metric-filter, alarm, dashboard, query-definition,
 *                 domain, user-profile, parameter
 * @param action   {@link #CREATE}, {@link #NONE}, {@link #UPDATE}, {@link #CONFLICT} or {@link #DELETE}
 * @param details  for an update, each setting as "name: current -> requested"; for a conflict, each setting that
 *                 cannot change in place; otherwise what would be made, or notes on what is left as it is
 */
public record PlannedChange(String resource, String name, String action, List<String> details) {

    /** Missing: would be made. */
    public static final String CREATE = "create";
    /** Exists as requested. */
    public static final String NONE = "none";
    /** Exists; the details would change. */
    public static final String UPDATE = "update";
    /** Exists with settings that cannot change in place: the onboarding would fail with ResourceConflictException. */
    public static final String CONFLICT = "conflict";
    /** Would be removed (a member profile the new member list drops). */
    public static final String DELETE = "delete";

    public PlannedChange {
        details = List.copyOf(details);
    }

    /** An existing resource: an update if anything would change, none otherwise. */
    public static PlannedChange existing(String resource, String name, List<String> changes) {
        return existing(resource, name, changes, List.of());
    }

    /** The same, with notes on what onboarding leaves as it is (they do not make it an update). */
    public static PlannedChange existing(String resource, String name, List<String> changes, List<String> notes) {
        List<String> details = new java.util.ArrayList<>(changes);
        details.addAll(notes);
        return new PlannedChange(resource, name, changes.isEmpty() ? NONE : UPDATE, details);
    }

    /** "setting: current -> requested", the form every update detail takes. */
    public static String change(String setting, Object current, Object requested) {
        return setting + ": " + current + " -> " + requested;
    }
}
