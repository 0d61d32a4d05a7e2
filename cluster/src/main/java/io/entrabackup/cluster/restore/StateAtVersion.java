package io.entrabackup.cluster.restore;

import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.snapshot.ObjectSummary;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.cluster.snapshot.VersionInfo;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.RoleAssignmentRef;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The rest of the tenant as the backup saw it when it captured a user's version: which groups had the user as a
 * member, which role assignments the user held.
 *
 * <p>"At that version" means: each group's (or assignment's) newest version written by the same backup run as the
 * user's version, or else captured no later than it. A run backs up users before groups, so a group's version from
 * the same run is the group as that run saw it, a moment after the user.
 *
 * <p>Found by scanning the tenant's group (assignment) list and reading each one's versions: two partition reads per
 * group, done {@code group-scan-parallelism} at a time, no new table and nothing more for backups to write. A tenant
 * with tens of thousands of groups would want a reverse index (user → groups per run) written by the backup instead;
 * that is a change to the snapshot store's write path, left for when such tenants restore users (RESTORE.md).
 */
final class StateAtVersion {

  /** A group whose version at the time listed the user. */
  record GroupAtVersion(String groupId, String displayName) {}

  private final SnapshotStore store;
  private final Materializer materializer;
  private final int parallelism;

  StateAtVersion(SnapshotStore store, Materializer materializer, int parallelism) {
    this.store = store;
    this.materializer = materializer;
    this.parallelism = parallelism;
  }

  CompletionStage<List<GroupAtVersion>> groupsOf(TenantId tenant, ObjectSnapshot user) {
    return store.allObjects(tenant, ObjectType.GROUPS)
        .mapAsync(parallelism, group -> versionAt(tenant, ObjectType.GROUPS, group, user))
        .filter(Optional::isPresent)
        .map(Optional::get)
        .filter(group -> RestorePlanner.ids(group.state().get("members")).contains(user.objectId()))
        .map(group -> new GroupAtVersion(group.objectId(), group.displayName()))
        .runWith(Sink.seq(), materializer);
  }

  CompletionStage<List<RoleAssignmentRef>> assignmentsOf(TenantId tenant, ObjectSnapshot user) {
    return store.allObjects(tenant, ObjectType.ROLE_ASSIGNMENTS)
        .mapAsync(parallelism, assignment -> versionAt(tenant, ObjectType.ROLE_ASSIGNMENTS, assignment, user))
        .filter(Optional::isPresent)
        .map(Optional::get)
        .filter(assignment -> user.objectId().equals(assignment.state().path("principalId").asText()))
        .map(assignment -> new RoleAssignmentRef(user.objectId(),
            assignment.state().path("roleDefinitionId").asText(),
            assignment.state().path("directoryScopeId").asText("/")))
        .runWith(Sink.seq(), materializer);
  }

  /** The object's version in effect at {@code reference}'s capture; empty when it did not exist then. */
  private CompletionStage<Optional<ObjectSnapshot>> versionAt(TenantId tenant, ObjectType type, ObjectSummary object,
      ObjectSnapshot reference) {
    return store.versions(tenant, type, object.id()).thenCompose(versions -> {
      Optional<VersionInfo> atTime = versions.stream()
          .filter(v -> v.runId().equals(reference.runId()) || !v.capturedAt().isAfter(reference.capturedAt()))
          .findFirst();
      if (atTime.isEmpty() || atTime.get().removed().isPresent()) {
        return CompletableFuture.completedFuture(Optional.<ObjectSnapshot>empty());
      }
      return store.version(tenant, type, object.id(), atTime.get().versionId());
    });
  }
}
