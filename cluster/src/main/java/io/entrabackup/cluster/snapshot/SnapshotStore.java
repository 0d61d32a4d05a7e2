package io.entrabackup.cluster.snapshot;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.snapshot.internal.AsyncLimiter;
import io.entrabackup.cluster.snapshot.internal.ChunkedReferences;
import io.entrabackup.cluster.snapshot.internal.ContentHash;
import io.entrabackup.cluster.snapshot.internal.CounterGroupCommit;
import io.entrabackup.cluster.snapshot.internal.LatestBuckets;
import io.entrabackup.cluster.snapshot.internal.LatestScan;
import io.entrabackup.cluster.snapshot.internal.NameKeys;
import io.entrabackup.cluster.snapshot.internal.NewVersion;
import io.entrabackup.cluster.snapshot.internal.ObjectCursor;
import io.entrabackup.cluster.snapshot.internal.ObjectCursor.Position;
import io.entrabackup.cluster.snapshot.internal.ReferenceChunks.Chunk;
import io.entrabackup.cluster.snapshot.internal.SnapshotStatements;
import io.entrabackup.cluster.snapshot.internal.VersionRows;
import io.entrabackup.cluster.snapshot.internal.VersionStatements;
import io.entrabackup.cluster.store.PlainFuture;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.VersionDiff;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Object versions in Cassandra (tables in {@code cql/snapshots.cql}, reasoning in
 * {@code cluster/SNAPSHOTS.md}). Writes never read: the caller passes the previous version it got
 * from {@link #latest}. Every read is one partition read.
 */
public final class SnapshotStore {

  private static final Logger log = LoggerFactory.getLogger(SnapshotStore.class);
  /** Chunk ids per {@code IN} read of a large membership. */
  private static final int CHUNKS_PER_READ = 50;
  /** Rows per page when streaming a whole list. */
  private static final int STREAM_PAGE_SIZE = 1000;
  /** Chunk writes one version keeps in flight (each holds up to ~70 KB of JSON until written). */
  private static final int CHUNK_WRITE_WINDOW = 8;
  /**
   * Above this estimated size of a version row and its latest row (each a copy of the state), the two are written
   * outside the batch (Cassandra fails batches over 50 KB; the rest of the batch is small).
   */
  private static final int MAX_BATCHED_VERSION_BYTES = 40 * 1024;
  /** A chunk id in the row's list: 32 hex digits plus the list's framing. */
  private static final int CHUNK_ID_BYTES = 36;
  /** Versions per page of an as-of read: the newest is usually the one, so read few state columns in vain. */
  private static final int AS_OF_PAGE_SIZE = 2;
  /** How often count changes go to Cassandra at most (counts shown while a run goes lag by this much). */
  private static final Duration COUNT_INTERVAL = Duration.ofSeconds(1);
  /**
   * Latest rows per page of a download's scan: a bucket of a 100,000-user tenant (~1,600 users, ~1 KB each packed) in
   * one round trip instead of two, so the scan waits on fewer sequential reads.
   */
  private static final int LATEST_PAGE_SIZE = 2000;
  /** Buckets of a type's latest rows whose first page is read ahead (each page up to ~2 MB of users). */
  private static final int LATEST_BUCKETS_AHEAD = 4;
  /**
   * Latest rows whose members/owners are read at once; rows without any pass straight through. Each such read is one
   * small partition read, latency-bound, and a tenant has thousands of groups: keep many in flight.
   */
  private static final int LATEST_CHUNK_READS = 64;
  /** Made once: a column read by a String name parses the name on every call (a row per object in a download). */
  private static final CqlIdentifier OBJECT_ID = CqlIdentifier.fromInternal("object_id");

  private final CassandraSession session;
  private final SnapshotStatements statements;
  private final VersionStatements versionStatements;
  private final AsyncLimiter limiter;
  private final CounterGroupCommit<CountKey> counts;
  /** The driver session once connected (until then, every statement asks the Pekko session for it). */
  private volatile CqlSession cqlSession;
  private final AtomicLong rowsWritten = new AtomicLong();
  private final AtomicLong chunksWritten = new AtomicLong();
  private final AtomicLong chunksReused = new AtomicLong();

  private record CountKey(TenantId tenant, ObjectType type) {}

  /**
   * @param writeParallelism CQL statements this store keeps in flight at once (the bound on its
   *     concurrency across all callers; entra-backup.backup.write-parallelism)
   */
  public SnapshotStore(CassandraSession session, String keyspace, int writeParallelism) {
    this.session = session;
    this.statements = new SnapshotStatements(session, keyspace);
    this.versionStatements = new VersionStatements(statements);
    this.limiter = new AsyncLimiter(writeParallelism);
    this.counts = new CounterGroupCommit<>((key, delta) ->
        execute(statements.addToCount, delta, key.tenant().value(), key.type().apiName()), COUNT_INTERVAL);
  }

  // ---------------------------------------------------------------------------------------- reads

  /** The latest version of an object (a tombstone too), with its members and owners. */
  public CompletionStage<Optional<ObjectSnapshot>> latest(TenantId tenant, ObjectType type, String objectId) {
    return execute(statements.selectLatest, tenant.value(), type.apiName(), objectId)
        .thenCompose(rows -> snapshotOf(tenant, type, objectId, rows.one()));
  }

  /** One version of an object exactly as stored. */
  public CompletionStage<Optional<ObjectSnapshot>> version(
      TenantId tenant, ObjectType type, String objectId, String versionId) {
    return storedVersion(tenant, type, objectId, versionId).thenApply(found -> found.map(StoredVersion::snapshot));
  }

  /** As {@link #version}, unparsed (what a download streams into its files). */
  public CompletionStage<Optional<StoredVersion>> storedVersion(
      TenantId tenant, ObjectType type, String objectId, String versionId) {
    Optional<UUID> id = parseVersionId(versionId);
    if (id.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return execute(statements.selectVersion, tenant.value(), type.apiName(), objectId, id.get())
        .thenCompose(rows -> storedOf(tenant, type, objectId, rows.one()));
  }

  /**
   * The newest version captured at or before {@code asOf} (a tombstone too), unparsed; empty when the object had
   * no version yet. One partition read, newest first, usually ending on its first row.
   */
  public CompletionStage<Optional<StoredVersion>> asOf(TenantId tenant, ObjectType type, String objectId,
      Instant asOf) {
    // Not through the write limiter: exports bound their own reads (download read-parallelism), and
    // queueing them behind backup writes capped an export at limit / read latency objects per second.
    return statements.selectVersionsWithState.get()
        .thenCompose(prepared -> executeStatement(
            prepared.bind(tenant.value(), type.apiName(), objectId).setPageSize(AS_OF_PAGE_SIZE)))
        .thenCompose(rows -> firstAtOrBefore(rows, asOf))
        .thenCompose(row -> storedOf(tenant, type, objectId, row));
  }

  private CompletionStage<Row> firstAtOrBefore(AsyncResultSet rows, Instant asOf) {
    for (Row row : rows.currentPage()) {
      if (!row.getInstant("captured_at").isAfter(asOf)) {
        return CompletableFuture.completedFuture(row);
      }
    }
    return rows.hasMorePages()
        ? rows.fetchNextPage().thenCompose(next -> firstAtOrBefore(next, asOf))
        : CompletableFuture.completedFuture(null);
  }

  /** The versions of an object, newest first. */
  public CompletionStage<List<VersionInfo>> versions(TenantId tenant, ObjectType type, String objectId) {
    return all(statements.selectVersions, row -> new VersionInfo(
            row.getUuid("version_id").toString(), row.getInstant("captured_at"), row.getString("run_id"),
            Optional.ofNullable(row.getString("removed"))),
        tenant.value(), type.apiName(), objectId);
  }

  /** The versions a run wrote, by type then object id. */
  public CompletionStage<List<RunChange>> changesOfRun(TenantId tenant, String runId) {
    return all(statements.selectRunChanges, SnapshotStore::runChange, tenant.value(), runId);
  }

  /** The versions a run wrote for one type with one outcome (one slice of the run's partition). */
  public CompletionStage<List<RunChange>> changesOfRun(TenantId tenant, String runId, ObjectType type,
      WriteOutcome outcome) {
    return all(statements.selectRunChangesOf, SnapshotStore::runChange, tenant.value(), runId, type.apiName(),
        outcome.name());
  }

  private static RunChange runChange(Row row) {
    return new RunChange(ObjectType.fromApiName(row.getString("object_type")).orElseThrow(),
        row.getString("object_id"), row.getUuid("version_id").toString(),
        WriteOutcome.valueOf(row.getString("outcome")));
  }

  /** Objects per type that are not deleted (every type present, 0 when none). */
  public CompletionStage<Map<ObjectType, Long>> counts(TenantId tenant) {
    return all(statements.selectCounts, row -> row, tenant.value()).thenApply(rows -> {
      Map<ObjectType, Long> result = new EnumMap<>(ObjectType.class);
      for (ObjectType type : ObjectType.values()) {
        result.put(type, 0L);
      }
      rows.forEach(row -> ObjectType.fromApiName(row.getString("object_type"))
          .ifPresent(type -> result.put(type, row.getLong("live"))));
      return result;
    });
  }

  /** Differences between two versions of an object; empty when either does not exist. */
  public CompletionStage<Optional<VersionDiff>> diff(
      TenantId tenant, ObjectType type, String objectId, String fromVersion, String toVersion) {
    CompletionStage<Optional<ObjectSnapshot>> from = version(tenant, type, objectId, fromVersion);
    CompletionStage<Optional<ObjectSnapshot>> to = version(tenant, type, objectId, toVersion);
    return from.thenCombine(to, (a, b) ->
        a.isPresent() && b.isPresent() ? Optional.of(SnapshotDiff.between(a.get(), b.get())) : Optional.empty());
  }

  /**
   * One page of the objects of a type, ordered by lower-cased display name, optionally only those
   * whose display name (or, for users, UPN) starts with {@code searchPrefix}, case-insensitively.
   */
  public CompletionStage<ObjectPage> objects(
      TenantId tenant, ObjectType type, Optional<String> searchPrefix, Optional<String> cursor, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    Map<String, Position> positions = ObjectCursor.decode(cursor);
    Optional<String> prefix = searchPrefix.map(String::strip).filter(p -> !p.isEmpty()).map(NameKeys::sortKey);
    List<String> kinds = prefix.isPresent() && type == ObjectType.USERS ? List.of(NameKeys.BY_NAME, NameKeys.BY_UPN) : List.of(NameKeys.BY_NAME);
    List<CompletableFuture<List<Row>>> reads = new ArrayList<>();
    for (String kind : kinds) {
      reads.add(listRows(tenant, type, kind, prefix, Optional.ofNullable(positions.get(kind)), limit + 1)
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
      Map<String, List<Row>> rowsByKind = new HashMap<>();
      for (int i = 0; i < kinds.size(); i++) {
        rowsByKind.put(kinds.get(i), reads.get(i).join());
      }
      return ObjectListing.page(rowsByKind, prefix, positions, limit);
    });
  }

  /** Whether any object of the type (deleted ones too) was ever stored for the tenant. */
  public CompletionStage<Boolean> hasObjects(TenantId tenant, ObjectType type) {
    return execute(statements.selectObjects, tenant.value(), type.apiName(), NameKeys.BY_NAME, 1)
        .thenApply(rows -> rows.one() != null);
  }

  /** Every object of the type, ordered by display name, with its latest version; streamed page by page. */
  public Source<ObjectSummary, NotUsed> allObjects(TenantId tenant, ObjectType type) {
    CompletionStage<Source<ObjectSummary, NotUsed>> source = statements.selectObjects.get().thenApply(prepared -> {
      Statement<?> statement = prepared.bind(tenant.value(), type.apiName(), NameKeys.BY_NAME, Integer.MAX_VALUE)
          .setPageSize(STREAM_PAGE_SIZE);
      return session.select(statement).map(ObjectListing::summary);
    });
    return Source.completionStageSource(source).mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  /**
   * The latest version of every object of the type ever stored (tombstones too), unparsed, each exactly once:
   * {@value LatestBuckets#COUNT} partition reads of {@code snapshot_latest}, in bucket then object id order,
   * members and owners read only for the versions that have them.
   */
  public Source<StoredVersion, NotUsed> latestOfType(TenantId tenant, ObjectType type) {
    // Not through the write limiter, as asOf: the caller bounds what it does with the rows.
    return LatestScan.of(bucket -> statements.selectLatestBucket.get().thenCompose(prepared -> executeStatement(
                prepared.bind(tenant.value(), type.apiName(), bucket).setPageSize(LATEST_PAGE_SIZE))),
            LATEST_BUCKETS_AHEAD)
        .mapAsync(LATEST_CHUNK_READS, row -> storedOf(tenant, type, row.get(OBJECT_ID, TypeCodecs.TEXT), row)
            .thenApply(Optional::orElseThrow));
  }

  // --------------------------------------------------------------------------------------- writes

  /** Writes a new version when the content hash differs from previous (or there is none); UNCHANGED writes nothing. */
  public CompletionStage<WriteOutcome> write(TenantId tenant, ObjectType type, String runId, ObjectNode fullState,
      Optional<ObjectSnapshot> previous, Instant capturedAt) {
    return write(tenant, type, runId, StoredState.of(fullState), previous, capturedAt);
  }

  /**
   * As {@link #write(TenantId, ObjectType, String, ObjectNode, Optional, Instant)}, for a state already split (a large
   * group's merged membership, never materialized as one JSON node per member).
   */
  public CompletionStage<WriteOutcome> write(TenantId tenant, ObjectType type, String runId, StoredState state,
      Optional<ObjectSnapshot> previous, Instant capturedAt) {
    String objectId = state.id();
    if (objectId.isEmpty()) {
      throw new IllegalArgumentException("a " + type.apiName() + " state without an id cannot be stored");
    }
    boolean wasTombstone = previous.map(ObjectSnapshot::isTombstone).orElse(false);
    WriteOutcome outcome = previous.isEmpty() ? WriteOutcome.NEW : WriteOutcome.CHANGED;
    NewVersion version = new NewVersion(type, objectId, runId, capturedAt, Optional.empty(),
        displayName(state.properties()), state.properties().get("userPrincipalName"));
    long liveDelta = previous.isEmpty() || wasTombstone ? 1 : 0;
    return store(tenant, version, state, previous, Optional.empty(),
        hash -> previous.isPresent() && !wasTombstone && previous.get().contentHash().equals(hash), outcome, liveDelta);
  }

  /** A tombstone version (keeps the last state, records the reason); ALREADY_REMOVED when previous is already a tombstone with the same reason or there is no previous. */
  public CompletionStage<WriteOutcome> tombstone(TenantId tenant, ObjectType type, String runId, String objectId,
      String reason, Optional<ObjectSnapshot> previous, Instant capturedAt) {
    if (previous.isEmpty() || previous.get().removedReason().equals(Optional.of(reason))) {
      return CompletableFuture.completedFuture(WriteOutcome.ALREADY_REMOVED);
    }
    ObjectSnapshot last = previous.get();
    NewVersion version = new NewVersion(type, objectId, runId, capturedAt, Optional.of(reason), last.displayName(),
        last.state().get("userPrincipalName"));
    return store(tenant, version, StoredState.of(last.state()), previous, Optional.of(last.contentHash()),
        hash -> false, WriteOutcome.REMOVED, last.isTombstone() ? 0 : -1);
  }

  /**
   * Completes when every count change of the writes completed so far is in Cassandra. A backup run
   * calls it before it records a type as done, so the counts a finished run leaves are exact.
   */
  public CompletionStage<Void> flushCounts() {
    return counts.flush();
  }

  /**
   * Recomputes a type's count from the object list and corrects the counter (for a run resumed after
   * a crash, whose unflushed count changes were lost). Call it only while no backup of the tenant runs.
   */
  public CompletionStage<Long> recount(TenantId tenant, ObjectType type, Materializer materializer) {
    return allObjects(tenant, type)
        .runFold(0L, (live, object) -> object.deleted() ? live : live + 1, materializer)
        .thenCompose(live -> counts(tenant).thenCompose(current -> {
          long correction = live - current.get(type);
          return correction == 0
              ? CompletableFuture.completedFuture(live)
              : execute(statements.addToCount, correction, tenant.value(), type.apiName()).thenApply(ignored -> live);
        }));
  }

  /** Rows this store has written (versions, index entries, run changes, chunks), for benchmarks and tests. */
  public long rowsWritten() {
    return rowsWritten.get();
  }

  /** Membership chunks written, and chunks a new version took over from the previous one unwritten. */
  public long chunksWritten() {
    return chunksWritten.get();
  }

  public long chunksReused() {
    return chunksReused.get();
  }

  /**
   * Writes the state's new chunks, then (unless {@code unchanged} holds for its hash) the version batch. Chunks
   * first: a version row never points at a chunk that is not there. A chunk written for a state that then proves
   * unchanged cannot happen: equal hashes mean equal chunk ids, all of which the previous version holds.
   */
  private CompletionStage<WriteOutcome> store(TenantId tenant, NewVersion version, StoredState state,
      Optional<ObjectSnapshot> previous, Optional<String> knownHash, Predicate<String> unchanged,
      WriteOutcome outcome, long liveDelta) {
    // Serialized once: the canonical form is both what is hashed and what the version row keeps.
    byte[] properties = CanonicalJson.canonicalBytes(state.properties());
    ChunkedReferences chunks = new ChunkedReferences(state.references(), storedChunkIds(previous));
    return writeChunks(tenant, version, chunks).thenCompose(ignored -> {
      chunksReused.addAndGet(chunks.reused());
      String hash = knownHash.orElseGet(() -> ContentHash.of(properties, chunks.chunkIds()));
      if (unchanged.test(hash)) {
        return CompletableFuture.completedFuture(WriteOutcome.UNCHANGED);
      }
      return statementsPrepared()
          .thenCompose(prepared -> writeVersion(tenant, version, hash, properties, chunks, previous, outcome))
          .thenApply(done -> {
        countLater(tenant, version.type(), liveDelta);
        return outcome;
      });
    });
  }

  /** Completes once the statements of a version batch are prepared (so that {@link #prepared} never waits). */
  private CompletableFuture<Void> statementsPrepared() {
    return CompletableFuture.allOf(
        statements.insertVersion.get().toCompletableFuture(),
        statements.upsertLatest.get().toCompletableFuture(),
        statements.upsertObject.get().toCompletableFuture(),
        statements.deleteObject.get().toCompletableFuture(),
        statements.insertRunChange.get().toCompletableFuture());
  }

  /** The chunk rows the previous version holds (none when it has no members or owners, or only small sets). */
  private static Set<String> storedChunkIds(Optional<ObjectSnapshot> previous) {
    if (previous.isEmpty() || References.PROPERTIES.stream().noneMatch(previous.get().state()::has)) {
      return Set.of();
    }
    return ChunkedReferences.storedIdsOf(StoredState.of(previous.get().state()).references());
  }

  /** Writes the chunks not stored yet, a window at a time, so one chunk's JSON at a time is made per slot. */
  private CompletionStage<Void> writeChunks(TenantId tenant, NewVersion version, ChunkedReferences chunks) {
    List<CompletableFuture<?>> window = new ArrayList<>(CHUNK_WRITE_WINDOW);
    Chunk chunk;
    while (window.size() < CHUNK_WRITE_WINDOW && (chunk = chunks.nextToWrite()) != null) {
      window.add(insertChunk(tenant, version, chunk).toCompletableFuture());
    }
    if (window.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    chunksWritten.addAndGet(window.size());
    rowsWritten.addAndGet(window.size());
    return CompletableFuture.allOf(window.toArray(CompletableFuture[]::new))
        .thenCompose(ignored -> writeChunks(tenant, version, chunks));
  }

  private CompletionStage<AsyncResultSet> insertChunk(TenantId tenant, NewVersion version, Chunk chunk) {
    return statements.insertChunk.get().thenCompose(prepared -> limiter.run(() -> executeStatement(
        prepared.boundStatementBuilder().set(0, tenant.value(), TypeCodecs.TEXT)
            .set(1, version.type().apiName(), TypeCodecs.TEXT).set(2, version.objectId(), TypeCodecs.TEXT)
            .set(3, chunk.id(), TypeCodecs.TEXT).setBytesUnsafe(4, ByteBuffer.wrap(chunk.json())).build())));
  }

  private void countLater(TenantId tenant, ObjectType type, long liveDelta) {
    if (liveDelta == 0) {
      return;
    }
    // Not awaited: a write does not wait for the counter round (it halved the write rate);
    // flushCounts() is the barrier a run passes before it records a type as done.
    counts.add(new CountKey(tenant, type), liveDelta).whenComplete((done, error) -> {
      if (error != null) {
        log.warn("Object count of tenant {} type {} missed a change of {}: {}", tenant, type.apiName(), liveDelta,
            error.toString());
      }
    });
  }

  /**
   * Writes the version row, its latest row, its list entries and run change. A version row too large for a batch
   * (Cassandra fails batches over {@code batch_size_fail_threshold}, 50 KB by default; a 1,000,000-member group lists
   * ~2,500 chunk ids) is written alone first, then its latest row, then the small rows as a batch: the batch is
   * unlogged anyway, and the version row, what restores and downloads read, is one row either way.
   */
  private CompletionStage<AsyncResultSet> writeVersion(TenantId tenant, NewVersion version, String hash,
      byte[] canonical, ChunkedReferences chunks, Optional<ObjectSnapshot> previous, WriteOutcome outcome) {
    UUID versionId = Uuids.timeBased();
    // Packed only here, once the version is known to be new: an unchanged object costs no deflating.
    PackedState properties = PackedState.pack(canonical);
    BoundStatement row = versionStatements.versionRow(tenant.value(), version, versionId, hash, properties, chunks);
    BoundStatement latest = versionStatements.latestRow(row, version.objectId(), previous.isEmpty());
    if (2 * estimatedSize(properties, chunks) <= MAX_BATCHED_VERSION_BYTES) {
      return limiter.run(() -> executeStatement(
          counted(versionStatements.batch(tenant.value(), version, versionId, List.of(row, latest), previous, outcome))));
    }
    rowsWritten.addAndGet(2);
    return limiter.run(() -> executeStatement(row))
        .thenCompose(written -> limiter.run(() -> executeStatement(latest)))
        .thenCompose(written -> limiter.run(() -> executeStatement(
            counted(versionStatements.batch(tenant.value(), version, versionId, List.of(), previous, outcome)))));
  }

  private BatchStatement counted(BatchStatement batch) {
    rowsWritten.addAndGet(batch.size());
    return batch;
  }

  private static int estimatedSize(PackedState properties, ChunkedReferences chunks) {
    int ids = chunks.chunkIds().values().stream().mapToInt(List::size).sum();
    int inline = chunks.inline().values().stream().flatMap(List::stream).mapToInt(String::length).sum();
    return properties.deflated().length + ids * CHUNK_ID_BYTES + inline;
  }

  // ------------------------------------------------------------------------------------- helpers

  private CompletionStage<Optional<ObjectSnapshot>> snapshotOf(
      TenantId tenant, ObjectType type, String objectId, Row row) {
    return storedOf(tenant, type, objectId, row).thenApply(found -> found.map(StoredVersion::snapshot));
  }

  /** The row's version with its members' and owners' chunks (read only when it has any); empty for no row. */
  private CompletionStage<Optional<StoredVersion>> storedOf(
      TenantId tenant, ObjectType type, String objectId, Row row) {
    if (row == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    List<String> chunkIds = VersionRows.chunkIds(row);
    if (chunkIds.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.of(VersionRows.stored(type, objectId, row, Map.of())));
    }
    return readChunks(tenant, type, objectId, chunkIds)
        .thenApply(refsById -> Optional.of(VersionRows.stored(type, objectId, row, refsById)));
  }

  private CompletionStage<Map<String, String>> readChunks(
      TenantId tenant, ObjectType type, String objectId, List<String> chunkIds) {
    List<String> distinct = List.copyOf(new java.util.LinkedHashSet<>(chunkIds));
    List<CompletableFuture<List<Row>>> reads = new ArrayList<>();
    for (int from = 0; from < distinct.size(); from += CHUNKS_PER_READ) {
      List<String> slice = distinct.subList(from, Math.min(distinct.size(), from + CHUNKS_PER_READ));
      reads.add(all(statements.selectChunks, row -> row, tenant.value(), type.apiName(), objectId, slice)
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
      Map<String, String> refsById = new HashMap<>();
      // Columns by position (chunk_id, refs: the select's order) and codec: a download reads one such row per group.
      reads.forEach(read -> read.join().forEach(row -> refsById.put(row.get(0, TypeCodecs.TEXT),
          row.get(1, TypeCodecs.TEXT))));
      return refsById;
    });
  }

  private CompletionStage<List<Row>> listRows(TenantId tenant, ObjectType type, String kind,
      Optional<String> prefix, Optional<Position> after, int limit) {
    if (after.isPresent()) {
      return all(statements.selectObjectsAfter, row -> row, tenant.value(), type.apiName(), kind,
          after.get().sortKey(), after.get().objectId(), limit);
    }
    if (prefix.isPresent()) {
      return all(statements.selectObjectsFrom, row -> row, tenant.value(), type.apiName(), kind, prefix.get(), limit);
    }
    return all(statements.selectObjects, row -> row, tenant.value(), type.apiName(), kind, limit);
  }

  private static String displayName(ObjectNode state) {
    for (String property : List.of("displayName", "userPrincipalName")) {
      JsonNode value = state.get(property);
      if (value != null && value.isTextual() && !value.asText().isBlank()) {
        return value.asText();
      }
    }
    return state.path("id").asText();
  }

  private static Optional<UUID> parseVersionId(String versionId) {
    try {
      UUID id = UUID.fromString(versionId);
      return id.version() == 1 ? Optional.of(id) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private CompletionStage<AsyncResultSet> execute(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared -> limiter.run(() -> executeStatement(prepared.bind(values))));
  }

  private CompletionStage<AsyncResultSet> executeStatement(Statement<?> statement) {
    CqlSession cql = cqlSession;
    if (cql != null) {
      return cql.executeAsync(statement);
    }
    return PlainFuture.of(session.underlying()).thenCompose(connected -> {
      cqlSession = connected;
      return connected.executeAsync(statement);
    });
  }

  /** Every row of a (paged) query, mapped. */
  private <T> CompletionStage<List<T>> all(PreparedStatementCache statement, Function<Row, T> map, Object... values) {
    List<T> result = new ArrayList<>();
    return execute(statement, values).thenCompose(rows -> collect(rows, map, result));
  }

  private <T> CompletionStage<List<T>> collect(AsyncResultSet rows, Function<Row, T> map, List<T> into) {
    rows.currentPage().forEach(row -> into.add(map.apply(row)));
    if (rows.hasMorePages()) {
      return rows.fetchNextPage().thenCompose(next -> collect(next, map, into));
    }
    return CompletableFuture.completedFuture(into);
  }
}
