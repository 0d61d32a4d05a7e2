package io.entrabackup.cluster.snapshot.internal;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.entrabackup.cluster.crypto.TenantCipher;
import io.entrabackup.cluster.snapshot.CanonicalJson;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.snapshot.PackedState;
import io.entrabackup.cluster.snapshot.References;
import io.entrabackup.cluster.snapshot.StoredState;
import io.entrabackup.cluster.snapshot.WriteOutcome;
import io.entrabackup.cluster.snapshot.internal.ReferenceChunks.Chunk;
import io.entrabackup.protocol.TenantId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The snapshot store's write path: a new version's chunks, then its rows in one batch; a version that makes or
 * unmakes an object first marks its type's live count as behind ({@link LiveCounts}). Writes never read: the caller
 * passes the previous version.
 */
public final class VersionWriter {

  /** Chunk writes one version keeps in flight (each holds up to ~70 KB of JSON until written). */
  private static final int CHUNK_WRITE_WINDOW = 8;
  /**
   * Above this estimated size of a version row and its latest row (each a copy of the state), the two are written
   * outside the batch (Cassandra fails batches over 50 KB; the rest of the batch is small).
   */
  private static final int MAX_BATCHED_VERSION_BYTES = 40 * 1024;
  /** A chunk id in the row's list: 32 hex digits plus the list's framing. */
  private static final int CHUNK_ID_BYTES = 36;
  /** What sealing adds to a value, at most: format, key version, nonce, tag, and the state's CRC and SHA-256. */
  private static final int SEALING_BYTES = 1 + 4 + 12 + 16 + 4 + 32;
  private final SnapshotStatements statements;
  private final VersionStatements versionStatements;
  private final CqlRunner runner;
  private final LiveCounts counts;
  private final AtomicLong rowsWritten = new AtomicLong();
  private final AtomicLong chunksWritten = new AtomicLong();
  private final AtomicLong chunksReused = new AtomicLong();

  public VersionWriter(SnapshotStatements statements, CqlRunner runner, LiveCounts counts) {
    this.statements = statements;
    this.versionStatements = new VersionStatements(statements);
    this.runner = runner;
    this.counts = counts;
  }

  /** Rows written (versions, index entries, run changes, chunks). */
  public long rowsWritten() {
    return rowsWritten.get();
  }

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
  public CompletionStage<WriteOutcome> store(TenantCipher cipher, TenantId tenant, NewVersion version,
      StoredState state, Optional<ObjectSnapshot> previous, Optional<String> knownHash, Predicate<String> unchanged,
      WriteOutcome outcome, long liveDelta) {
    // Serialized and digested once: the canonical form is both what is hashed and what the version row keeps.
    byte[] properties = CanonicalJson.canonicalBytes(state.properties());
    byte[] digest = CanonicalJson.sha256().digest(properties);
    ChunkedReferences chunks = new ChunkedReferences(state.references(), storedChunkIds(previous, cipher), cipher);
    return writeChunks(cipher, tenant, version, chunks).thenCompose(ignored -> {
      chunksReused.addAndGet(chunks.reused());
      String hash = knownHash.orElseGet(() -> ContentHash.of(cipher, digest, chunks.chunkIds()));
      if (unchanged.test(hash)) {
        return CompletableFuture.completedFuture(WriteOutcome.UNCHANGED);
      }
      // The mark before the version: a version that makes or unmakes an object is never stored unmarked.
      CompletionStage<Void> marked = liveDelta == 0
          ? CompletableFuture.completedFuture(null)
          : counts.markBehind(tenant, version.type(), version.runId());
      return marked.thenCompose(done -> statementsPrepared())
          .thenCompose(prepared -> writeVersion(cipher, tenant, version, hash, properties, digest, chunks, previous,
              outcome))
          .thenApply(done -> outcome);
    });
  }

  /** Completes once the statements of a version batch are prepared (so that binding it never waits). */
  private CompletableFuture<Void> statementsPrepared() {
    return CompletableFuture.allOf(
        statements.insertVersion.get().toCompletableFuture(),
        statements.upsertLatest.get().toCompletableFuture(),
        statements.upsertObject.get().toCompletableFuture(),
        statements.upsertSearch.get().toCompletableFuture(),
        statements.deleteSearch.get().toCompletableFuture(),
        statements.insertRunChange.get().toCompletableFuture());
  }

  /** The chunk rows the previous version holds (none when it has no members or owners, or only small sets). */
  private static Set<String> storedChunkIds(Optional<ObjectSnapshot> previous, TenantCipher cipher) {
    if (previous.isEmpty() || References.PROPERTIES.stream().noneMatch(previous.get().state()::has)) {
      return Set.of();
    }
    return ChunkedReferences.storedIdsOf(StoredState.of(previous.get().state()).references(), cipher);
  }

  /** Writes the chunks not stored yet, a window at a time, so one chunk's JSON at a time is made per slot. */
  private CompletionStage<Void> writeChunks(TenantCipher cipher, TenantId tenant, NewVersion version,
      ChunkedReferences chunks) {
    List<CompletableFuture<?>> window = new ArrayList<>(CHUNK_WRITE_WINDOW);
    Chunk chunk;
    while (window.size() < CHUNK_WRITE_WINDOW && (chunk = chunks.nextToWrite()) != null) {
      window.add(insertChunk(cipher, tenant, version, chunk).toCompletableFuture());
    }
    if (window.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    chunksWritten.addAndGet(window.size());
    rowsWritten.addAndGet(window.size());
    return CompletableFuture.allOf(window.toArray(CompletableFuture[]::new))
        .thenCompose(ignored -> writeChunks(cipher, tenant, version, chunks));
  }

  private CompletionStage<AsyncResultSet> insertChunk(TenantCipher cipher, TenantId tenant, NewVersion version,
      Chunk chunk) {
    byte[] sealed = SealedColumns.chunk(cipher, chunk.json(), version.type(), version.objectId(), chunk.id());
    return statements.insertChunk.get().thenCompose(prepared -> runner.limited(
        prepared.boundStatementBuilder().set(0, tenant.value(), TypeCodecs.TEXT)
            .set(1, version.type().apiName(), TypeCodecs.TEXT).set(2, version.objectId(), TypeCodecs.TEXT)
            .set(3, chunk.id(), TypeCodecs.TEXT).setBytesUnsafe(4, ByteBuffer.wrap(sealed)).build()));
  }

  /**
   * Writes the version row, its latest row, its list entries and run change. A version row too large for a batch
   * (Cassandra fails batches over {@code batch_size_fail_threshold}, 50 KB by default; a 1,000,000-member group lists
   * ~2,500 chunk ids) is written alone, after the others: the small rows as a batch, then its latest row, then the
   * version row. The version row is what the next read of the object finds, and what a run resumed after a crash
   * compares with: were it written first, a crash before the rest would leave the object's list row (what its live
   * count is counted from) and run change (what the run's figures are counted from) missing for good, as the resumed
   * run would find the object unchanged. Written last, a crash before it leaves rows that the resumed run writes again
   * (the run change once more, under the new version id: run figures count objects, not rows).
   */
  private CompletionStage<AsyncResultSet> writeVersion(TenantCipher cipher, TenantId tenant, NewVersion version,
      String hash, byte[] canonical, byte[] digest, ChunkedReferences chunks, Optional<ObjectSnapshot> previous,
      WriteOutcome outcome) {
    UUID versionId = Uuids.timeBased();
    // Packed (and sealed) only here, once the version is known to be new: an unchanged object costs no deflating.
    PackedState properties = PackedState.pack(canonical, digest);
    BoundStatement row =
        versionStatements.versionRow(cipher, tenant.value(), version, versionId, hash, properties, chunks);
    BoundStatement latest = versionStatements.latestRow(row, version.objectId(), previous.isEmpty());
    if (2 * estimatedSize(properties, chunks) <= MAX_BATCHED_VERSION_BYTES) {
      return runner.limited(
          counted(versionStatements.batch(cipher, tenant.value(), version, versionId, List.of(row, latest), previous,
              outcome)));
    }
    rowsWritten.addAndGet(2);
    return runner.limited(
            counted(versionStatements.batch(cipher, tenant.value(), version, versionId, List.of(), previous, outcome)))
        .thenCompose(written -> runner.limited(latest))
        .thenCompose(written -> runner.limited(row));
  }

  private BatchStatement counted(BatchStatement batch) {
    rowsWritten.addAndGet(batch.size());
    return batch;
  }

  private static int estimatedSize(PackedState properties, ChunkedReferences chunks) {
    int ids = chunks.chunkIds().values().stream().mapToInt(List::size).sum();
    int inline = chunks.inline().values().stream().flatMap(List::stream).mapToInt(String::length).sum();
    // Sealed: the state gains its CRC, SHA-256 and the cipher's header, nonce and tag; inline texts become base64.
    return properties.deflated().length + SEALING_BYTES + ids * CHUNK_ID_BYTES + inline * 4 / 3 + SEALING_BYTES;
  }
}
