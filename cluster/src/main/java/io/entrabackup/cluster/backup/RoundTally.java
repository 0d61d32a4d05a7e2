package io.entrabackup.cluster.backup;

import io.entrabackup.cluster.snapshot.WriteOutcome;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.TypeCounts;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * What one type's round has found so far. A page's objects are stored in parallel, so it is safe for
 * concurrent use. The ids seen are kept to count each object once and, after a full round, to find
 * the objects Graph no longer returns.
 */
final class RoundTally {

  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final boolean storeWasEmpty;
  private long created;
  private long changed;
  private long removed;
  private long unchanged;
  private GraphTraffic graph = GraphTraffic.NONE;
  private boolean fullRound;
  private Optional<String> deltaLink = Optional.empty();

  /** @param storeWasEmpty no object of the round's type was stored before the round */
  RoundTally(boolean storeWasEmpty) {
    this.storeWasEmpty = storeWasEmpty;
  }

  boolean storeWasEmpty() {
    return storeWasEmpty;
  }

  /** Whether the object already came earlier in this round (Graph may send it more than once). */
  boolean seenBefore(String objectId) {
    return seen.contains(objectId);
  }

  void markSeen(String objectId) {
    seen.add(objectId);
  }

  boolean wasSeen(String objectId) {
    return seen.contains(objectId);
  }

  synchronized void count(WriteOutcome outcome, boolean repeat) {
    switch (outcome) {
      case NEW -> created += repeat ? 0 : 1;
      case CHANGED -> {
        if (!repeat) {
          changed++;
        }
      }
      case REMOVED -> removed++;
      case UNCHANGED, ALREADY_REMOVED -> unchanged += repeat ? 0 : 1;
    }
  }

  /**
   * A stored state changed after the round (a membership reconciled): a change, unless this run had already
   * written the object; if the round saw it unchanged, it is no longer that.
   */
  synchronized void reconciled(String objectId, WriteOutcome outcome, boolean alreadyWrittenInRun) {
    if (outcome != WriteOutcome.CHANGED || alreadyWrittenInRun) {
      return;
    }
    changed++;
    if (seen.contains(objectId) && unchanged > 0) {
      unchanged--;
    }
  }

  synchronized void page(GraphTraffic traffic, boolean full, Optional<String> link) {
    graph = graph.plus(traffic);
    fullRound = fullRound || full;
    if (link.isPresent()) {
      deltaLink = link;
    }
  }

  synchronized boolean fullRound() {
    return fullRound;
  }

  long seenCount() {
    return seen.size();
  }

  synchronized TypeCounts counts() {
    return new TypeCounts(seen.size(), created, changed, removed, unchanged);
  }

  synchronized GraphTraffic graph() {
    return graph;
  }

  synchronized Optional<String> deltaLink() {
    return deltaLink;
  }
}
