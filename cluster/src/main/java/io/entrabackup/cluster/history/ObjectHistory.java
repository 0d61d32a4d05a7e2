package io.entrabackup.cluster.history;

import io.entrabackup.cluster.snapshot.Horizon;
import io.entrabackup.cluster.snapshot.StoredLink;
import io.entrabackup.cluster.snapshot.VersionLink;
import io.entrabackup.cluster.snapshot.VersionChain;
import io.entrabackup.protocol.history.HistoryProblem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Checks one object's stored history, oldest version first: each chained version's hash is recomputed from its fields
 * and the chain hash of the version before it, and the version it names as its previous must be that one. Rows
 * written before chains are counted, not checked; the first chained version after them chains from the genesis.
 */
public final class ObjectHistory {

  private ObjectHistory() {}

  /** What one object's check found. */
  public record Verdict(long versions, long chained, long unchained, boolean fromHorizon,
      List<HistoryProblem> problems) {}

  /**
   * @param oldestFirst the object's version rows, oldest first
   * @param horizon the recorded pruning horizon, if retention pruned the object's oldest versions
   * @param latestVersion the version the object's latest row names (empty when it has none)
   */
  public static Verdict check(String type, String objectId, List<StoredLink> oldestFirst, Optional<Horizon> horizon,
      Optional<String> latestVersion, String tenant) {
    Set<String> present = new HashSet<>();
    oldestFirst.forEach(version -> present.add(version.versionId()));
    List<HistoryProblem> problems = new ArrayList<>();
    List<StoredLink> kept = horizon.map(at -> newerThan(oldestFirst, at)).orElse(oldestFirst);
    long chained = 0;
    boolean fromHorizon = false;
    boolean chainSeen = false;
    StoredLink before = null;
    for (StoredLink version : kept) {
      if (version.link().isEmpty()) {
        if (chainSeen) {
          problems.add(problem(HistoryProblem.BREAK, type, objectId, version,
              "has no chain hash, but versions before it have: its chain columns were removed"));
        }
        before = version;
        continue;
      }
      chainSeen = true;
      VersionLink link = version.link().get();
      Optional<String> expectedPrevious = before == null ? Optional.empty() : Optional.of(before.versionId());
      String previousChain;
      if (link.previousVersion().equals(expectedPrevious)) {
        previousChain = before == null ? VersionChain.GENESIS
            : before.link().map(VersionLink::chainHash).orElse(VersionChain.GENESIS);
      } else if (before == null && horizon.isPresent()
          && link.previousVersion().equals(Optional.of(horizon.get().versionId()))) {
        previousChain = horizon.get().chainHash();
        fromHorizon = true;
      } else {
        problems.add(misplaced(type, objectId, version, link, expectedPrevious, present));
        before = version;
        continue;
      }
      String recomputed = VersionChain.hash(previousChain, new VersionChain.Link(tenant, type, objectId,
          version.versionId(), link.previousVersion(), version.capturedAt(), version.removed(),
          version.contentHash(), version.chunkIds()));
      if (recomputed.equals(link.chainHash())) {
        chained++;
      } else {
        problems.add(problem(HistoryProblem.BREAK, type, objectId, version,
            "its chain hash is not what its stored fields and the version before it give: the row was altered"));
      }
      before = version;
    }
    latestVersion.filter(latest -> !present.contains(latest)).ifPresent(latest -> problems.add(new HistoryProblem(
        HistoryProblem.GAP, type, objectId, latest, "the object's latest row names this version, which is missing")));
    long unchained = oldestFirst.stream().filter(version -> version.link().isEmpty()).count();
    return new Verdict(oldestFirst.size(), chained, unchained, fromHorizon, problems);
  }

  /**
   * The versions newer than the horizon. Retention records the horizon before it deletes, so versions at or before it
   * may still be there (a pass that stopped midway): they are past the horizon already, and not checked.
   */
  private static List<StoredLink> newerThan(List<StoredLink> oldestFirst, Horizon horizon) {
    long horizonTime = UUID.fromString(horizon.versionId()).timestamp();
    return oldestFirst.stream()
        .filter(version -> UUID.fromString(version.versionId()).timestamp() > horizonTime)
        .toList();
  }

  /** A version that follows another version than the one before it: a missing version (gap), or a fork (break). */
  private static HistoryProblem misplaced(String type, String objectId, StoredLink version, VersionLink link,
      Optional<String> expectedPrevious, Set<String> present) {
    if (link.previousVersion().isPresent() && !present.contains(link.previousVersion().get())) {
      return problem(HistoryProblem.GAP, type, objectId, version, "the version it follows, "
          + link.previousVersion().get() + ", is missing and no pruning horizon records it");
    }
    return problem(HistoryProblem.BREAK, type, objectId, version, "it follows "
        + link.previousVersion().orElse("no version") + ", not the version before it ("
        + expectedPrevious.orElse("none") + ")");
  }

  private static HistoryProblem problem(String kind, String type, String objectId, StoredLink version, String detail) {
    return new HistoryProblem(kind, type, objectId, version.versionId(), detail);
  }
}
