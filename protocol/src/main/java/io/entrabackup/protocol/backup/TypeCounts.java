package io.entrabackup.protocol.backup;

import io.entrabackup.protocol.CborSerializable;

/**
 * What one backup found for one object type (or for all of them, added up).
 *
 * @param seen objects Graph returned, each counted once
 * @param created objects stored for the first time
 * @param changed objects with a new version
 * @param removed objects that got a tombstone
 * @param unchanged objects Graph returned that had not changed: nothing written
 */
public record TypeCounts(long seen, long created, long changed, long removed, long unchanged)
    implements CborSerializable {

  public static final TypeCounts ZERO = new TypeCounts(0, 0, 0, 0, 0);

  public TypeCounts plus(TypeCounts other) {
    return new TypeCounts(seen + other.seen, created + other.created, changed + other.changed,
        removed + other.removed, unchanged + other.unchanged);
  }

  /** New snapshot rows this backup wrote: versions and tombstones. */
  public long written() {
    return created + changed + removed;
  }
}
