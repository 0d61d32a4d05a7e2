package io.entrabackup.cluster.retention;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.snapshot.internal.LatestBuckets;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One tenant's retention pass, from its checkpoint to its end: every object of every type (each type's 64 latest
 * buckets, a page of object ids at a time), each object's versions decided ({@link PruneDecision}) and pruned, with a
 * checkpoint after each page. Before each page it asks whether a download or restore of the tenant is under way
 * ({@link RetentionPins}): then it stops, deferred, and prunes nothing more until the next pass.
 */
final class RetentionPass {

  /** How a pass ended. */
  record Outcome(RetentionFigures figures, Optional<String> deferred, boolean lostOwnership, boolean failed) {}

  private final RetentionRows rows;
  private final RetentionPasses passes;
  private final RetentionPins pins;
  private final Materializer materializer;
  private final Clock clock;
  private final int parallelism;

  RetentionPass(RetentionRows rows, RetentionPasses passes, RetentionPins pins, Materializer materializer,
      Clock clock, int parallelism) {
    this.rows = rows;
    this.passes = passes;
    this.pins = pins;
    this.materializer = materializer;
    this.clock = clock;
    this.parallelism = parallelism;
  }

  /** Runs {@code pass} (new or resumed) to its end; the caller finishes its row. */
  CompletionStage<Outcome> run(PassRecord pass) {
    List<ObjectType> types = ObjectType.inBackupOrder();
    int firstType = pass.checkpoint().map(at -> indexOf(types, at.type())).orElse(0);
    PassRecord.Checkpoint start = pass.checkpoint()
        .orElse(new PassRecord.Checkpoint(types.get(0).apiName(), 0, ""));
    return step(pass, types, firstType, start.bucket(), start.objectId(), pass.figures());
  }

  private static int indexOf(List<ObjectType> types, String name) {
    for (int i = 0; i < types.size(); i++) {
      if (types.get(i).apiName().equals(name)) {
        return i;
      }
    }
    return 0;
  }

  /** The next page of objects from (type, bucket, after), then the step after it. */
  private CompletionStage<Outcome> step(PassRecord pass, List<ObjectType> types, int typeIndex, int bucket,
      String after, RetentionFigures figures) {
    if (typeIndex >= types.size()) {
      return CompletableFuture.completedFuture(new Outcome(figures, Optional.empty(), false, false));
    }
    if (bucket >= LatestBuckets.COUNT) {
      return step(pass, types, typeIndex + 1, 0, "", figures);
    }
    TenantId tenant = new TenantId(pass.tenantId());
    ObjectType type = types.get(typeIndex);
    return rows.objects(tenant, type, bucket, after).thenCompose(page -> {
      List<String> ids = new ArrayList<>();
      for (Row row : page.currentPage()) {
        ids.add(row.getString(0));
      }
      if (ids.isEmpty()) {
        return step(pass, types, typeIndex, bucket + 1, "", figures);
      }
      return pins.blocking(pass.accountId(), pass.tenantId()).thenCompose(blocking -> blocking.isPresent()
          ? CompletableFuture.completedFuture(new Outcome(figures, blocking, false, false))
          : prunePage(pass, tenant, type, ids).thenCompose(done -> {
            RetentionFigures sum = figures.plus(done);
            boolean more = ids.size() >= RetentionRows.OBJECT_PAGE_SIZE;
            PassRecord.Checkpoint at = more
                ? new PassRecord.Checkpoint(type.apiName(), bucket, ids.get(ids.size() - 1))
                : new PassRecord.Checkpoint(type.apiName(), bucket + 1, "");
            return passes.checkpoint(pass.tenantId(), pass.owner(), clock.instant(), at, sum)
                .thenCompose(owned -> owned
                    ? step(pass, types, typeIndex, at.bucket(), at.objectId(), sum)
                    : CompletableFuture.completedFuture(new Outcome(sum, Optional.empty(), true, false)));
          }));
    });
  }

  private CompletionStage<RetentionFigures> prunePage(PassRecord pass, TenantId tenant, ObjectType type,
      List<String> ids) {
    return Source.from(ids)
        .mapAsyncUnordered(parallelism, id -> pruneObject(pass.jobId(), pass, tenant, type, id))
        .runWith(Sink.fold(RetentionFigures.ZERO, RetentionFigures::plus), materializer);
  }

  /** One object: pruned as decided, or, pruned already by this very pass before a crash, counted from its record. */
  private CompletionStage<RetentionFigures> pruneObject(UUID job, PassRecord pass, TenantId tenant, ObjectType type,
      String objectId) {
    return rows.versions(tenant, type, objectId).thenCompose(found -> {
      Optional<PruneDecision.Prune> prune = PruneDecision.of(found.newestFirst(), pass.cutoff());
      if (prune.isPresent()) {
        PruneDecision.Prune decided = prune.get();
        return rows.prune(tenant, type, objectId, decided, job).thenApply(done -> new RetentionFigures(1,
            decided.versions(), decided.chunks().size(), decided.stateBytes()));
      }
      if (found.prunedBy().filter(job::equals).isPresent()) {
        return CompletableFuture.completedFuture(new RetentionFigures(1, found.prunedBefore(), found.chunksBefore(),
            found.bytesBefore()));
      }
      return CompletableFuture.completedFuture(new RetentionFigures(1, 0, 0, 0));
    });
  }
}
