/**
 * A stand-in CRaC runtime for {@code org.crac}, selected with {@code -Dorg.crac.Core.Compat=mlteams.local.peers.crac}
 * (org.crac then looks up {@code Resource}, {@code Context}, {@code Core}, {@code CheckpointException} and
 * {@code RestoreException} in this package). It keeps what is registered with the global context, and
 * {@link mlteams.local.peers.crac.Core#checkpointRestore()} runs every {@code beforeCheckpoint} hook, then every
 * {@code afterRestore} hook, without taking a checkpoint. On a plain JVM org.crac otherwise drops registrations,
 * so this is how tests and benchmarks run SnapStart priming through the same registration path as Lambda.
 */
package mlteams.local.peers.crac;
