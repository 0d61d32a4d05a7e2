package io.entrabackup.cluster.snapshot;

/** What a snapshot write did. */
public enum WriteOutcome {
  /** First version of an object. */
  NEW,
  /** A new version: the content hash differs from the previous one, or the object came back from a tombstone. */
  CHANGED,
  /** Same content as the latest version: nothing written. */
  UNCHANGED,
  /** A tombstone version was written. */
  REMOVED,
  /** Already a tombstone with that reason, or never stored: nothing written. */
  ALREADY_REMOVED
}
