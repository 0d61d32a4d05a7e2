package io.entrabackup.cluster.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.graph.GraphAccessException;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.RestoreAction;
import io.entrabackup.protocol.restore.RestorePlan;
import io.entrabackup.protocol.restore.SkipReason;
import io.entrabackup.protocol.restore.SkippedItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One restore, start to end, as a chain of futures: plan against the directory as it is now, bring the object back
 * (undelete from the recycle bin, or create it anew and have the milestone persisted before anything else), plan again
 * on the object that now exists, and carry out that plan's writes. Planning from live state each time is what makes a
 * resumed or repeated restore safe: what is done already is no longer a difference.
 */
final class RestoreExecution {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The object brought back, as one write each (what the job's figure counts). */
  private static final String UNDELETE = "undelete object";
  private static final String RECREATE = "recreate object";

  private final RestorePlans plans;
  private final RestoreGraph graph;
  private final TenantId tenant;
  private final ObjectSnapshot target;
  private final Function<String, CompletionStage<?>> recreated;
  private final Consumer<String> passwordIssued;
  private final List<SkippedItem> skipped = new ArrayList<>();
  private final RestoreTally tally;
  private RestoreAction action = RestoreAction.UPDATE;
  private Optional<String> newObjectId = Optional.empty();

  /**
   * @param recreated persists the new id of a recreated object; the restore goes on when it completes
   * @param passwordIssued takes a recreated user's temporary password (for the operator, once; never stored)
   */
  RestoreExecution(RestorePlans plans, RestoreGraph graph, TenantId tenant, ObjectSnapshot target,
      Function<String, CompletionStage<?>> recreated, Consumer<String> passwordIssued, RestoreTally tally) {
    this.tally = tally;
    this.plans = plans;
    this.graph = graph;
    this.tenant = tenant;
    this.target = target;
    this.recreated = recreated;
    this.passwordIssued = passwordIssued;
  }

  /** @param recreatedId the object this job created already, when resumed after a crash */
  CompletionStage<RestoreResult> run(Optional<String> recreatedId) {
    recreatedId.ifPresent(id -> {
      action = RestoreAction.RECREATE;
      newObjectId = Optional.of(id);
    });
    String liveId = recreatedId.orElse(target.objectId());
    return plans.prepare(graph, tenant, target, liveId)
        .thenCompose(input -> bringBack(input, liveId))
        .thenCompose(this::apply)
        .thenApply(ignored -> new RestoreResult(action, tally.count(), List.copyOf(skipped), newObjectId));
  }

  /** Undeletes or recreates when the plan says so; answers the input to plan the writes with. */
  private CompletionStage<Optional<PlanInput>> bringBack(PlanInput input, String liveId) {
    RestorePlan plan = RestorePlanner.plan(input);
    if (objectSkipped(plan)) {
      skipped.addAll(plan.skipped());
      return CompletableFuture.completedFuture(Optional.empty());
    }
    RestoreAction planned = plan.action();
    if (planned == RestoreAction.UNDELETE) {
      action = RestoreAction.UNDELETE;
      return tally.intend(UNDELETE).thenCompose(intended -> graph.post("/directory/deletedItems/" + liveId
          + "/restore", null)).thenCompose(response -> {
        if (response.status() == 404) { // purged meanwhile: recreate instead
          return recreate(liveId);
        }
        if (!response.ok()) {
          return refusedObject(response, "Undeleting");
        }
        tally.made(UNDELETE);
        return plans.prepare(graph, tenant, target, liveId).thenApply(Optional::of);
      });
    }
    if (planned == RestoreAction.RECREATE && (target.type() == ObjectType.USERS
        || target.type() == ObjectType.GROUPS)) {
      return recreate(liveId);
    }
    if (planned == RestoreAction.RECREATE) {
      action = RestoreAction.RECREATE;
    }
    return CompletableFuture.completedFuture(Optional.of(input));
  }

  private CompletionStage<Optional<PlanInput>> recreate(String oldId) {
    action = RestoreAction.RECREATE;
    boolean user = target.type() == ObjectType.USERS;
    Optional<String> password = user ? Optional.of(TemporaryPasswords.next()) : Optional.empty();
    ObjectNode body = user ? userBody(target.state(), password.get()) : groupBody(target.state());
    return tally.intend(RECREATE).thenCompose(intended -> graph.post(user ? "/users" : "/groups", body))
        .thenCompose(response -> {
      if (!response.ok()) {
        return refusedObject(response, "Creating the object anew");
      }
      String id = response.body().path("id").asText();
      tally.made(RECREATE);
      newObjectId = Optional.of(id);
      password.ifPresent(passwordIssued);
      return recreated.apply(id)
          .thenCompose(persisted -> plans.prepare(graph, tenant, target, id))
          .thenApply(Optional::of);
    });
  }

  /** Graph would not bring the object back: a permission refusal is a skipped item, anything else fails the job. */
  private CompletionStage<Optional<PlanInput>> refusedObject(GraphResponse response, String what) {
    if (response.status() == 403) {
      skipped.add(new SkippedItem(target.type().apiName(), target.objectId(), "object",
          SkipReason.PERMISSION_REFUSED, what + " was refused: " + response.describe(), response.errorCode()));
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return CompletableFuture.failedFuture(new GraphAccessException(null, what + " " + target.type().apiName() + " "
        + target.objectId() + " failed: Graph answered " + response.describe(), null));
  }

  private CompletionStage<Void> apply(Optional<PlanInput> input) {
    if (input.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    RestorePlan plan = RestorePlanner.plan(input.get());
    skipped.addAll(plan.skipped());
    String liveId = input.get().live().id().orElse(newObjectId.orElse(target.objectId()));
    return new PlanSteps(graph, plan, target.type(), liveId, tally).run().thenAccept(steps -> {
      skipped.addAll(steps.skipped());
      if (target.type() == ObjectType.ROLE_ASSIGNMENTS && steps.createdAssignment().isPresent()) {
        newObjectId = steps.createdAssignment();
      }
    });
  }

  private static boolean objectSkipped(RestorePlan plan) {
    return plan.skipped().stream().anyMatch(item -> item.item().equals("object"));
  }

  /** POST /users needs these; the rest of the version's properties follow in the plan's PATCH. */
  static ObjectNode userBody(ObjectNode state, String password) {
    ObjectNode body = JSON.createObjectNode();
    String upn = state.path("userPrincipalName").asText();
    body.put("accountEnabled", state.path("accountEnabled").asBoolean(true));
    body.put("displayName", text(state, "displayName", upn));
    body.put("mailNickname", text(state, "mailNickname", upn.contains("@") ? upn.substring(0, upn.indexOf('@'))
        : upn));
    body.put("userPrincipalName", upn);
    body.putObject("passwordProfile").put("forceChangePasswordNextSignIn", true).put("password", password);
    return body;
  }

  /** POST /groups needs these (and what can only be set at creation); the rest follows in the plan's PATCH. */
  static ObjectNode groupBody(ObjectNode state) {
    ObjectNode body = JSON.createObjectNode();
    body.put("displayName", text(state, "displayName", "Restored group"));
    body.put("mailEnabled", state.path("mailEnabled").asBoolean(false));
    body.put("mailNickname", text(state, "mailNickname", "restored-" + state.path("id").asText()));
    body.put("securityEnabled", state.path("securityEnabled").asBoolean(true));
    for (String onlyAtCreation : List.of("groupTypes", "membershipRule", "membershipRuleProcessingState",
        "isAssignableToRole", "visibility")) {
      JsonNode value = state.get(onlyAtCreation);
      if (value != null && !value.isNull()) {
        body.set(onlyAtCreation, value);
      }
    }
    return body;
  }

  private static String text(ObjectNode state, String name, String fallback) {
    String value = state.path(name).asText("");
    return value.isBlank() ? fallback : value;
  }
}
