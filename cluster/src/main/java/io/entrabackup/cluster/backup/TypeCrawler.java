package io.entrabackup.cluster.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.graph.read.RoundPage;
import io.entrabackup.cluster.metrics.BackupMetrics;
import io.entrabackup.cluster.metrics.NodeMetrics;
import io.entrabackup.cluster.graph.read.RoundReader;
import io.entrabackup.cluster.snapshot.MergingState;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.snapshot.SnapshotMerge;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.cluster.snapshot.WriteOutcome;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Backs up one object type of one tenant: a stream of Graph pages in, change-only snapshots out. Pages
 * are processed one at a time (their objects in parallel, bounded), so memory holds one page and the
 * ids seen, never the tenant's objects. After a full round, objects Graph no longer returns get
 * tombstones.
 *
 * <p>Groups and directory roles are the exception: Graph spreads a large group's member links over
 * many pages, repeating the group on each. Writing each appearance would store partial memberships as
 * versions (and rewrite a 100,000-member list hundreds of times), so their merged states are kept until
 * the round ends and written once. Memory then holds the membership links of the round's changed
 * groups, compactly (about 120 bytes a link: a 1,000,000-member group in ~120 MB).
 */
final class TypeCrawler {

  private final RoundReader reader;
  private final SnapshotStore store;
  private final Clock clock;
  private final int parallelism;
  private final ActorSystem<?> system;
  private final MembershipReconciler reconciler;
  private final BackupMetrics metrics;

  TypeCrawler(RoundReader reader, SnapshotStore store, Clock clock, int parallelism, ActorSystem<?> system) {
    this.reader = reader;
    this.store = store;
    this.clock = clock;
    this.parallelism = parallelism;
    this.system = system;
    this.metrics = NodeMetrics.get(system).backups();
    this.reconciler = new MembershipReconciler(store, parallelism, system);
  }

  /**
   * Runs the round; {@code progress} hears the number of objects seen after each page. While one page is
   * stored the next one is already read (one page ahead, so memory holds two).
   */
  CompletionStage<TypeResult> crawl(BackupRunSpec spec, ObjectType type, LongConsumer progress,
      RunCoordination run) {
    return store.hasObjects(spec.tenantId(), type).thenCompose(stored -> crawl(spec, type, progress, run, !stored));
  }

  /**
   * What a crawl shares with the run's other crawls.
   *
   * @param killSwitch stops the crawl's Graph round when the run fails or stops
   * @param usersWritten completes when this run's users are all written (or there are none to write in it): groups
   *     and directory roles take this run's hard-deleted users out of their memberships only after that
   */
  record RunCoordination(SharedKillSwitch killSwitch, CompletionStage<Done> usersWritten) {}

  /**
   * @param storeWasEmpty no object of the type was ever stored for the tenant (its first backup): there is
   *     no previous version to read for an object's first appearance, and nothing to tombstone after a full round
   */
  private CompletionStage<TypeResult> crawl(BackupRunSpec spec, ObjectType type, LongConsumer progress,
      RunCoordination run, boolean storeWasEmpty) {
    RoundTally tally = new RoundTally(storeWasEmpty);
    Optional<String> deltaLink = Optional.ofNullable(spec.deltaLinks().get(type));
    boolean heldUntilRoundEnd = type.hasMembers();
    Map<String, HeldState> held = new java.util.concurrent.ConcurrentHashMap<>();
    return reader.round(spec.entraTenantId(), type, deltaLink, Optional.of(spec.job()))
        .via(run.killSwitch().flow())
        .buffer(1, OverflowStrategy.backpressure())
        .mapAsync(1, page -> (heldUntilRoundEnd ? holdPage(spec, type, page, tally, held)
            : storePage(spec, type, page, tally)).thenApply(done -> {
          progress.accept(tally.seenCount());
          return done;
        }))
        .runWith(Sink.ignore(), system)
        .thenCompose(done -> writeHeld(spec, type, held))
        .thenCompose(done -> tally.fullRound() && !storeWasEmpty
            ? tombstoneMissing(spec, type, tally)
            : CompletableFuture.completedFuture(Done.getInstance()))
        .thenCompose(done -> heldUntilRoundEnd
            ? run.usersWritten().thenCompose(users -> reconciler.reconcile(spec, type, clock.instant()))
            : CompletableFuture.completedFuture(Done.getInstance()))
        // Every write of the type has completed: its live count and the run's figures are counted from what is stored.
        .thenCompose(done -> store.settleCount(spec.tenantId(), type, spec.runId()))
        .thenCompose(live -> TypeFigures.of(store, spec, type, tally))
        .thenApply(counts -> new TypeResult(type, counts, tally.graph(), tally.deltaLink()));
  }

  /** The latest stored version of an object, read only when there can be one. */
  private CompletionStage<Optional<ObjectSnapshot>> previous(BackupRunSpec spec, ObjectType type, String objectId,
      boolean firstAppearance, RoundTally tally) {
    return firstAppearance && tally.storeWasEmpty()
        ? CompletableFuture.completedFuture(Optional.empty())
        : store.latest(spec.tenantId(), type, objectId);
  }

  private CompletionStage<Done> storePage(BackupRunSpec spec, ObjectType type, RoundPage page, RoundTally tally) {
    tally.page(new GraphTraffic(page.requests(), page.throttled(), page.bytes()), page.fullRound(), page.deltaLink());
    // The same object may come twice in a page: the last one wins, and it must not race the first.
    Map<String, List<ObjectNode>> byId = new LinkedHashMap<>();
    for (ObjectNode object : page.objects()) {
      byId.computeIfAbsent(object.path("id").asText(), id -> new ArrayList<>()).add(object);
    }
    Instant capturedAt = clock.instant();
    return Source.from(new ArrayList<>(byId.entrySet()))
        .mapAsyncUnordered(parallelism, entry -> storeObject(spec, type, entry.getKey(), entry.getValue(),
            page.fullRound(), tally, capturedAt))
        .runWith(Sink.ignore(), system);
  }

  /** One object's appearances in a page, in order; each is merged onto what the previous left. */
  private CompletionStage<Done> storeObject(BackupRunSpec spec, ObjectType type, String objectId,
      List<ObjectNode> appearances, boolean fullRound, RoundTally tally, Instant capturedAt) {
    boolean repeat = tally.seenBefore(objectId);
    tally.markSeen(objectId);
    CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
    for (int i = 0; i < appearances.size(); i++) {
      ObjectNode appearance = appearances.get(i);
      boolean again = repeat || i > 0;
      chain = chain.thenCompose(done -> previous(spec, type, objectId, !again, tally)
          .thenCompose(previous -> write(spec, type, objectId, appearance, previous, fullRound && !again, capturedAt))
          .thenApply(outcome -> metrics.written(type, outcome)));
    }
    return chain;
  }

  private CompletionStage<WriteOutcome> write(BackupRunSpec spec, ObjectType type, String objectId,
      ObjectNode appearance, Optional<ObjectSnapshot> previous, boolean fromScratch, Instant capturedAt) {
    JsonNode removed = appearance.get("@removed");
    if (removed != null) {
      String reason = removed.path("reason").asText("deleted");
      return store.tombstone(spec.tenantId(), type, spec.runId(), objectId, reason, previous, capturedAt);
    }
    // A full round sends whole objects: start from nothing, except when this object already came earlier
    // in the same round (a large group's members continue on later pages).
    Optional<ObjectNode> base = fromScratch
        ? Optional.empty()
        : previous.filter(snapshot -> snapshot.removedReason().isEmpty()).map(ObjectSnapshot::state);
    ObjectNode state = SnapshotMerge.apply(base, appearance);
    return store.write(spec.tenantId(), type, spec.runId(), state, previous, capturedAt);
  }

  /**
   * An object's state merged so far in this round, and what was stored before the round. Only one page is merged
   * at a time, and an object comes once per page (grouped by id), so one thread at a time touches it.
   */
  private static final class HeldState {
    final Optional<ObjectSnapshot> previous;
    final MergingState state;
    /** Why the object's last appearance removed it; empty when it was not removed. */
    Optional<String> removed = Optional.empty();

    HeldState(Optional<ObjectSnapshot> previous, Optional<ObjectNode> base) {
      this.previous = previous;
      this.state = new MergingState(base);
    }
  }

  private CompletionStage<Done> holdPage(BackupRunSpec spec, ObjectType type, RoundPage page, RoundTally tally,
      Map<String, HeldState> held) {
    tally.page(new GraphTraffic(page.requests(), page.throttled(), page.bytes()), page.fullRound(), page.deltaLink());
    Map<String, List<ObjectNode>> byId = new LinkedHashMap<>();
    for (ObjectNode object : page.objects()) {
      byId.computeIfAbsent(object.path("id").asText(), id -> new ArrayList<>()).add(object);
    }
    return Source.from(new ArrayList<>(byId.entrySet()))
        .mapAsyncUnordered(parallelism, entry -> {
          String objectId = entry.getKey();
          tally.markSeen(objectId);
          HeldState current = held.get(objectId);
          CompletionStage<HeldState> start = current != null
              ? CompletableFuture.completedFuture(current)
              : previous(spec, type, objectId, true, tally).thenApply(previous -> new HeldState(previous,
                  page.fullRound()
                      ? Optional.empty()
                      : previous.filter(p -> p.removedReason().isEmpty()).map(ObjectSnapshot::state)));
          return start.thenApply(state -> {
            for (ObjectNode appearance : entry.getValue()) {
              JsonNode removed = appearance.get("@removed");
              if (removed != null) {
                state.removed = Optional.of(removed.path("reason").asText("deleted"));
              } else {
                state.state.apply(appearance);
                state.removed = Optional.empty();
              }
            }
            held.put(objectId, state);
            return Done.getInstance();
          });
        })
        .runWith(Sink.ignore(), system);
  }

  private CompletionStage<Done> writeHeld(BackupRunSpec spec, ObjectType type, Map<String, HeldState> held) {
    if (held.isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    Instant capturedAt = clock.instant();
    return Source.from(new ArrayList<>(held.entrySet()))
        .mapAsyncUnordered(parallelism, entry -> {
          HeldState state = entry.getValue();
          CompletionStage<WriteOutcome> written = state.removed.isPresent()
              ? store.tombstone(spec.tenantId(), type, spec.runId(), entry.getKey(), state.removed.get(),
                  state.previous, capturedAt)
              : store.write(spec.tenantId(), type, spec.runId(), state.state.stored(), state.previous, capturedAt);
          return written.thenApply(outcome -> metrics.written(type, outcome));
        })
        .runWith(Sink.ignore(), system)
        .whenComplete((done, error) -> held.clear());
  }

  /** After a full round, objects we hold that Graph did not return are gone: tombstone them. */
  private CompletionStage<Done> tombstoneMissing(BackupRunSpec spec, ObjectType type, RoundTally tally) {
    TenantId tenant = spec.tenantId();
    Instant capturedAt = clock.instant();
    return store.allObjects(tenant, type)
        .filter(summary -> !summary.deleted() && !tally.wasSeen(summary.id()))
        .mapAsync(parallelism, summary -> store.latest(tenant, type, summary.id())
            .thenCompose(previous -> store.tombstone(tenant, type, spec.runId(), summary.id(), "deleted", previous,
                capturedAt)))
        .runWith(Sink.ignore(), system);
  }
}
