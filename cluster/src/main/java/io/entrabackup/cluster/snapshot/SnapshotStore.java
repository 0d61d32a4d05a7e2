package io.entrabackup.cluster.snapshot;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.snapshot.internal.AsyncLimiter;
import io.entrabackup.cluster.snapshot.internal.CounterGroupCommit;
import io.entrabackup.cluster.snapshot.internal.ObjectCursor;
import io.entrabackup.cluster.snapshot.internal.ObjectCursor.Position;
import io.entrabackup.cluster.snapshot.internal.ReferenceChunks;
import io.entrabackup.cluster.snapshot.internal.ReferenceChunks.Chunk;
import io.entrabackup.cluster.snapshot.internal.SnapshotStatements;
import io.entrabackup.cluster.store.PlainFuture;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
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
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BY_NAME = "n";
  private static final String BY_UPN = "u";
  /** Chunk ids per {@code IN} read of a large membership. */
  private static final int CHUNKS_PER_READ = 50;
  /** Rows per page when streaming a whole list. */
  private static final int STREAM_PAGE_SIZE = 1000;
  /** Versions per page of an as-of read: the newest is usually the one, so read few state columns in vain. */
  private static final int AS_OF_PAGE_SIZE = 2;

  private final CassandraSession session;
  private final SnapshotStatements statements;
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
    this.limiter = new AsyncLimiter(writeParallelism);
    this.counts = new CounterGroupCommit<>((key, delta) ->
        execute(statements.addToCount, delta, key.tenant().value(), key.type().apiName()));
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
    Optional<UUID> id = parseVersionId(versionId);
    if (id.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return execute(statements.selectVersion, tenant.value(), type.apiName(), objectId, id.get())
        .thenCompose(rows -> snapshotOf(tenant, type, objectId, rows.one()));
  }

  /**
   * The newest version captured at or before {@code asOf} (a tombstone too); empty when the object had
   * no version yet. One partition read, newest first, usually ending on its first row.
   */
  public CompletionStage<Optional<ObjectSnapshot>> asOf(TenantId tenant, ObjectType type, String objectId,
      Instant asOf) {
    // Not through the write limiter: exports bound their own reads (download read-parallelism), and
    // queueing them behind backup writes capped an export at limit / read latency objects per second.
    return statements.selectVersionsWithState.get()
        .thenCompose(prepared -> executeStatement(
            prepared.bind(tenant.value(), type.apiName(), objectId).setPageSize(AS_OF_PAGE_SIZE)))
        .thenCompose(rows -> firstAtOrBefore(rows, asOf))
        .thenCompose(row -> snapshotOf(tenant, type, objectId, row));
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
    return all(statements.selectRunChanges, row -> new RunChange(
            ObjectType.fromApiName(row.getString("object_type")).orElseThrow(),
            row.getString("object_id"), row.getUuid("version_id").toString(),
            WriteOutcome.valueOf(row.getString("outcome"))),
        tenant.value(), runId);
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
  public CompletionStage<Optional<SnapshotDiff>> diff(
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
    Optional<String> prefix = searchPrefix.map(String::strip).filter(p -> !p.isEmpty()).map(SnapshotStore::sortKey);
    List<String> kinds = prefix.isPresent() && type == ObjectType.USERS ? List.of(BY_NAME, BY_UPN) : List.of(BY_NAME);
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
    return execute(statements.selectObjects, tenant.value(), type.apiName(), BY_NAME, 1)
        .thenApply(rows -> rows.one() != null);
  }

  /** Every object of the type, ordered by display name, with its latest version; streamed page by page. */
  public Source<ObjectSummary, NotUsed> allObjects(TenantId tenant, ObjectType type) {
    CompletionStage<Source<ObjectSummary, NotUsed>> source = statements.selectObjects.get().thenApply(prepared -> {
      Statement<?> statement = prepared.bind(tenant.value(), type.apiName(), BY_NAME, Integer.MAX_VALUE)
          .setPageSize(STREAM_PAGE_SIZE);
      return session.select(statement).map(ObjectListing::summary);
    });
    return Source.completionStageSource(source).mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  // --------------------------------------------------------------------------------------- writes

  /** Writes a new version when the canonical hash differs from previous (or there is none); UNCHANGED writes nothing. */
  public CompletionStage<WriteOutcome> write(TenantId tenant, ObjectType type, String runId, ObjectNode fullState,
      Optional<ObjectSnapshot> previous, Instant capturedAt) {
    String objectId = fullState.path("id").asText("");
    if (objectId.isEmpty()) {
      throw new IllegalArgumentException("a " + type.apiName() + " state without an id cannot be stored");
    }
    String hash = CanonicalJson.hash(fullState);
    boolean wasTombstone = previous.map(ObjectSnapshot::isTombstone).orElse(false);
    if (previous.isPresent() && !wasTombstone && previous.get().contentHash().equals(hash)) {
      return CompletableFuture.completedFuture(WriteOutcome.UNCHANGED);
    }
    WriteOutcome outcome = previous.isEmpty() ? WriteOutcome.NEW : WriteOutcome.CHANGED;
    ObjectSnapshot snapshot = new ObjectSnapshot(type, objectId, Uuids.timeBased().toString(), runId, capturedAt,
        hash, Optional.empty(), displayName(type, fullState), fullState);
    long liveDelta = previous.isEmpty() || wasTombstone ? 1 : 0;
    return store(tenant, snapshot, previous, outcome, liveDelta);
  }

  /** A tombstone version (keeps the last state, records the reason); ALREADY_REMOVED when previous is already a tombstone with the same reason or there is no previous. */
  public CompletionStage<WriteOutcome> tombstone(TenantId tenant, ObjectType type, String runId, String objectId,
      String reason, Optional<ObjectSnapshot> previous, Instant capturedAt) {
    if (previous.isEmpty() || previous.get().removedReason().equals(Optional.of(reason))) {
      return CompletableFuture.completedFuture(WriteOutcome.ALREADY_REMOVED);
    }
    ObjectSnapshot last = previous.get();
    ObjectSnapshot snapshot = new ObjectSnapshot(type, objectId, Uuids.timeBased().toString(), runId, capturedAt,
        last.contentHash(), Optional.of(reason), last.displayName(), last.state());
    return store(tenant, snapshot, previous, WriteOutcome.REMOVED, last.isTombstone() ? 0 : -1);
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

  private CompletionStage<WriteOutcome> store(TenantId tenant, ObjectSnapshot snapshot,
      Optional<ObjectSnapshot> previous, WriteOutcome outcome, long liveDelta) {
    Map<String, List<Chunk>> chunks = chunksOf(snapshot.state());
    Set<String> existing = previous.map(p -> chunkIds(chunksOf(p.state()))).orElse(Set.of());
    List<Chunk> toWrite = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    chunks.values().forEach(list -> list.forEach(chunk -> {
      if (existing.contains(chunk.id())) {
        chunksReused.incrementAndGet();
      } else if (seen.add(chunk.id())) {
        toWrite.add(chunk);
      }
    }));
    String t = tenant.value();
    String type = snapshot.type().apiName();
    String objectId = snapshot.objectId();
    List<CompletableFuture<?>> chunkWrites = new ArrayList<>();
    for (Chunk chunk : toWrite) {
      chunkWrites.add(execute(statements.insertChunk, t, type, objectId, chunk.id(), chunk.json()).toCompletableFuture());
    }
    chunksWritten.addAndGet(toWrite.size());
    rowsWritten.addAndGet(toWrite.size());
    // Chunks first: a version row never points at a chunk that is not there.
    return CompletableFuture.allOf(chunkWrites.toArray(CompletableFuture[]::new))
        .thenCompose(ignored -> versionBatch(tenant, snapshot, previous, outcome, chunks))
        .thenCompose(batch -> limiter.run(() -> executeStatement(batch)))
        .thenApply(ignored -> {
          if (liveDelta != 0) {
            // Not awaited: a write does not wait for the counter round (it halved the write rate);
            // flushCounts() is the barrier a run passes before it records a type as done.
            counts.add(new CountKey(tenant, snapshot.type()), liveDelta).whenComplete((done, error) -> {
              if (error != null) {
                log.warn("Object count of tenant {} type {} missed a change of {}: {}", tenant,
                    snapshot.type().apiName(), liveDelta, error.toString());
              }
            });
          }
          return outcome;
        });
  }

  /** The version row, its list entries and its run change: one unlogged batch, one round trip. */
  private CompletionStage<BatchStatement> versionBatch(TenantId tenant, ObjectSnapshot snapshot,
      Optional<ObjectSnapshot> previous, WriteOutcome outcome, Map<String, List<Chunk>> chunks) {
    String t = tenant.value();
    String type = snapshot.type().apiName();
    String objectId = snapshot.objectId();
    UUID versionId = UUID.fromString(snapshot.versionId());
    String removed = snapshot.removedReason().orElse(null);
    return CompletableFuture.allOf(
            statements.insertVersion.get().toCompletableFuture(),
            statements.upsertObject.get().toCompletableFuture(),
            statements.deleteObject.get().toCompletableFuture(),
            statements.insertRunChange.get().toCompletableFuture())
        .thenApply(ignored -> {
          BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
          List<Chunk> members = chunks.get("members");
          List<Chunk> owners = chunks.get("owners");
          // A version is always a new row: its empty columns are left unset, not written as null (a null is a
          // tombstone cell that Cassandra writes, compacts and skips on every read).
          batch.addStatement(unsetNulls(prepared(statements.insertVersion), t, type, objectId, versionId,
              snapshot.runId(), snapshot.capturedAt(), snapshot.contentHash(), removed, snapshot.displayName(),
              ownState(snapshot.state()), chunkIdList(members), count(members), chunkIdList(owners), count(owners)));
          Map<String, String> keys = nameKeys(snapshot);
          Map<String, String> oldKeys = previous.map(SnapshotStore::nameKeys).orElse(Map.of());
          oldKeys.forEach((kind, oldKey) -> {
            if (!oldKey.equals(keys.get(kind))) {
              batch.addStatement(prepared(statements.deleteObject).bind(t, type, kind, oldKey, objectId));
            }
          });
          // An object's first version makes new list rows; later ones may overwrite a row whose 'removed' must clear.
          keys.forEach((kind, key) -> batch.addStatement(previous.isEmpty()
              ? unsetNulls(prepared(statements.upsertObject), t, type, kind, key, objectId, snapshot.displayName(),
                  versionId, snapshot.capturedAt(), removed)
              : prepared(statements.upsertObject).bind(t, type, kind, key, objectId, snapshot.displayName(), versionId,
                  snapshot.capturedAt(), removed)));
          batch.addStatement(prepared(statements.insertRunChange).bind(t, snapshot.runId(), type, objectId, versionId,
              outcome.name()));
          BatchStatement statement = batch.build();
          rowsWritten.addAndGet(statement.size());
          return statement;
        });
  }

  // ------------------------------------------------------------------------------------- helpers

  private CompletionStage<Optional<ObjectSnapshot>> snapshotOf(
      TenantId tenant, ObjectType type, String objectId, Row row) {
    if (row == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    ObjectNode state = parseObject(row.getString("state"));
    List<String> memberChunks = row.isNull("members_count") ? null : row.getList("members", String.class);
    List<String> ownerChunks = row.isNull("owners_count") ? null : row.getList("owners", String.class);
    List<String> wanted = new ArrayList<>();
    if (memberChunks != null) {
      wanted.addAll(memberChunks);
    }
    if (ownerChunks != null) {
      wanted.addAll(ownerChunks);
    }
    return readChunks(tenant, type, objectId, wanted).thenApply(refsById -> {
      if (memberChunks != null) {
        state.set("members", references(memberChunks, refsById));
      }
      if (ownerChunks != null) {
        state.set("owners", references(ownerChunks, refsById));
      }
      return Optional.of(new ObjectSnapshot(type, objectId, row.getUuid("version_id").toString(),
          row.getString("run_id"), row.getInstant("captured_at"), row.getString("content_hash"),
          Optional.ofNullable(row.getString("removed")), row.getString("display_name"), state));
    });
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
      reads.forEach(read -> read.join().forEach(row -> refsById.put(row.getString("chunk_id"), row.getString("refs"))));
      return refsById;
    });
  }

  private static ArrayNode references(List<String> chunkIds, Map<String, String> refsById) {
    ArrayNode all = JSON.createArrayNode();
    for (String chunkId : chunkIds) {
      String refs = refsById.get(chunkId);
      if (refs == null) {
        throw new IllegalStateException("membership chunk " + chunkId + " is missing: the snapshot store is damaged");
      }
      parse(refs).forEach(all::add);
    }
    return all;
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

  /** Lower-cased names an object is listed and found under: 'n' always, 'u' for users with a UPN. */
  private static Map<String, String> nameKeys(ObjectSnapshot snapshot) {
    Map<String, String> keys = new HashMap<>();
    keys.put(BY_NAME, sortKey(snapshot.displayName()));
    JsonNode upn = snapshot.state().get("userPrincipalName");
    if (snapshot.type() == ObjectType.USERS && upn != null && upn.isTextual() && !upn.asText().isBlank()) {
      keys.put(BY_UPN, sortKey(upn.asText()));
    }
    return keys;
  }

  static String sortKey(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  private static String displayName(ObjectType type, ObjectNode state) {
    for (String property : List.of("displayName", "userPrincipalName")) {
      JsonNode value = state.get(property);
      if (value != null && value.isTextual() && !value.asText().isBlank()) {
        return value.asText();
      }
    }
    return state.path("id").asText();
  }

  private static Map<String, List<Chunk>> chunksOf(ObjectNode state) {
    Map<String, List<Chunk>> chunks = new HashMap<>();
    for (String relation : References.PROPERTIES) {
      JsonNode references = state.get(relation);
      if (references != null && references.isArray()) {
        List<JsonNode> sorted = new ArrayList<>(references.size());
        references.forEach(sorted::add);
        sorted.sort(References.ORDER);
        ArrayNode array = JSON.createArrayNode();
        sorted.forEach(array::add);
        chunks.put(relation, ReferenceChunks.split(array));
      }
    }
    return chunks;
  }

  private static Set<String> chunkIds(Map<String, List<Chunk>> chunks) {
    Set<String> ids = new HashSet<>();
    chunks.values().forEach(list -> list.forEach(chunk -> ids.add(chunk.id())));
    return ids;
  }

  private static List<String> chunkIdList(List<Chunk> chunks) {
    return chunks == null ? null : chunks.stream().map(Chunk::id).toList();
  }

  private static Integer count(List<Chunk> chunks) {
    return chunks == null ? null : chunks.stream().mapToInt(Chunk::size).sum();
  }

  private static String ownState(ObjectNode state) {
    if (References.PROPERTIES.stream().noneMatch(state::has)) {
      return state.toString();
    }
    ObjectNode own = JSON.createObjectNode();
    state.fields().forEachRemaining(field -> {
      if (!References.isReferenceProperty(field.getKey())) {
        own.set(field.getKey(), field.getValue());
      }
    });
    return own.toString();
  }

  private static Optional<UUID> parseVersionId(String versionId) {
    try {
      UUID id = UUID.fromString(versionId);
      return id.version() == 1 ? Optional.of(id) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static ObjectNode parseObject(String json) {
    return (ObjectNode) parse(json);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored snapshot is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The statement bound to {@code values}, with the null ones left unset. */
  private static BoundStatement unsetNulls(PreparedStatement statement, Object... values) {
    BoundStatement bound = statement.bind(values);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        bound = bound.unset(i);
      }
    }
    return bound;
  }

  private static PreparedStatement prepared(PreparedStatementCache cache) {
    return cache.get().toCompletableFuture().join();
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
