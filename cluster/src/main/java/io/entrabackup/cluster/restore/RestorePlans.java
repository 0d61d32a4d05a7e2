package io.entrabackup.cluster.restore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.graph.GraphAccess;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.LiveState;
import io.entrabackup.protocol.restore.RestorePlan;
import io.entrabackup.protocol.restore.RestoreRefused;
import io.entrabackup.protocol.restore.RoleAssignmentRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.Materializer;

/**
 * Gathers what {@link RestorePlanner} compares (the version from the snapshot store, the live object and, for users,
 * their groups and role assignments at that version and now) and plans. Used by the plan endpoint (nothing written)
 * and by every restore run, which plans again against the directory as it is when the run starts.
 */
public final class RestorePlans {

  private final GraphAccess graph;
  private final RestoreSettings settings;
  private final SnapshotStore store;
  private final StateAtVersion history;

  public RestorePlans(GraphAccess graph, RestoreSettings settings, SnapshotStore store,
      Materializer materializer) {
    this.graph = graph;
    this.settings = settings;
    this.store = store;
    this.history = new StateAtVersion(store, materializer, settings.groupScanParallelism());
  }

  /** The plan of restoring the object to the version now; empty when there is no such version. */
  public CompletionStage<Optional<RestorePlan>> plan(TenantId tenant, String entraTenantId, ObjectType type,
      String objectId, String versionId) {
    return target(tenant, type, objectId, versionId).thenCompose(found -> found.isEmpty()
        ? CompletableFuture.completedFuture(Optional.<RestorePlan>empty())
        : prepare(graphFor(entraTenantId), tenant, found.get(), objectId).thenApply(input ->
            Optional.of(RestorePlanner.plan(input))));
  }

  /** The version to restore to; refused when it cannot be restored (a deletion, a role definition). */
  public CompletionStage<Optional<ObjectSnapshot>> target(TenantId tenant, ObjectType type, String objectId,
      String versionId) {
    if (!type.isRestorable()) {
      return CompletableFuture.failedFuture(new RestoreRefused(400, type.apiName() + " are not restored; restores"
          + " cover " + ObjectType.describe(ObjectType.restorable())));
    }
    return store.version(tenant, type, objectId, versionId).thenApply(found -> {
      if (found.isPresent() && found.get().isTombstone()) {
        throw new RestoreRefused(400, "Version " + versionId + " records the object's deletion; choose a version"
            + " that holds its state");
      }
      return found;
    });
  }

  RestoreGraph graphFor(String entraTenantId) {
    return new RestoreGraph(graph, settings, entraTenantId);
  }

  /** The Graph requests of restore {@code job}. */
  RestoreGraph graphFor(String entraTenantId, io.entrabackup.cluster.job.JobMdc job) {
    return new RestoreGraph(graph, settings, entraTenantId, java.util.Optional.of(job));
  }

  /** Reads what the planner needs, with the object's live id (the recreated one's, if it was recreated). */
  CompletionStage<PlanInput> prepare(RestoreGraph graph, TenantId tenant, ObjectSnapshot target, String liveId) {
    LiveReader reader = new LiveReader(graph);
    return reader.read(target.type(), liveId).thenCompose(live -> switch (target.type()) {
      case USERS -> userInput(reader, tenant, target, live);
      case ROLE_ASSIGNMENTS -> live.state() == LiveState.LIVE
          ? CompletableFuture.completedFuture(PlanInput.of(target, live))
          : reader.assignmentsLike(assignment(target.state())).thenApply(equal ->
              new PlanInput(target, live, List.of(), List.of(), equal));
      default -> CompletableFuture.completedFuture(PlanInput.of(target, live));
    });
  }

  private CompletionStage<PlanInput> userInput(LiveReader reader, TenantId tenant, ObjectSnapshot target,
      LiveObject live) {
    Optional<String> liveId = live.state() == LiveState.LIVE ? live.id() : Optional.empty();
    CompletionStage<List<MembershipAtVersion>> memberships = history.groupsOf(tenant, target)
        .thenCompose(groups -> membershipsNow(reader, groups, liveId));
    CompletionStage<List<RoleAssignmentRef>> targetAssignments = history.assignmentsOf(tenant, target);
    CompletionStage<List<RoleAssignmentRef>> liveAssignments = liveId
        .map(reader::assignmentsOf)
        .orElse(CompletableFuture.completedFuture(List.of()));
    return memberships.thenCompose(m -> targetAssignments.thenCombine(liveAssignments,
        (wanted, now) -> new PlanInput(target, live, m, wanted, now)));
  }

  /** How each group stands now, one after the other (a user is in few groups; their reads are paced by Graph). */
  private CompletionStage<List<MembershipAtVersion>> membershipsNow(LiveReader reader,
      List<StateAtVersion.GroupAtVersion> groups, Optional<String> liveUserId) {
    CompletionStage<List<MembershipAtVersion>> result = CompletableFuture.completedFuture(new ArrayList<>());
    for (StateAtVersion.GroupAtVersion group : groups) {
      result = result.thenCompose(list -> reader.group(group.groupId()).thenCompose(liveGroup -> {
        CompletionStage<Boolean> member = liveGroup.isEmpty() || liveUserId.isEmpty()
            ? CompletableFuture.completedFuture(false)
            : reader.groupMembers(group.groupId()).thenApply(ids -> ids.contains(liveUserId.get()));
        return member.thenApply(isMember -> {
          list.add(new MembershipAtVersion(group.groupId(), group.displayName(), liveGroup, isMember));
          return list;
        });
      }));
    }
    return result;
  }

  static RoleAssignmentRef assignment(ObjectNode state) {
    return new RoleAssignmentRef(state.path("principalId").asText(), state.path("roleDefinitionId").asText(),
        state.path("directoryScopeId").asText("/"));
  }
}
