package io.entrabackup.cluster.snapshot.internal;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;

/**
 * The {@code snapshot_latest} upsert that goes with a new version row: the same values, copied as the bytes the
 * version row already holds (no second encoding of the state), with the object's bucket in front of its id.
 */
public final class LatestRows {

  /** From the version insert's object id (index 2) on, each value sits one further right in the latest row. */
  private static final int OBJECT_ID = 2;

  private LatestRows() {}

  /**
   * @param upsert {@link SnapshotStatements#upsertLatest}
   * @param firstVersion whether the object had no version before: its latest row is new, so an empty column is
   *     left unset (no tombstone cell). Otherwise the row overwrites the previous version's, and an empty column
   *     is written as null: left unset, a stale {@code removed} (a re-created object), members or owners would
   *     survive from the version before.
   */
  public static BoundStatement of(PreparedStatement upsert, BoundStatement versionRow, String objectId,
      boolean firstVersion) {
    BoundStatementBuilder row = upsert.boundStatementBuilder()
        .setBytesUnsafe(0, versionRow.getBytesUnsafe(0))
        .setBytesUnsafe(1, versionRow.getBytesUnsafe(1))
        .set(2, LatestBuckets.of(objectId), TypeCodecs.INT);
    for (int column = OBJECT_ID; column < versionRow.size(); column++) {
      if (versionRow.isSet(column)) {
        row.setBytesUnsafe(column + 1, versionRow.getBytesUnsafe(column).duplicate());
      } else if (!firstVersion) {
        row.setToNull(column + 1);
      }
    }
    return row.build();
  }
}
