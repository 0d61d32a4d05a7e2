package io.entrabackup.cluster.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.graph.GraphAccessException;
import io.entrabackup.cluster.graph.read.Selects;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.LiveState;
import io.entrabackup.protocol.restore.RoleAssignmentRef;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads what a restore compares with: the live object (or its recycle-bin entry), its members and owners, and role
 * assignments. Reads select the same properties the backup keeps, so "equal" means equal as backed up.
 */
final class LiveReader {

  private static final String ROLE_ASSIGNMENTS = "/roleManagement/directory/roleAssignments";

  private final RestoreGraph graph;

  LiveReader(RestoreGraph graph) {
    this.graph = graph;
  }

  CompletionStage<LiveObject> read(ObjectType type, String id) {
    return switch (type) {
      case USERS -> directoryObject("/users/", id, type, false);
      case GROUPS -> directoryObject("/groups/", id, type, true);
      case DIRECTORY_ROLES -> graph.get("/directoryRoles/" + id).thenCompose(response -> {
        if (response.status() == 404) {
          return CompletableFuture.completedFuture(LiveObject.gone());
        }
        ObjectNode properties = require(response, "directory role " + id);
        return ids("/directoryRoles/" + id + "/members?$select=id").thenApply(members ->
            new LiveObject(LiveState.LIVE, Optional.of(properties), members, Set.of()));
      });
      case ROLE_ASSIGNMENTS -> graph.get(ROLE_ASSIGNMENTS + "/" + id).thenApply(response -> response.status() == 404
          ? LiveObject.gone()
          : new LiveObject(LiveState.LIVE, Optional.of(require(response, "role assignment " + id)), Set.of(),
              Set.of()));
      case ROLE_DEFINITIONS -> CompletableFuture.failedFuture(
          new IllegalArgumentException("role definitions are not restored"));
    };
  }

  /** A live group's properties, or empty when it does not exist (any more). */
  CompletionStage<Optional<ObjectNode>> group(String id) {
    return graph.get("/groups/" + id + "?$select=" + select(ObjectType.GROUPS)).thenApply(response ->
        response.status() == 404 ? Optional.empty() : Optional.of(require(response, "group " + id)));
  }

  /** Member ids of a live group (every page). */
  CompletionStage<Set<String>> groupMembers(String id) {
    return ids("/groups/" + id + "/members?$select=id");
  }

  /** Role assignments whose principal is {@code principalId}, as they are now. */
  CompletionStage<List<RoleAssignmentRef>> assignmentsOf(String principalId) {
    return assignments("principalId eq '" + principalId + "'");
  }

  /** Live role assignments equal to {@code wanted} (at most one, as Graph refuses duplicates). */
  CompletionStage<List<RoleAssignmentRef>> assignmentsLike(RoleAssignmentRef wanted) {
    return assignments("principalId eq '" + wanted.principalId() + "' and roleDefinitionId eq '"
        + wanted.roleDefinitionId() + "' and directoryScopeId eq '" + wanted.directoryScopeId() + "'");
  }

  private CompletionStage<List<RoleAssignmentRef>> assignments(String filter) {
    String path = ROLE_ASSIGNMENTS + "?$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
    return pages(path, new ArrayList<>()).thenApply(values -> values.stream()
        .map(a -> new RoleAssignmentRef(a.path("principalId").asText(), a.path("roleDefinitionId").asText(),
            a.path("directoryScopeId").asText("/")))
        .toList());
  }

  private CompletionStage<LiveObject> directoryObject(String collection, String id, ObjectType type,
      boolean relations) {
    return graph.get(collection + id + "?$select=" + select(type)).thenCompose(response -> {
      if (response.status() == 404) {
        return graph.get("/directory/deletedItems/" + id).thenApply(deleted -> deleted.status() == 404
            ? LiveObject.gone()
            : new LiveObject(LiveState.SOFT_DELETED, Optional.of(require(deleted, "deleted item " + id)),
                Set.of(), Set.of()));
      }
      ObjectNode properties = require(response, type.apiName() + " " + id);
      if (!relations) {
        return CompletableFuture.completedFuture(
            new LiveObject(LiveState.LIVE, Optional.of(properties), Set.of(), Set.of()));
      }
      return ids(collection + id + "/members?$select=id").thenCombine(ids(collection + id + "/owners?$select=id"),
          (members, owners) -> new LiveObject(LiveState.LIVE, Optional.of(properties), members, owners));
    });
  }

  private CompletionStage<Set<String>> ids(String path) {
    return pages(path, new ArrayList<>()).thenApply(values -> {
      Set<String> ids = new TreeSet<>();
      values.forEach(value -> ids.add(value.path("id").asText()));
      return ids;
    });
  }

  /** Every {@code value} of a paged list, following {@code @odata.nextLink}. */
  private CompletionStage<List<JsonNode>> pages(String path, List<JsonNode> into) {
    return graph.get(path).thenCompose(response -> {
      JsonNode body = require(response, path);
      body.path("value").forEach(into::add);
      String next = body.path("@odata.nextLink").asText("");
      return next.isEmpty() ? CompletableFuture.completedFuture(into) : pages(next, into);
    });
  }

  /** The object a successful read answered; any other answer fails the read with Graph's words. */
  private ObjectNode require(GraphResponse response, String what) {
    if (!response.ok() || !response.body().isObject()) {
      throw new GraphAccessException(null, "Reading " + what + " failed: Graph answered " + response.describe(),
          null);
    }
    return (ObjectNode) response.body();
  }

  private static String select(ObjectType type) {
    return String.join(",", Selects.of(type).stream()
        .filter(name -> !name.equals("manager") && !name.equals("members") && !name.equals("owners"))
        .toList());
  }
}
