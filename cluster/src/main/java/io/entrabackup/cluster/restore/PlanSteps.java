package io.entrabackup.cluster.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.RestorePlan;
import io.entrabackup.protocol.restore.RoleAssignmentRef;
import io.entrabackup.protocol.restore.SkipReason;
import io.entrabackup.protocol.restore.SkippedItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Carries out the writes of one plan on the live object, one after the other, and sorts Graph's answers: a change, a
 * no-op (the reference already exists, the member is already gone: a retried restore finds its work done), or a
 * skipped item with Graph's code (permission refused, member no longer exists, refused). Only a failure to reach
 * Graph at all (throttling beyond our retries, lost authorization) fails the steps.
 */
final class PlanSteps {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RestoreGraph graph;
  private final RestorePlan plan;
  private final ObjectType type;
  private final String liveId;
  private final List<SkippedItem> skipped = new ArrayList<>();
  private final RestoreTally tally;

  /** @param tally counts the writes made (each recorded as intended before it is sent) */
  PlanSteps(RestoreGraph graph, RestorePlan plan, ObjectType type, String liveId, RestoreTally tally) {
    this.graph = graph;
    this.plan = plan;
    this.type = type;
    this.liveId = liveId;
    this.tally = tally;
  }

  List<SkippedItem> skipped() {
    return List.copyOf(skipped);
  }

  CompletionStage<PlanSteps> run() {
    List<Supplier<CompletionStage<Void>>> steps = new ArrayList<>();
    if (!plan.propertiesToSet().isEmpty()) {
      steps.add(this::patchAll);
    }
    plan.membersToRemove().forEach(id -> steps.add(() -> removeReference(path(), "members", id)));
    plan.membersToAdd().forEach(id -> steps.add(() -> addReference(path(), "members", id, id)));
    plan.ownersToAdd().forEach(id -> steps.add(() -> addReference(path(), "owners", id, id)));
    plan.ownersToRemove().forEach(id -> steps.add(() -> removeReference(path(), "owners", id)));
    plan.membershipsToAdd().forEach(groupId ->
        steps.add(() -> addReference("/groups/" + groupId, "members", liveId, "memberOf/" + groupId)));
    plan.roleAssignmentsToAdd().forEach(assignment -> steps.add(() -> addAssignment(assignment)));
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (Supplier<CompletionStage<Void>> step : steps) {
      chain = chain.thenCompose(ignored -> step.get());
    }
    return chain.thenApply(ignored -> this);
  }

  /** One PATCH with every property; when Graph refuses it (all or nothing), one PATCH each to find which. */
  private CompletionStage<Void> patchAll() {
    ObjectNode body = JSON.createObjectNode();
    plan.propertiesToSet().forEach(body::set);
    List<String> writes = plan.propertiesToSet().keySet().stream().map(PlanSteps::setWrite).toList();
    return tally.intend(writes).thenCompose(intended -> graph.patch(path(), body)).thenCompose(response -> {
      if (response.ok()) {
        writes.forEach(tally::made);
        return CompletableFuture.completedFuture(null);
      }
      if (response.status() == 403) {
        plan.propertiesToSet().keySet().forEach(name -> skipRefused(name, response));
        return CompletableFuture.completedFuture(null);
      }
      CompletionStage<Void> each = CompletableFuture.completedFuture(null);
      for (Map.Entry<String, JsonNode> property : plan.propertiesToSet().entrySet()) {
        each = each.thenCompose(ignored -> patchOne(property.getKey(), property.getValue()));
      }
      return each;
    });
  }

  private CompletionStage<Void> patchOne(String name, JsonNode value) {
    ObjectNode body = JSON.createObjectNode();
    body.set(name, value);
    return graph.patch(path(), body).thenAccept(response -> {
      if (response.ok()) {
        tally.made(setWrite(name));
      } else {
        skipRefused(name, response);
      }
    });
  }

  private CompletionStage<Void> addReference(String owner, String relation, String id, String item) {
    ObjectNode body = JSON.createObjectNode().put("@odata.id", graph.directoryObjectUrl(id));
    String write = "add " + (item.startsWith("memberOf/") ? item : relation + "/" + id);
    return tally.intend(write).thenCompose(intended -> graph.post(owner + "/" + relation + "/$ref", body))
        .thenAccept(response -> {
      if (response.ok()) {
        tally.made(write);
      } else if (!response.alreadyExists()) {
        if (response.status() == 404) {
          skip(item.startsWith("memberOf/") ? item : relation + "/" + id, SkipReason.MEMBER_GONE,
              "No longer exists in the directory: " + response.describe(), response);
        } else {
          skipRefused(item.startsWith("memberOf/") ? item : relation + "/" + id, response);
        }
      }
    });
  }

  private CompletionStage<Void> removeReference(String owner, String relation, String id) {
    String write = "remove " + relation + "/" + id;
    return tally.intend(write).thenCompose(intended -> graph.delete(owner + "/" + relation + "/" + id + "/$ref"))
        .thenAccept(response -> {
      if (response.ok()) {
        tally.made(write);
      } else if (response.status() != 404) { // 404: not a member (any more), which is what we wanted
        skipRefused(relation + "/" + id, response);
      }
    });
  }

  private CompletionStage<Void> addAssignment(RoleAssignmentRef wanted) {
    // A user's assignments name the user's id at the version; a recreated user has another one now.
    String principal = type == ObjectType.USERS ? liveId : wanted.principalId();
    ObjectNode body = JSON.createObjectNode()
        .put("principalId", principal)
        .put("roleDefinitionId", wanted.roleDefinitionId())
        .put("directoryScopeId", wanted.directoryScopeId());
    String item = "roleAssignments/" + wanted.roleDefinitionId() + "@" + wanted.directoryScopeId();
    String write = "add " + item;
    return tally.intend(write).thenCompose(intended -> graph.post("/roleManagement/directory/roleAssignments", body))
        .thenAccept(response -> {
      if (response.ok()) {
        tally.made(write);
        created = Optional.ofNullable(response.body().path("id").asText(null));
      } else if (!response.alreadyExists()) {
        if (response.status() == 404) {
          skip(item, SkipReason.MEMBER_GONE, "The principal or role no longer exists: " + response.describe(),
              response);
        } else {
          skipRefused(item, response);
        }
      }
    });
  }

  private Optional<String> created = Optional.empty();

  /** A property set: one write each, as the job counts them (one PATCH may carry several). */
  private static String setWrite(String property) {
    return "set " + property;
  }

  /** The id of the role assignment these steps created (a restored assignment is a new one). */
  Optional<String> createdAssignment() {
    return created;
  }

  private void skipRefused(String item, GraphResponse response) {
    if (response.status() == 403) {
      skip(item, SkipReason.PERMISSION_REFUSED, "Graph refused the write: the app's consented permissions (or"
          + " its directory role, for administrators) do not allow it: " + response.describe(), response);
    } else {
      skip(item, SkipReason.REFUSED, "Graph refused the write: " + response.describe(), response);
    }
  }

  private void skip(String item, SkipReason reason, String message, GraphResponse response) {
    skipped.add(new SkippedItem(type.apiName(), plan.objectId(), item, reason, message, response.errorCode()));
  }

  /**
   * The live object in Graph: {@code /users/{id}}, {@code /groups/{id}}, {@code /directoryRoles/{id}} (plans set
   * properties only on users and groups, and members and owners only on groups and directory roles).
   */
  private String path() {
    return "/" + type.apiName() + "/" + liveId;
  }
}
