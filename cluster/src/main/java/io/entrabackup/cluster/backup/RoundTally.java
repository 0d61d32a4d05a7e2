package io.entrabackup.cluster.backup;

import io.entrabackup.protocol.backup.GraphTraffic;
import java.util.Optional;

/**
 * What one type's round has found so far: the ids it has seen, its Graph traffic, whether it was a full round and where
 * it ended. A page's objects are stored in parallel, so it is safe for concurrent use. The ids seen are kept
 * (compactly, {@link SeenIds}) to count each object once and, after a full round, to find the objects Graph no longer
 * returns. What the run stored is not counted here but from the store at the milestone ({@link TypeFigures}), so that
 * a run resumed after a crash counts what its lost attempt wrote too.
 */
final class RoundTally {

  private final SeenIds seen = new SeenIds();
  private final boolean storeWasEmpty;
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

  synchronized GraphTraffic graph() {
    return graph;
  }

  synchronized Optional<String> deltaLink() {
    return deltaLink;
  }
}
