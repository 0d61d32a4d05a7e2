package io.entrabackup.simulator.graph;

/**
 * Documented or reported Graph behaviours a careful client must survive, off by default so rounds stay simple,
 * switched on by tests that want them.
 */
public final class Quirks {
  private volatile boolean removedInFullRounds;
  private volatile boolean omitMemberRemovalsOfDeletedUsers;
  private volatile boolean unchangedPropertiesInRounds;

  /** Full rounds also list deleted objects as {@code @removed} entries (the docs' initial response shows one). */
  public boolean removedInFullRounds() {
    return removedInFullRounds;
  }

  /** Group delta leaves out member removals caused by a user's hard delete (a reported Graph quirk). */
  public boolean omitMemberRemovalsOfDeletedUsers() {
    return omitMemberRemovalsOfDeletedUsers;
  }

  /**
   * Graph's documented default for later rounds: a changed object comes with every selected property, changed or not,
   * unless the request says {@code Prefer: return=minimal}. Off, the simulator always answers minimally (the hardest
   * case for a client, and what the issue asks for by default).
   */
  public boolean unchangedPropertiesInRounds() {
    return unchangedPropertiesInRounds;
  }

  public void unchangedPropertiesInRounds(boolean on) {
    unchangedPropertiesInRounds = on;
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
