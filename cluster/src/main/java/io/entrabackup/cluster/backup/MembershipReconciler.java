package io.entrabackup.cluster.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.snapshot.References;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.cluster.snapshot.WriteOutcome;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Takes users that this run found hard-deleted out of the memberships we hold. Graph has been seen to
 * leave a hard-deleted user's member removals out of group delta rounds, so a backup that trusted the
 * delta alone would keep "members" that no longer exist, forever (the group itself may never change
 * again). The run's own change list says which users it tombstoned as deleted, so a run resumed after a
 * crash finds them too.
 *
 * <p>Finding the groups that held such a user reads every live group's latest state: there is no
 * reverse index of memberships. That costs one pass over the type, only in runs that saw hard deletes
 * (rare: users are soft-deleted first and purged from the recycle bin later, one by one). A reverse
 * index would make it proportional to the deleted users' memberships; it is left until a tenant's size
 * makes the pass matter.
 */
final class MembershipReconciler {

  private final SnapshotStore store;
  private final int parallelism;
  private final ActorSystem<?> system;

  MembershipReconciler(SnapshotStore store, int parallelism, ActorSystem<?> system) {
    this.store = store;
    this.parallelism = parallelism;
    this.system = system;
  }

  /** Removes this run's hard-deleted users from the type's stored members and owners (changes in the run's figures). */
  CompletionStage<Done> reconcile(BackupRunSpec spec, ObjectType type, Instant capturedAt) {
    return hardDeletedUsers(spec).thenCompose(gone -> gone.isEmpty()
        ? CompletableFuture.completedFuture(Done.getInstance())
        : removeFromMemberships(spec, type, gone, capturedAt));
  }

  private CompletionStage<Set<String>> hardDeletedUsers(BackupRunSpec spec) {
    TenantId tenant = spec.tenantId();
    return store.changesOfRun(tenant, spec.runId(), ObjectType.USERS, WriteOutcome.REMOVED)
        .thenCompose(removedUsers -> Source.from(removedUsers)
            .mapAsync(parallelism, change -> store.latest(tenant, ObjectType.USERS, change.objectId()))
            .filter(latest -> latest.flatMap(ObjectSnapshot::removedReason).equals(Optional.of("deleted")))
            .map(latest -> latest.get().objectId())
            .runWith(Sink.seq(), system)
            .thenApply(ids -> Set.copyOf(ids)));
  }

  private CompletionStage<Done> removeFromMemberships(BackupRunSpec spec, ObjectType type, Set<String> gone,
      Instant capturedAt) {
    TenantId tenant = spec.tenantId();
    return store.allObjects(tenant, type)
        .filter(summary -> !summary.deleted())
        .mapAsyncUnordered(parallelism, summary -> store.latest(tenant, type, summary.id()))
        .mapAsyncUnordered(parallelism, latest -> {
          Optional<ObjectNode> pruned = latest.filter(snapshot -> !snapshot.isTombstone())
              .flatMap(snapshot -> withoutReferences(snapshot.state(), gone));
          if (pruned.isEmpty()) {
            return CompletableFuture.completedFuture(Done.getInstance());
          }
          return store.write(tenant, type, spec.runId(), pruned.get(), latest, capturedAt)
              .thenApply(outcome -> Done.getInstance());
        })
        .runWith(Sink.ignore(), system);
  }

  /** The state without references to {@code gone}, or empty when it held none. */
  static Optional<ObjectNode> withoutReferences(ObjectNode state, Set<String> gone) {
    ObjectNode pruned = state.deepCopy();
    boolean removed = false;
    for (String property : References.PROPERTIES) {
      JsonNode references = pruned.get(property);
      if (references == null || !references.isArray()) {
        continue;
      }
      ArrayNode kept = pruned.arrayNode();
      for (JsonNode reference : references) {
        if (gone.contains(reference.path("id").asText())) {
          removed = true;
        } else {
          kept.add(reference);
        }
      }
      pruned.set(property, kept);
    }
    return removed ? Optional.of(pruned) : Optional.empty();
  }
}
