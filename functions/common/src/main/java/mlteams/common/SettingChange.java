package mlteams.common;

/** A setting that differs from what the platform asks for: what a step repairs, or reports and leaves. */
public record SettingChange(String setting, Object current, Object requested) {

    /** As a plan shows it: "setting: current -> requested". */
    @Override
    public String toString() {
        return PlannedChange.change(setting, current, requested);
    }
}
