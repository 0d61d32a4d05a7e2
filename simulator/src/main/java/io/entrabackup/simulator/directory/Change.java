package io.entrabackup.simulator.directory;

import java.util.Set;

/**
 * One entry of a tenant's change log. Delta rounds are answered from this log: a delta token is a position in it.
 * {@code props} is set for UPDATED; {@code relation} and {@code memberKey} for MEMBER_ADDED / MEMBER_REMOVED.
 */
public record Change(long seq, ObjectKind kind, int index, Type type, Set<String> props, String relation, long memberKey) {
  /** What happened to the object. */
  public enum Type { CREATED, UPDATED, SOFT_DELETED, RESTORED, HARD_DELETED, MEMBER_ADDED, MEMBER_REMOVED }
}
