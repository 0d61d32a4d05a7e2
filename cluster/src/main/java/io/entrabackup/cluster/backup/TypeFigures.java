package io.entrabackup.cluster.backup;

import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.cluster.snapshot.WriteOutcome;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A type's figures in a backup run (seen, created, changed, removed, unchanged), counted at its milestone from what the
 * run stored, not from what one process saw happen: a run resumed after a crash re-reads the type from its last
 * milestone, and the objects the lost attempt had already written then compare unchanged. Counted from the run's
 * changes ({@code snapshot_run_changes}, a row per version written, in the same batch as the version), they are what
 * the run did, each object once, however many attempts it took:
 *
 * <ul>
 *   <li>seen: the objects Graph returned in the round (the last attempt reads the whole round again, so it saw all);
 *   <li>created: objects the run stored a first version of;
 *   <li>changed: objects the run stored a new version of that existed before it (a membership reconciled too);
 *   <li>removed: objects the run tombstoned;
 *   <li>unchanged: objects seen that the run stored nothing for.
 * </ul>
 *
 * For a run without a crash these are the figures its round counted as it went; for a resumed run they equal those of
 * a run that was never interrupted. The pass reads one slice of the run's partition: a row per version the run wrote
 * of the type (100,000 for a first backup of 100,000 users, ~1 s; a handful for an incremental run), and holds their
 * ids compactly ({@link SeenIds}).
 */
final class TypeFigures {

  private final RoundTally tally;
  private final SeenIds stored = new SeenIds();
  private final SeenIds created = new SeenIds();
  private final SeenIds changedSeen = new SeenIds();
  private final List<String> changed = new ArrayList<>();
  private final SeenIds removed = new SeenIds();
  private long seenAndStored;

  private TypeFigures(RoundTally tally) {
    this.tally = tally;
  }

  /** Counts the type's figures; call once every write of the type in the run has completed. */
  static CompletionStage<TypeCounts> of(SnapshotStore store, BackupRunSpec spec, ObjectType type, RoundTally tally) {
    TypeFigures figures = new TypeFigures(tally);
    return store.forEachChangeOfRun(spec.tenantId(), spec.runId(), type, figures::add)
        .thenApply(done -> figures.counts());
  }

  /** Pages come one after another, never at once: no locking needed beyond what SeenIds has. */
  private void add(String objectId, WriteOutcome outcome) {
    if (stored.add(objectId) && tally.wasSeen(objectId)) {
      seenAndStored++;
    }
    switch (outcome) {
      case NEW -> created.add(objectId);
      case CHANGED -> {
        if (changedSeen.add(objectId)) {
          changed.add(objectId);
        }
      }
      case REMOVED -> removed.add(objectId);
      case UNCHANGED, ALREADY_REMOVED -> { } // never stored as a change
    }
  }

  private TypeCounts counts() {
    // Counted once all rows are in (they come by outcome, CHANGED before NEW): an object the run created and then
    // changed (a membership reconciled) is created only.
    long changedBefore = changed.stream().filter(id -> !created.contains(id)).count();
    long seen = tally.seenCount();
    return new TypeCounts(seen, created.size(), changedBefore, removed.size(), seen - seenAndStored);
  }
}
