package io.entrabackup.cluster.retention;

import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.BIGINT;
import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.INT;
import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TEXT;
import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TIMESTAMP;
import static com.datastax.oss.driver.api.core.type.codec.TypeCodecs.TIMEUUID;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.entrabackup.cluster.snapshot.References;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Every statement retention runs on the snapshot store: an object's versions without their states, the horizon
 * written first, then the chunks only pruned versions used (point deletes, rare: most sets are inline), then ONE range
 * delete of the pruned versions. {@link #statements()} counts what was issued, by kind, for the benchmark.
 */
final class RetentionRows {

  /** What one object's partition says before a prune. */
  record ObjectVersions(List<PruneDecision.Version> newestFirst, Optional<UUID> prunedBy, long prunedBefore,
      long bytesBefore, long chunksBefore) {}

  /** Statements issued, by kind (what the benchmark reports as tombstones written). */
  record Statements(long rangeDeletes, long pointDeletes, long horizonWrites, long partitionReads) {}

  private static final int VERSION_PAGE_SIZE = 500;
  /**
   * The chain hash a version stored before chains is recorded with as a horizon: the chain's genesis (all zeros, as
   * snapshot.internal.VersionChain names it), since the first chained version after such rows chains from it.
   */
  static final String GENESIS = "0".repeat(64);
  static final int OBJECT_PAGE_SIZE = 1000;

  private final Supplier<CompletionStage<CqlSession>> session;
  private final CompletionStage<PreparedStatement> selectVersions;
  private final CompletionStage<PreparedStatement> markHorizon;
  private final CompletionStage<PreparedStatement> deleteVersions;
  private final CompletionStage<PreparedStatement> deleteChunk;
  private final CompletionStage<PreparedStatement> selectObjects;
  private final AtomicLong rangeDeletes = new AtomicLong();
  private final AtomicLong pointDeletes = new AtomicLong();
  private final AtomicLong horizonWrites = new AtomicLong();
  private final AtomicLong partitionReads = new AtomicLong();

  RetentionRows(Supplier<CompletionStage<CqlSession>> session, String keyspace) {
    this.session = session;
    String versions = keyspace + ".snapshot_versions";
    String partition = " WHERE tenant_id = ? AND object_type = ? AND object_id = ?";
    selectVersions = prepare("SELECT version_id, captured_at, chain_hash, state_length, members, members_count,"
        + " members_inline, owners, owners_count, owners_inline, retention_job, retention_pruned, retention_bytes,"
        + " retention_chunks FROM " + versions + partition);
    markHorizon = prepare("UPDATE " + versions + " SET horizon_version = ?, horizon_chain_hash = ?,"
        + " retention_job = ?, retention_pruned = ?, retention_bytes = ?, retention_chunks = ?" + partition);
    deleteVersions = prepare("DELETE FROM " + versions + partition + " AND version_id < ?");
    deleteChunk = prepare("DELETE FROM " + keyspace + ".snapshot_reference_chunks" + partition + " AND chunk_id = ?");
    selectObjects = prepare("SELECT object_id FROM " + keyspace + ".snapshot_latest WHERE tenant_id = ?"
        + " AND object_type = ? AND bucket = ? AND object_id > ?");
  }

  private CompletionStage<PreparedStatement> prepare(String cql) {
    return session.get().thenCompose(cql1 -> cql1.prepareAsync(cql));
  }

  Statements statements() {
    return new Statements(rangeDeletes.get(), pointDeletes.get(), horizonWrites.get(), partitionReads.get());
  }

  /** A page of the bucket's object ids after {@code after} ('' from the start). */
  CompletionStage<AsyncResultSet> objects(TenantId tenant, ObjectType type, int bucket, String after) {
    return selectObjects.thenCompose(prepared -> execute(prepared.bind(tenant.value(), type.apiName(), bucket, after)
        .setPageSize(OBJECT_PAGE_SIZE)));
  }

  CompletionStage<ObjectVersions> versions(TenantId tenant, ObjectType type, String objectId) {
    partitionReads.incrementAndGet();
    List<PruneDecision.Version> newestFirst = new ArrayList<>();
    List<Row> statics = new ArrayList<>(1);
    return selectVersions.thenCompose(prepared -> execute(
            prepared.bind(tenant.value(), type.apiName(), objectId).setPageSize(VERSION_PAGE_SIZE)))
        .thenCompose(first -> drain(first, row -> {
          if (statics.isEmpty()) {
            statics.add(row);
          }
          if (!row.isNull("version_id")) {
            newestFirst.add(version(row));
          }
        }))
        .thenApply(done -> {
          Row first = statics.isEmpty() ? null : statics.get(0);
          Optional<UUID> prunedBy = Optional.ofNullable(first == null ? null : first.get("retention_job", TIMEUUID));
          return new ObjectVersions(newestFirst, prunedBy, number(first, "retention_pruned"),
              first == null || first.isNull("retention_bytes") ? 0 : first.get("retention_bytes", BIGINT),
              number(first, "retention_chunks"));
        });
  }

  private static long number(Row row, String column) {
    return row == null || row.isNull(column) ? 0 : row.get(column, INT);
  }

  private static PruneDecision.Version version(Row row) {
    return new PruneDecision.Version(row.get("version_id", TIMEUUID).toString(), row.get("captured_at", TIMESTAMP),
        Optional.ofNullable(row.get("chain_hash", TEXT)), chunkIds(row),
        row.isNull("state_length") ? 0 : row.get("state_length", INT));
  }

  /**
   * The chunk rows the version needs: of each reference set it has (its count is set) and does not keep inline, the
   * chunk ids it lists (as the snapshot store writes them, SNAPSHOTS.md).
   */
  private static List<String> chunkIds(Row row) {
    List<String> ids = new ArrayList<>();
    for (String relation : References.PROPERTIES) {
      if (!row.isNull(relation + "_count") && row.isNull(relation + "_inline") && !row.isNull(relation)) {
        ids.addAll(row.getList(relation, String.class));
      }
    }
    return ids;
  }

  /**
   * Prunes as decided: the horizon (and this pass's figures) first, so the kept history always starts from a recorded
   * point; then the chunks; then the versions, in one range tombstone.
   */
  CompletionStage<Void> prune(TenantId tenant, ObjectType type, String objectId, PruneDecision.Prune prune,
      UUID job) {
    String tenantId = tenant.value();
    String typeName = type.apiName();
    PruneDecision.Version horizon = prune.horizon();
    // A version stored before chains has no hash: nothing after it chains from it (the first chained one starts
    // from the genesis), so the horizon records the genesis.
    String horizonChain = horizon.chainHash().orElse(GENESIS);
    horizonWrites.incrementAndGet();
    CompletionStage<AsyncResultSet> marked = markHorizon.thenCompose(prepared -> execute(prepared.bind(
        UUID.fromString(horizon.versionId()), horizonChain, job, prune.versions(), prune.stateBytes(),
        prune.chunks().size(), tenantId, typeName, objectId)));
    CompletionStage<Void> chunksGone = marked.thenCompose(done -> CompletableFuture.allOf(prune.chunks().stream()
        .map(chunk -> {
          pointDeletes.incrementAndGet();
          return deleteChunk.thenCompose(prepared -> execute(prepared.bind(tenantId, typeName, objectId, chunk)))
              .toCompletableFuture();
        })
        .toArray(CompletableFuture[]::new)));
    return chunksGone.thenCompose(done -> {
      rangeDeletes.incrementAndGet();
      return deleteVersions.thenCompose(prepared -> execute(prepared.bind(tenantId, typeName, objectId,
          UUID.fromString(prune.oldestKept()))));
    }).thenApply(done -> null);
  }

  private CompletionStage<Void> drain(AsyncResultSet page, java.util.function.Consumer<Row> each) {
    page.currentPage().forEach(each);
    return page.hasMorePages()
        ? page.fetchNextPage().thenCompose(next -> drain(next, each))
        : CompletableFuture.completedFuture(null);
  }

  private CompletionStage<AsyncResultSet> execute(Statement<?> statement) {
    return session.get().thenCompose(cql -> cql.executeAsync(statement));
  }
}
