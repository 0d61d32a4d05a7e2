package io.entrabackup.cluster.snapshot.internal;

import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.INT;
import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TEXT;
import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TIMESTAMP;
import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TIMEUUID;
import static io.entrabackup.cluster.snapshot.internal.VersionRows.TEXT_LIST;

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
   * unlogged batch, one round trip. Bound with the codecs named (a typed setter such as setString looks its codec up
   * in the registry for every value: a few percent of a backup's CPU) on builders whose values start
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
          .set(0, t, TEXT).set(1, type, TEXT).set(2, kind, TEXT).set(3, key, TEXT).set(4, objectId, TEXT)
          .set(5, version.displayName(), TEXT).set(6, versionId, TIMEUUID).set(7, version.capturedAt(), TIMESTAMP);
      // An object's first version makes a new list row; a later one overwrites a row whose 'removed' must clear.
      if (removed != null || previous.isPresent()) {
        row.set(8, removed, TEXT);
      }
      if (version.detail().isPresent() || previous.isPresent()) {
        row.set(9, version.detail().orElse(null), TEXT);
      }
      batch.addStatement(row.build());
    });
    batch.addStatement(prepared(statements.insertRunChange).boundStatementBuilder()
        .set(0, t, TEXT).set(1, version.runId(), TEXT).set(2, type, TEXT).set(3, objectId, TEXT)
        .set(4, versionId, TIMEUUID).set(5, outcome.name(), TEXT).build());
    return batch.build();
  }

  /** The version row, its empty columns unset. */
  public BoundStatement versionRow(String tenant, NewVersion version, UUID versionId, String hash,
      PackedState properties, ChunkedReferences chunks) {
    BoundStatementBuilder row = prepared(statements.insertVersion).boundStatementBuilder()
        .set(0, tenant, TEXT).set(1, version.type().apiName(), TEXT).set(2, version.objectId(), TEXT)
        .set(3, versionId, TIMEUUID).set(4, version.runId(), TEXT).set(5, version.capturedAt(), TIMESTAMP)
        .set(6, hash, TEXT).set(8, version.displayName(), TEXT)
        .setBytesUnsafe(9, ByteBuffer.wrap(properties.deflated())).set(10, properties.crc32(), INT)
        .set(11, properties.length(), INT);
    version.removed().ifPresent(reason -> row.set(7, reason, TEXT));
    List<String> members = chunks.chunkIds().get("members");
    if (members != null) {
      row.set(12, members, TEXT_LIST).set(13, chunks.sizes().get("members"), INT);
    }
    List<String> owners = chunks.chunkIds().get("owners");
    if (owners != null) {
      row.set(14, owners, TEXT_LIST).set(15, chunks.sizes().get("owners"), INT);
    }
    List<String> membersInline = chunks.inline().get("members");
    if (membersInline != null) {
      row.set(16, membersInline, TEXT_LIST);
    }
    List<String> ownersInline = chunks.inline().get("owners");
    if (ownersInline != null) {
      row.set(17, ownersInline, TEXT_LIST);
    }
    return row.build();
  }

  private static PreparedStatement prepared(PreparedStatementCache cache) {
    return cache.get().toCompletableFuture().join();
  }
}
