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
import io.entrabackup.cluster.crypto.TenantCipher;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.snapshot.PackedState;
import io.entrabackup.cluster.snapshot.WriteOutcome;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The statements that record one new version: its version row, its latest row, its list row, its search tokens and its
 * run change, directory content sealed with the tenant's cipher ({@link SealedColumns}). Call only once the statements
 * are prepared (the store awaits them first), so binding never waits.
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
  public BatchStatement batch(TenantCipher cipher, String t, NewVersion version, UUID versionId,
      List<BoundStatement> versionRows, Optional<ObjectSnapshot> previous, WriteOutcome outcome) {
    String type = version.type().apiName();
    String objectId = version.objectId();
    BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
    versionRows.forEach(batch::addStatement);
    batch.addStatement(listRow(cipher, t, version, versionId, previous.isPresent()));
    searchRows(cipher, t, version, previous).forEach(batch::addStatement);
    batch.addStatement(prepared(statements.insertRunChange).boundStatementBuilder()
        .set(0, t, TEXT).set(1, version.runId(), TEXT).set(2, type, TEXT).set(3, objectId, TEXT)
        .set(4, versionId, TIMEUUID).set(5, outcome.name(), TEXT).build());
    return batch.build();
  }

  /** The object's one list row: its names sealed, in object id order (no order-revealing key). */
  private BoundStatement listRow(TenantCipher cipher, String t, NewVersion version, UUID versionId,
      boolean hadVersion) {
    ObjectType type = version.type();
    String objectId = version.objectId();
    String id = versionId.toString();
    String removed = version.removed().orElse(null);
    BoundStatementBuilder row = prepared(statements.upsertObject).boundStatementBuilder()
        .set(0, t, TEXT).set(1, type.apiName(), TEXT).set(2, NameKeys.BY_NAME, TEXT).set(3, NameKeys.LIST_KEY, TEXT)
        .set(4, objectId, TEXT)
        .set(5, SealedColumns.displayName(cipher, version.displayName(), type, objectId, id), TEXT)
        .set(6, versionId, TIMEUUID).set(7, version.capturedAt(), TIMESTAMP);
    // An object's first version makes a new list row; a later one overwrites a row whose 'removed' must clear.
    if (removed != null || hadVersion) {
      row.set(8, removed, TEXT);
    }
    if (version.detail().isPresent() || hadVersion) {
      row.set(9, version.detail().map(detail -> SealedColumns.listText(cipher, "detail", detail, type, objectId, id))
          .orElse(null), TEXT);
    }
    Optional<String> upn = SearchTokens.upnOf(type, version.userPrincipalName());
    if (upn.isPresent() || hadVersion) {
      row.set(10, upn.map(text -> SealedColumns.listText(cipher, "upn", text, type, objectId, id)).orElse(null), TEXT);
    }
    return row.build();
  }

  /**
   * The object's search tokens, all written again with every version (a token lost with a torn batch comes back), and
   * those of its previous names that it no longer has removed.
   */
  private List<BoundStatement> searchRows(TenantCipher cipher, String t, NewVersion version,
      Optional<ObjectSnapshot> previous) {
    String type = version.type().apiName();
    Set<String> tokens = SearchTokens.of(cipher, version.type(), version.displayName(), version.userPrincipalName());
    List<BoundStatement> rows = new ArrayList<>();
    previous.ifPresent(last -> SearchTokens.of(cipher, last.type(), last.displayName(),
            last.state().get("userPrincipalName")).stream()
        .filter(token -> !tokens.contains(token))
        .forEach(token -> rows.add(prepared(statements.deleteSearch).bind(t, type, SearchTokens.bucketOf(token), token,
            version.objectId()))));
    tokens.forEach(token -> rows.add(prepared(statements.upsertSearch).bind(t, type, SearchTokens.bucketOf(token), token,
        version.objectId())));
    return rows;
  }

  /** The version row, its empty columns unset. */
  public BoundStatement versionRow(TenantCipher cipher, String tenant, NewVersion version, UUID versionId,
      String hash, PackedState properties, ChunkedReferences chunks) {
    ObjectType type = version.type();
    String objectId = version.objectId();
    String id = versionId.toString();
    // The state's CRC-32 is sealed with it (state_crc32 stays unset): in clear it would confirm a guessed state.
    BoundStatementBuilder row = prepared(statements.insertVersion).boundStatementBuilder()
        .set(0, tenant, TEXT).set(1, type.apiName(), TEXT).set(2, objectId, TEXT)
        .set(3, versionId, TIMEUUID).set(4, version.runId(), TEXT).set(5, version.capturedAt(), TIMESTAMP)
        .set(6, hash, TEXT).set(8, SealedColumns.displayName(cipher, version.displayName(), type, objectId, id), TEXT)
        .setBytesUnsafe(9, SealedColumns.state(cipher, properties, type, objectId, id))
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
      row.set(16, SealedColumns.inline(cipher, membersInline, "members", type, objectId, id), TEXT_LIST);
    }
    List<String> ownersInline = chunks.inline().get("owners");
    if (ownersInline != null) {
      row.set(17, SealedColumns.inline(cipher, ownersInline, "owners", type, objectId, id), TEXT_LIST);
    }
    return row.build();
  }

  private static PreparedStatement prepared(PreparedStatementCache cache) {
    return cache.get().toCompletableFuture().join();
  }
}
