package io.entrabackup.cluster.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.cluster.restore.LiveObjects;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.snapshot.References;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectComparison;
import io.entrabackup.protocol.backup.ObjectComparison.Member;
import io.entrabackup.protocol.backup.ObjectComparison.RelationChange;
import io.entrabackup.protocol.backup.ObjectComparison.Side;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.LiveState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Compares a stored snapshot of an object with another snapshot, or with the object as Graph shows it now (read as a
 * restore plan reads it): properties side by side, members and owners added and removed, named from the backups.
 * Reads only.
 */
public final class Comparisons {

  /** Members listed per relation and direction (the counts stay exact beyond it): one name read each. */
  public static final int LISTED = 200;

  private final SnapshotStore store;
  private final LiveObjects live;
  private final MemberNames names;

  public Comparisons(SnapshotStore store, LiveObjects live) {
    this.store = store;
    this.live = live;
    this.names = new MemberNames(store);
  }

  /** Version {@code from} on the left, version {@code to} on the right; empty when either is not this object's. */
  public CompletionStage<Optional<ObjectComparison>> snapshots(TenantId tenant, ObjectType type, String objectId,
      String from, String to) {
    return store.version(tenant, type, objectId, from).thenCombine(store.version(tenant, type, objectId, to),
        (left, right) -> left.isPresent() && right.isPresent() ? Optional.of(List.of(left.get(), right.get()))
            : Optional.<List<ObjectSnapshot>>empty())
        .thenCompose(found -> found.isEmpty()
            ? CompletableFuture.completedFuture(Optional.<ObjectComparison>empty())
            : betweenSnapshots(tenant, found.get().get(0), found.get().get(1)).thenApply(Optional::of));
  }

  /** Version {@code from} on the left, the object in {@code entraTenantId}'s directory now on the right. */
  public CompletionStage<Optional<ObjectComparison>> withLive(TenantId tenant, String entraTenantId, ObjectType type,
      String objectId, String from) {
    return store.version(tenant, type, objectId, from).thenCompose(left -> left.isEmpty()
        ? CompletableFuture.completedFuture(Optional.<ObjectComparison>empty())
        : live.read(entraTenantId, type, objectId)
            .thenCompose(now -> withLive(tenant, left.get(), now))
            .thenApply(Optional::of));
  }

  private CompletionStage<ObjectComparison> betweenSnapshots(TenantId tenant, ObjectSnapshot left,
      ObjectSnapshot right) {
    var properties = SideBySide.properties(Optional.of(left.state()), Optional.of(right.state()), false);
    List<CompletionStage<RelationChange>> relations = new ArrayList<>();
    for (String relation : References.PROPERTIES) {
      if (left.state().has(relation) || right.state().has(relation)) {
        Map<String, JsonNode> before = SideBySide.references(Optional.of(left.state()), relation);
        Map<String, JsonNode> after = SideBySide.references(Optional.of(right.state()), relation);
        relations.add(relation(tenant, relation, before, after, SideBySide.delta(before.keySet(), after.keySet())));
      }
    }
    return all(relations).thenApply(changes ->
        new ObjectComparison(side(left), side(right), properties, changes));
  }

  private CompletionStage<ObjectComparison> withLive(TenantId tenant, ObjectSnapshot left, LiveObjects.Live now) {
    var properties = SideBySide.properties(Optional.of(left.state()), now.properties(), true);
    List<CompletionStage<RelationChange>> relations = new ArrayList<>();
    for (String relation : References.PROPERTIES) {
      Set<String> liveIds = now.references().getOrDefault(relation, Set.of());
      if (left.state().has(relation) || !liveIds.isEmpty()) {
        Map<String, JsonNode> before = SideBySide.references(Optional.of(left.state()), relation);
        relations.add(relation(tenant, relation, before, Map.of(), SideBySide.delta(before.keySet(), liveIds)));
      }
    }
    Side right = new Side(ObjectComparison.LIVE, Optional.empty(), Optional.empty(), Optional.empty(),
        now.state().apiName());
    return all(relations).thenApply(changes -> new ObjectComparison(side(left), right, properties, changes));
  }

  /** The relation's counts, and its first {@link #LISTED} ids each way named (types from either side's reference). */
  private CompletionStage<RelationChange> relation(TenantId tenant, String relation, Map<String, JsonNode> before,
      Map<String, JsonNode> after, SideBySide.Delta delta) {
    CompletionStage<List<Member>> added = names.of(tenant, delta.added().stream().limit(LISTED).toList(), after);
    CompletionStage<List<Member>> removed = names.of(tenant, delta.removed().stream().limit(LISTED).toList(), before);
    return added.thenCombine(removed, (a, r) -> new RelationChange(relation, delta.added().size(),
        delta.removed().size(), delta.unchanged(), a, r));
  }

  private static Side side(ObjectSnapshot snapshot) {
    String state = snapshot.removedReason()
        .map(reason -> "changed".equals(reason) ? LiveState.SOFT_DELETED.apiName() : "deleted")
        .orElse(LiveState.LIVE.apiName());
    return new Side(ObjectComparison.SNAPSHOT, Optional.of(snapshot.versionId()), Optional.of(snapshot.capturedAt()),
        Optional.ofNullable(snapshot.runId()), state);
  }

  private static <T> CompletionStage<List<T>> all(List<CompletionStage<T>> stages) {
    CompletionStage<List<T>> result = CompletableFuture.completedFuture(new ArrayList<>());
    for (CompletionStage<T> stage : stages) {
      result = result.thenCombine(stage, (list, item) -> {
        list.add(item);
        return list;
      });
    }
    return result;
  }
}
