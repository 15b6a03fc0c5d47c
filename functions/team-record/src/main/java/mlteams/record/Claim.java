package mlteams.record;

/** @param heldBy the execution that holds the team: this one when claimed */
public record Claim(boolean claimed, String heldBy) {
}
