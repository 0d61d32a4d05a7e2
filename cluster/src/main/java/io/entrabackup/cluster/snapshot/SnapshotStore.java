package io.entrabackup.cluster.snapshot;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.crypto.TenantCipher;
import io.entrabackup.cluster.crypto.TenantKeyring;
import io.entrabackup.cluster.snapshot.internal.CqlRunner;
import io.entrabackup.cluster.snapshot.internal.LatestBuckets;
import io.entrabackup.cluster.snapshot.internal.LatestScan;
import io.entrabackup.cluster.snapshot.internal.LiveCounts;
import io.entrabackup.cluster.snapshot.internal.NameKeys;
import io.entrabackup.cluster.snapshot.internal.NewVersion;
import io.entrabackup.cluster.snapshot.internal.SealedColumns;
import io.entrabackup.cluster.snapshot.internal.SnapshotStatements;
import io.entrabackup.cluster.snapshot.internal.VersionRows;
import io.entrabackup.cluster.snapshot.internal.VersionWriter;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.VersionDiff;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Object versions in Cassandra (tables in {@code cql/snapshots.cql}, reasoning in
 * {@code cluster/SNAPSHOTS.md}). Writes ({@code VersionWriter}) never read: the caller passes the previous version it
 * got from {@link #latest}. Every read is one partition read.
 */
public final class SnapshotStore {

  /** Chunk ids per {@code IN} read of a large membership. */
  private static final int CHUNKS_PER_READ = 50;
  /** Rows per page when streaming a whole list. */
  private static final int STREAM_PAGE_SIZE = 1000;
  /** Versions per page of an as-of read: the newest is usually the one, so read few state columns in vain. */
  private static final int AS_OF_PAGE_SIZE = 2;
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

  /** For streamed listings (its {@code select} is a Source of pages); statements go through the runner. */
  private final CassandraSession session;
  private final SnapshotStatements statements;
  private final CqlRunner runner;
  private final VersionWriter writer;
  private final LiveCounts liveCounts;
  private final ObjectListing listing;
  /** Directory content is sealed with each tenant's data key (cluster/ENCRYPTION.md, internal.SealedColumns). */
  private final TenantKeyring keys;

  /**
   * @param writeParallelism CQL statements this store keeps in flight at once (the bound on its
   *     concurrency across all callers; entra-backup.backup.write-parallelism)
   */
  public SnapshotStore(CassandraSession session, String keyspace, int writeParallelism, TenantKeyring keys) {
    this.session = session;
    this.statements = new SnapshotStatements(session, keyspace);
    this.runner = new CqlRunner(session, writeParallelism);
    this.liveCounts = new LiveCounts(statements, runner);
    this.writer = new VersionWriter(statements, runner, liveCounts);
    this.listing = new ObjectListing(statements, runner);
    this.keys = keys;
  }

  private CompletionStage<TenantCipher> cipher(TenantId tenant) {
    return keys.cipherFor(tenant.value());
  }

  // ---------------------------------------------------------------------------------------- reads

  /** The latest version of an object (a tombstone too), with its members and owners. */
  public CompletionStage<Optional<ObjectSnapshot>> latest(TenantId tenant, ObjectType type, String objectId) {
    return runner.execute(statements.selectLatest, tenant.value(), type.apiName(), objectId)
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
    return runner.execute(statements.selectVersion, tenant.value(), type.apiName(), objectId, id.get())
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
        .thenCompose(prepared -> runner.unlimited(
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
    return runner.all(statements.selectVersions, row -> new VersionInfo(
            row.getUuid("version_id").toString(), row.getInstant("captured_at"), row.getString("run_id"),
            Optional.ofNullable(row.getString("removed"))),
        tenant.value(), type.apiName(), objectId);
  }

  /** The versions a run wrote, by type then object id. */
  public CompletionStage<List<RunChange>> changesOfRun(TenantId tenant, String runId) {
    return runner.all(statements.selectRunChanges, SnapshotStore::runChange, tenant.value(), runId);
  }

  /** The versions a run wrote for one type with one outcome (one slice of the run's partition). */
  public CompletionStage<List<RunChange>> changesOfRun(TenantId tenant, String runId, ObjectType type,
      WriteOutcome outcome) {
    return runner.all(statements.selectRunChangesOf, SnapshotStore::runChange, tenant.value(), runId, type.apiName(),
        outcome.name());
  }

  private static RunChange runChange(Row row) {
    return new RunChange(ObjectType.fromApiName(row.getString("object_type")).orElseThrow(),
        row.getString("object_id"), row.getUuid("version_id").toString(),
        WriteOutcome.valueOf(row.getString("outcome")));
  }

  /**
   * Objects per type that are not deleted (every type present, 0 when none), as counted at each type's last backup
   * milestone ({@link #settleCount}): exact as of then, whatever crashed or was replayed since. A type's count
   * changes when its milestone is recorded, not while its versions are being written.
   */
  public CompletionStage<Map<ObjectType, Long>> counts(TenantId tenant) {
    return liveCounts.all(tenant);
  }

  /**
   * What one run stored for one type, one row per version written (an object written twice in the run, or again by a
   * run resumed after a crash, has more than one): each row's object id and outcome, handed over page by page.
   */
  public CompletionStage<Void> forEachChangeOfRun(TenantId tenant, String runId, ObjectType type,
      BiConsumer<String, WriteOutcome> each) {
    return runner.forEach(statements.selectRunChangesOfType,
        row -> each.accept(row.getString(0), WriteOutcome.valueOf(row.getString(1))), tenant.value(), runId,
        type.apiName());
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
   * One page of the objects of a type, in object id order, optionally only those whose display name (or, for users,
   * UPN) starts with {@code searchPrefix}, case-insensitively ({@link ObjectListing}).
   */
  public CompletionStage<ObjectPage> objects(
      TenantId tenant, ObjectType type, Optional<String> searchPrefix, Optional<String> cursor, int limit) {
    return listing.page(tenant, type, searchPrefix, cursor, limit, cipher(tenant));
  }

  /** Whether any object of the type (deleted ones too) was ever stored for the tenant. */
  public CompletionStage<Boolean> hasObjects(TenantId tenant, ObjectType type) {
    return runner.execute(statements.selectObjects, tenant.value(), type.apiName(), NameKeys.BY_NAME, 1)
        .thenApply(rows -> rows.one() != null);
  }

  /** Every object of the type, in object id order, with its latest version; streamed page by page. */
  public Source<ObjectSummary, NotUsed> allObjects(TenantId tenant, ObjectType type) {
    CompletionStage<Source<ObjectSummary, NotUsed>> source = cipher(tenant).thenCombine(statements.selectObjects.get(),
        (cipher, prepared) -> {
          Statement<?> statement = prepared.bind(tenant.value(), type.apiName(), NameKeys.BY_NAME, Integer.MAX_VALUE)
              .setPageSize(STREAM_PAGE_SIZE);
          return session.select(statement).map(row -> ObjectListing.summary(cipher, type, row));
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
    return LatestScan.of(bucket -> statements.selectLatestBucket.get().thenCompose(prepared -> runner.unlimited(
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
        displayName(state.properties()), state.properties().get("userPrincipalName"), detail(state.properties()));
    long liveDelta = previous.isEmpty() || wasTombstone ? 1 : 0;
    return cipher(tenant).thenCompose(cipher -> writer.store(cipher, tenant, version, state, previous, Optional.empty(),
        hash -> previous.isPresent() && !wasTombstone && previous.get().contentHash().equals(hash), outcome, liveDelta));
  }

  /** A tombstone version (keeps the last state, records the reason); ALREADY_REMOVED when previous is already a tombstone with the same reason or there is no previous. */
  public CompletionStage<WriteOutcome> tombstone(TenantId tenant, ObjectType type, String runId, String objectId,
      String reason, Optional<ObjectSnapshot> previous, Instant capturedAt) {
    if (previous.isEmpty() || previous.get().removedReason().equals(Optional.of(reason))) {
      return CompletableFuture.completedFuture(WriteOutcome.ALREADY_REMOVED);
    }
    ObjectSnapshot last = previous.get();
    NewVersion version = new NewVersion(type, objectId, runId, capturedAt, Optional.of(reason), last.displayName(),
        last.state().get("userPrincipalName"), detail(last.state()));
    return cipher(tenant).thenCompose(cipher -> writer.store(cipher, tenant, version, StoredState.of(last.state()),
        previous, Optional.of(last.contentHash()), hash -> false, WriteOutcome.REMOVED, last.isTombstone() ? 0 : -1));
  }

  /**
   * The type's live count, recounted from the stored objects first if a version that made or unmade one was written
   * since it was last counted (see {@code LiveCounts}). A backup run calls it at each type's milestone, once all of
   * the type's writes have completed, so the count a milestone leaves is exact whatever crashed or was replayed.
   */
  public CompletionStage<Long> settleCount(TenantId tenant, ObjectType type, String runId) {
    return liveCounts.settle(tenant, type, runId);
  }

  /** Rows this store has written (versions, index entries, run changes, chunks), for benchmarks and tests. */
  public long rowsWritten() {
    return writer.rowsWritten();
  }

  /** Membership chunks written, and chunks a new version took over from the previous one unwritten. */
  public long chunksWritten() {
    return writer.chunksWritten();
  }

  public long chunksReused() {
    return writer.chunksReused();
  }


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
    return cipher(tenant).thenCompose(cipher -> {
      List<String> chunkIds = VersionRows.chunkIds(row);
      if (chunkIds.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.of(VersionRows.stored(cipher, type, objectId, row, Map.of())));
      }
      return readChunks(cipher, tenant, type, objectId, chunkIds)
          .thenApply(refsById -> Optional.of(VersionRows.stored(cipher, type, objectId, row, refsById)));
    });
  }

  private CompletionStage<Map<String, String>> readChunks(TenantCipher cipher,
      TenantId tenant, ObjectType type, String objectId, List<String> chunkIds) {
    List<String> distinct = List.copyOf(new java.util.LinkedHashSet<>(chunkIds));
    List<CompletableFuture<List<Row>>> reads = new ArrayList<>();
    for (int from = 0; from < distinct.size(); from += CHUNKS_PER_READ) {
      List<String> slice = distinct.subList(from, Math.min(distinct.size(), from + CHUNKS_PER_READ));
      reads.add(runner.all(statements.selectChunks, row -> row, tenant.value(), type.apiName(), objectId, slice)
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
      Map<String, String> refsById = new HashMap<>();
      // Columns by position (chunk_id, refs: the select's order) and codec: a download reads one such row per group.
      reads.forEach(read -> read.join().forEach(row -> {
        String chunkId = row.get(0, TypeCodecs.TEXT);
        refsById.put(chunkId, SealedColumns.openChunk(cipher, row.get(1, TypeCodecs.TEXT), type, objectId, chunkId));
      }));
      return refsById;
    });
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

  /** The list's second line under the name: a user's UPN, else a mail address (groups), when the object has one. */
  private static Optional<String> detail(JsonNode state) {
    for (String property : List.of("userPrincipalName", "mail")) {
      JsonNode value = state.get(property);
      if (value != null && value.isTextual() && !value.asText().isBlank()) {
        return Optional.of(value.asText());
      }
    }
    return Optional.empty();
  }

  private static Optional<UUID> parseVersionId(String versionId) {
    try {
      UUID id = UUID.fromString(versionId);
      return id.version() == 1 ? Optional.of(id) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
