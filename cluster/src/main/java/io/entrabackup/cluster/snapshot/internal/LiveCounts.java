package io.entrabackup.cluster.snapshot.internal;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Objects per type that are not deleted, kept so that no crash, retry or replay can make them drift.
 *
 * <p>The count is never incremented. It is the number of the type's {@code snapshot_objects} rows (one per object
 * ever stored, kind 'n') whose {@code removed} is empty, counted by a pass over that one partition and written whole
 * ({@code snapshot_live_counts}): counting again writes the same number, so a replayed recount cannot double anything,
 * and what a crashed node held in memory is not part of it. Those rows are written in the same batch as the version
 * they describe (or before it, for a version too large for a batch), so once a version is stored its row is too.
 *
 * <p>A pass costs one read of the type's rows (~100,000 small rows for a 100,000-user tenant), so it is made only when
 * the count may be behind: before the first version of a crawl attempt that makes or unmakes an object (a new object,
 * a tombstone, one back from a tombstone), the writer puts a mark in {@code snapshot_count_marks} and waits for it; a
 * backup run recounts the type at its milestone if there is a mark (or no count yet), and then removes the marks it
 * read. So a count is behind only while a mark says so, whichever node wrote the versions and whether or not it lived
 * to its milestone (a failed run's marks are found by the next run). Runs that only change objects (the usual
 * incremental run) make no mark and cost one read of two small partitions per type.
 */
public final class LiveCounts {

  private record Attempt(TenantId tenant, ObjectType type, String runId) {}

  private final SnapshotStatements statements;
  private final CqlRunner runner;
  /** The mark of each crawl attempt in this process that made or unmade an object; removed by its recount. */
  private final Map<Attempt, CompletableFuture<Void>> marked = new ConcurrentHashMap<>();

  public LiveCounts(SnapshotStatements statements, CqlRunner runner) {
    this.statements = statements;
    this.runner = runner;
  }

  /**
   * Completes once the count of the type is marked as possibly behind for this run's attempt in this process: call
   * before writing a version that makes or unmakes an object. One mark per attempt; a failed mark is made again by the
   * next write that needs it (and that write waits for it).
   */
  public CompletionStage<Void> markBehind(TenantId tenant, ObjectType type, String runId) {
    Attempt attempt = new Attempt(tenant, type, runId);
    CompletableFuture<Void> mark = marked.computeIfAbsent(attempt, key -> runner
        .execute(statements.insertCountMark, tenant.value(), type.apiName(), Uuids.timeBased())
        .<Void>thenApply(done -> null).toCompletableFuture());
    return mark.whenComplete((done, error) -> {
      if (error != null) {
        marked.remove(attempt, mark);
      }
    });
  }

  /**
   * The type's count, recounted first when a mark says it may be behind (or it was never counted). Call only once every
   * write of the type in this run has completed (a backup run's milestone): a recount must see them all.
   */
  public CompletionStage<Long> settle(TenantId tenant, ObjectType type, String runId) {
    // Forgotten first: a write of this run after the recount (a same-process retry of the type) marks again.
    marked.remove(new Attempt(tenant, type, runId));
    List<UUID> marks = new ArrayList<>();
    CompletionStage<Void> marksRead = runner.forEach(statements.selectCountMarks,
        row -> marks.add(row.getUuid(0)), tenant.value(), type.apiName());
    CompletionStage<Optional<Long>> stored = runner.execute(statements.selectLiveCount, tenant.value(),
        type.apiName()).thenApply(rows -> Optional.ofNullable(rows.one()).map(row -> row.getLong(0)));
    return marksRead.thenCombine(stored, (done, count) -> count).thenCompose(count -> {
      if (marks.isEmpty() && count.isPresent()) {
        return CompletableFuture.completedFuture(count.get());
      }
      return recount(tenant, type, marks);
    });
  }

  /** Counts the live rows, writes the count, then removes the marks read before counting (a crash between: counted again). */
  private CompletionStage<Long> recount(TenantId tenant, ObjectType type, List<UUID> marks) {
    AtomicLong live = new AtomicLong();
    return runner.forEach(statements.selectLiveness, row -> countIfLive(row, live), tenant.value(), type.apiName(),
            NameKeys.BY_NAME)
        .thenCompose(done -> runner.execute(statements.upsertLiveCount, tenant.value(), type.apiName(), live.get(),
            Instant.now()))
        .thenCompose(done -> {
          List<CompletableFuture<?>> deletes = new ArrayList<>();
          for (UUID mark : marks) {
            deletes.add(runner.execute(statements.deleteCountMark, tenant.value(), type.apiName(), mark)
                .toCompletableFuture());
          }
          return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
        })
        .thenApply(done -> live.get());
  }

  private static void countIfLive(Row row, AtomicLong live) {
    if (row.isNull(0)) {
      live.incrementAndGet();
    }
  }

  /** The counts of every type (0 for a type never counted). */
  public CompletionStage<Map<ObjectType, Long>> all(TenantId tenant) {
    Map<ObjectType, Long> result = new EnumMap<>(ObjectType.class);
    for (ObjectType type : ObjectType.values()) {
      result.put(type, 0L);
    }
    return runner.forEach(statements.selectLiveCounts, row -> ObjectType.fromApiName(row.getString(0))
            .ifPresent(type -> result.put(type, row.getLong(1))), tenant.value())
        .thenApply(done -> result);
  }
}
