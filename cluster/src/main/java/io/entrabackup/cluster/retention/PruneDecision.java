package io.entrabackup.cluster.retention;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which of one object's versions retention prunes (cluster/RETENTION.md). A version is prunable when it stopped being
 * the object's current version before the cutoff, that is when the version after it was captured before the cutoff:
 * every state the object had from the cutoff on stays restorable. The newest version (the object as it is, or the
 * tombstone that carries a deleted object's last state) is never pruned. Prunable versions are always the oldest ones,
 * so a prune is one range: every version older than the oldest version kept.
 */
public final class PruneDecision {

  private PruneDecision() {}

  /** One stored version as retention reads it (no state). */
  public record Version(String versionId, Instant capturedAt, Optional<String> chainHash, List<String> chunkIds,
      long stateBytes) {}

  /**
   * What to prune from one object.
   *
   * @param oldestKept the range delete removes every version older than this one
   * @param horizon the newest version pruned: the kept history starts after it (its chain hash is recorded)
   * @param versions how many versions go
   * @param stateBytes their states' size (uncompressed canonical JSON)
   * @param chunks reference chunks only the pruned versions used (deleted after them)
   */
  public record Prune(String oldestKept, Version horizon, int versions, long stateBytes, Set<String> chunks) {}

  /**
   * @param newestFirst the object's versions, newest first (the partition's order)
   * @param cutoff versions that stopped being current before this instant go
   */
  public static Optional<Prune> of(List<Version> newestFirst, Instant cutoff) {
    for (int i = 1; i < newestFirst.size(); i++) {
      Version successor = newestFirst.get(i - 1);
      if (successor.capturedAt().isBefore(cutoff)) {
        return Optional.of(prune(newestFirst, i));
      }
    }
    return Optional.empty();
  }

  private static Prune prune(List<Version> newestFirst, int firstPruned) {
    List<Version> kept = newestFirst.subList(0, firstPruned);
    List<Version> pruned = newestFirst.subList(firstPruned, newestFirst.size());
    Set<String> chunks = new LinkedHashSet<>();
    pruned.forEach(version -> chunks.addAll(version.chunkIds()));
    kept.forEach(version -> version.chunkIds().forEach(chunks::remove));
    long bytes = pruned.stream().mapToLong(Version::stateBytes).sum();
    return new Prune(kept.get(kept.size() - 1).versionId(), pruned.get(0), pruned.size(), bytes, Set.copyOf(chunks));
  }
}
