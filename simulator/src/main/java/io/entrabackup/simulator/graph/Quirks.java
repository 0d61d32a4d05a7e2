package io.entrabackup.simulator.graph;

/**
 * Documented or reported Graph behaviours a careful client must survive, off by default so rounds stay simple,
 * switched on by tests that want them.
 */
public final class Quirks {
  private volatile boolean removedInFullRounds;
  private volatile boolean omitMemberRemovalsOfDeletedUsers;

  /** Full rounds also list deleted objects as {@code @removed} entries (the docs' initial response shows one). */
  public boolean removedInFullRounds() {
    return removedInFullRounds;
  }

  /** Group delta leaves out member removals caused by a user's hard delete (a reported Graph quirk). */
  public boolean omitMemberRemovalsOfDeletedUsers() {
    return omitMemberRemovalsOfDeletedUsers;
  }

  public void set(Boolean removedInFull, Boolean omitRemovals) {
    if (removedInFull != null) {
      removedInFullRounds = removedInFull;
    }
    if (omitRemovals != null) {
      omitMemberRemovalsOfDeletedUsers = omitRemovals;
    }
  }
}
