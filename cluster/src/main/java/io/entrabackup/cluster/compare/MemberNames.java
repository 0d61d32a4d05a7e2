package io.entrabackup.cluster.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectComparison.Member;
import io.entrabackup.protocol.backup.ObjectType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Names members and owners from their latest backup, so a comparison shows people and groups, not ids. A member no
 * backup holds (a service principal, a device) keeps its id and Graph type only.
 */
final class MemberNames {

  private static final String GRAPH_TYPE_PREFIX = "#microsoft.graph.";

  private final SnapshotStore store;

  MemberNames(SnapshotStore store) {
    this.store = store;
  }

  /** {@code ids} named, in order; {@code references} give each one's Graph type where a snapshot recorded it. */
  CompletionStage<List<Member>> of(TenantId tenant, List<String> ids, Map<String, JsonNode> references) {
    List<CompletableFuture<Member>> reads = new ArrayList<>(ids.size());
    for (String id : ids) {
      Optional<String> type = Optional.ofNullable(references.get(id))
          .map(reference -> reference.path("@odata.type").asText(""))
          .filter(text -> text.startsWith(GRAPH_TYPE_PREFIX))
          .map(text -> text.substring(GRAPH_TYPE_PREFIX.length()));
      reads.add(named(tenant, id, type).toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
        .thenApply(done -> reads.stream().map(CompletableFuture::join).toList());
  }

  /** A known type is read from its own type; an unknown one (a live-only member) from users, then groups. */
  private CompletionStage<Member> named(TenantId tenant, String id, Optional<String> type) {
    if (type.isPresent()) {
      Optional<ObjectType> backedUp = switch (type.get()) {
        case "user" -> Optional.of(ObjectType.USERS);
        case "group" -> Optional.of(ObjectType.GROUPS);
        default -> Optional.empty();
      };
      return backedUp.map(objectType -> store.latest(tenant, objectType, id)
              .thenApply(found -> member(id, type, found)))
          .orElseGet(() -> CompletableFuture.completedFuture(member(id, type, Optional.empty())));
    }
    return store.latest(tenant, ObjectType.USERS, id).thenCompose(user -> user.isPresent()
        ? CompletableFuture.completedFuture(member(id, Optional.of("user"), user))
        : store.latest(tenant, ObjectType.GROUPS, id).thenApply(group ->
            member(id, group.map(found -> "group"), group)));
  }

  private static Member member(String id, Optional<String> type, Optional<ObjectSnapshot> latest) {
    return new Member(id, type, latest.map(ObjectSnapshot::displayName),
        latest.flatMap(snapshot -> text(snapshot.state().get("userPrincipalName"))
            .or(() -> text(snapshot.state().get("mail")))));
  }

  private static Optional<String> text(JsonNode value) {
    return Optional.ofNullable(value).filter(JsonNode::isTextual).map(JsonNode::asText).filter(s -> !s.isBlank());
  }
}
