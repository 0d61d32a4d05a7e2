package io.entrabackup.cluster.snapshot.internal;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.snapshot.PackedState;
import io.entrabackup.cluster.snapshot.WriteOutcome;
import io.entrabackup.cluster.store.PreparedStatementCache;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The statements that record one new version: its version row, its latest row, its listing rows and its run change.
 * Call only once the statements are prepared (the store awaits them first), so binding never waits.
 */
public final class VersionStatements {

  private final SnapshotStatements statements;

  public VersionStatements(SnapshotStatements statements) {
    this.statements = statements;
  }

  /** The object's {@code snapshot_latest} row for this version (see {@link LatestRows}). */
  public BoundStatement latestRow(BoundStatement versionRow, String objectId, boolean firstVersion) {
    return LatestRows.of(prepared(statements.upsertLatest), versionRow, objectId, firstVersion);
  }

  /**
   * The version's rows (its version and latest row, unless written on their own), list entries and run change: one
   * unlogged batch, one round trip. Bound with typed setters (no codec lookup per value) on builders whose values start
   * unset: a version is always a new row, and an empty column left unset is no tombstone cell that Cassandra writes,
   * compacts and skips on every read.
   */
  public BatchStatement batch(String t, NewVersion version, UUID versionId,
      List<BoundStatement> versionRows, Optional<ObjectSnapshot> previous, WriteOutcome outcome) {
    String type = version.type().apiName();
    String objectId = version.objectId();
    String removed = version.removed().orElse(null);
    BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
    versionRows.forEach(batch::addStatement);
    Map<String, String> keys = NameKeys.of(version.type(), version.displayName(), version.userPrincipalName());
    Map<String, String> oldKeys = previous.map(NameKeys::of).orElse(Map.of());
    oldKeys.forEach((kind, oldKey) -> {
      if (!oldKey.equals(keys.get(kind))) {
        batch.addStatement(prepared(statements.deleteObject).bind(t, type, kind, oldKey, objectId));
      }
    });
    keys.forEach((kind, key) -> {
      BoundStatementBuilder row = prepared(statements.upsertObject).boundStatementBuilder()
          .setString(0, t).setString(1, type).setString(2, kind).setString(3, key).setString(4, objectId)
          .setString(5, version.displayName()).setUuid(6, versionId).setInstant(7, version.capturedAt());
      // An object's first version makes a new list row; a later one overwrites a row whose 'removed' must clear.
      if (removed != null || previous.isPresent()) {
        row.setString(8, removed);
      }
      batch.addStatement(row.build());
    });
    batch.addStatement(prepared(statements.insertRunChange).boundStatementBuilder()
        .setString(0, t).setString(1, version.runId()).setString(2, type).setString(3, objectId)
        .setUuid(4, versionId).setString(5, outcome.name()).build());
    return batch.build();
  }

  /** The version row, its empty columns unset. */
  public BoundStatement versionRow(String tenant, NewVersion version, UUID versionId, String hash,
      PackedState properties, ChunkedReferences chunks) {
    BoundStatementBuilder row = prepared(statements.insertVersion).boundStatementBuilder()
        .setString(0, tenant).setString(1, version.type().apiName()).setString(2, version.objectId())
        .setUuid(3, versionId).setString(4, version.runId()).setInstant(5, version.capturedAt())
        .setString(6, hash).setString(8, version.displayName())
        .setBytesUnsafe(9, ByteBuffer.wrap(properties.deflated())).setInt(10, properties.crc32())
        .setInt(11, properties.length());
    version.removed().ifPresent(reason -> row.setString(7, reason));
    List<String> members = chunks.chunkIds().get("members");
    if (members != null) {
      row.setList(12, members, String.class).setInt(13, chunks.sizes().get("members"));
    }
    List<String> owners = chunks.chunkIds().get("owners");
    if (owners != null) {
      row.setList(14, owners, String.class).setInt(15, chunks.sizes().get("owners"));
    }
    return row.build();
  }

  private static PreparedStatement prepared(PreparedStatementCache cache) {
    return cache.get().toCompletableFuture().join();
  }
}
