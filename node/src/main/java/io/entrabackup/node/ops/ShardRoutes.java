package io.entrabackup.node.ops;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.cluster.sharding.ShardIds;
import io.entrabackup.cluster.sharding.ShardMap;
import io.entrabackup.cluster.sharding.ShardPins;
import io.entrabackup.cluster.tenant.TenantEntity;
import io.entrabackup.http.ApiJson;
import io.entrabackup.http.Problems;
import io.entrabackup.protocol.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * Ops' view and moves of tenant shards on the Pekko Management port (cluster/SHARDING.md): {@code GET /ops/shards}
 * (every running shard with its node and tenants, {@code ?tenant=} for one tenant's shard), {@code PUT} and
 * {@code DELETE /ops/shards/{shard}/location} (pin a shard to a node, forget the pin) and {@code POST /ops/rebalance}
 * (forget every pin, so all shards are spread evenly). Registered in {@code pekko.management.http.routes}; the
 * changing routes are left out when management is read-only.
 */
public final class ShardRoutes implements ManagementRouteProvider {

  /** A body names a node address; anything longer is not one. */
  private static final long MAX_BODY_BYTES = 4096;

  private final ActorSystem<?> system;
  private final Cluster cluster;
  private final ShardIds shardIds;
  private final ShardMap shardMap;
  private final ShardPins pins;
  private final Duration timeout;

  public ShardRoutes(ExtendedActorSystem classic) {
    this.system = Adapter.toTyped(classic);
    this.cluster = Cluster.get(classic);
    this.shardIds = ShardIds.of(system);
    this.shardMap = new ShardMap(system, TenantEntity.ENTITY_TYPE_KEY.name());
    this.pins = new ShardPins(system, TenantEntity.ENTITY_TYPE_KEY.name());
    this.timeout = classic.settings().config().getDuration("entra-backup.ops.ask-timeout");
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    Route read = pathPrefix("ops", () -> concat(path("shards", () -> get(() ->
        parameterOptional("tenant", tenant -> shards(tenant))))));
    if (settings.readOnly()) {
      return read;
    }
    return concat(read, pathPrefix("ops", () -> concat(
        path(PathMatchers.segment("shards").slash(PathMatchers.segment()).slash("location"), shard -> concat(
            put(() -> withSizeLimit(MAX_BODY_BYTES, () ->
                entity(Unmarshaller.entityToString(), body -> move(shard, body)))),
            delete(() -> unpin(shard)))),
        path("rebalance", () -> post(this::rebalance)))));
  }

  private Route shards(Optional<String> tenantText) {
    Optional<TenantId> tenant;
    try {
      tenant = tenantText.map(TenantId::parse);
    } catch (IllegalArgumentException e) {
      return complete(Problems.badRequest(e.getMessage()));
    }
    CompletionStage<ShardsView> view = shardMap.snapshot(timeout).thenCombine(pins.current(),
        (snapshot, pinned) -> view(snapshot, pinned, tenant));
    return answer(view, StatusCodes.OK);
  }

  private ShardsView view(ShardMap.Snapshot snapshot, Map<String, Address> pinned, Optional<TenantId> tenant) {
    Map<String, String> pinsByShard = new TreeMap<>(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
    pinned.forEach((shard, node) -> pinsByShard.put(shard, node.toString()));
    List<ShardsView.Shard> shards = new ArrayList<>();
    Optional<String> onlyShard = tenant.map(id -> shardIds.shardOf(id.value()));
    for (ShardMap.ShardHome home : snapshot.shards()) {
      if (onlyShard.isEmpty() || onlyShard.get().equals(home.shard())) {
        shards.add(new ShardsView.Shard(home.shard(), home.node().toString(), pinsByShard.get(home.shard()),
            home.entityIds()));
      }
    }
    ShardsView.TenantShard tenantShard = tenant.map(id -> {
      String shard = shardIds.shardOf(id.value());
      Optional<ShardMap.ShardHome> home = snapshot.shards().stream().filter(h -> h.shard().equals(shard)).findFirst();
      return new ShardsView.TenantShard(id.value(), shard, home.map(h -> h.node().toString()).orElse(null),
          home.map(h -> h.entityIds().contains(id.value())).orElse(false));
    }).orElse(null);
    return new ShardsView(shardIds.numberOfShards(), loads(snapshot), shards, pinsByShard,
        snapshot.unanswered().stream().map(Address::toString).toList(), tenantShard);
  }

  private List<ShardsView.NodeLoad> loads(ShardMap.Snapshot snapshot) {
    List<ShardsView.NodeLoad> loads = new ArrayList<>();
    for (Member member : cluster.state().getMembers()) {
      var onNode = snapshot.shards().stream().filter(home -> home.node().equals(member.address())).toList();
      loads.add(new ShardsView.NodeLoad(member.address().toString(), member.status().toString(), onNode.size(),
          onNode.stream().mapToInt(home -> home.entityIds().size()).sum()));
    }
    return loads;
  }

  private Route move(String shardText, String body) {
    Optional<String> shard = shardIds.parse(shardText);
    if (shard.isEmpty()) {
      return complete(unknownShard(shardText));
    }
    Address node;
    try {
      JsonNode json = ApiJson.MAPPER.readTree(body);
      node = AddressFromURIString.parse(json.path("node").asText(""));
    } catch (Exception e) {
      return complete(Problems.badRequest(
          "the body must be {\"node\": \"pekko://entra-backup@host:port\"}, a member's address (GET /cluster/members)"));
    }
    Optional<Member> member = memberAt(node);
    if (member.isEmpty()) {
      return complete(Problems.badRequest("no member of the cluster at " + node + "; members are "
          + memberAddresses()));
    }
    if (!member.get().status().equals(MemberStatus.up())) {
      return complete(Problems.conflict(node + " is " + member.get().status()
          + "; a shard can only be moved to a member that is Up"));
    }
    CompletionStage<ShardsView.Move> moved = pins.pin(shard.get(), node)
        .thenCompose(done -> shardMap.snapshot(timeout))
        .thenApply(snapshot -> new ShardsView.Move(shard.get(), node.toString(),
            snapshot.shards().stream().anyMatch(h -> h.shard().equals(shard.get()) && h.node().equals(node))
                ? "there" : "moving"));
    return answer(moved, StatusCodes.ACCEPTED);
  }

  private Route unpin(String shardText) {
    Optional<String> shard = shardIds.parse(shardText);
    if (shard.isEmpty()) {
      return complete(unknownShard(shardText));
    }
    return answer(pins.unpin(shard.get()).thenApply(done -> Map.of("shard", shard.get(), "state", "unpinned")),
        StatusCodes.OK);
  }

  private Route rebalance() {
    return answer(pins.unpinAll().thenApply(done ->
        Map.of("state", "every pin forgotten; shards spread evenly over the next rebalance rounds")),
        StatusCodes.ACCEPTED);
  }

  /** The value as JSON with {@code status}; a failure (a timeout of the cluster) as a 503 problem, never its text. */
  private <T> Route answer(CompletionStage<T> value, StatusCode status) {
    return onComplete(value, result -> result.isSuccess()
        ? complete(status, result.get(), ApiJson.marshaller())
        : complete(Problems.unavailable("the cluster did not answer in time; try again")));
  }

  private org.apache.pekko.http.javadsl.model.HttpResponse unknownShard(String text) {
    return Problems.notFound("no shard '" + text + "': tenant shards are 0 to " + (shardIds.numberOfShards() - 1));
  }

  private List<String> memberAddresses() {
    List<String> addresses = new ArrayList<>();
    cluster.state().getMembers().forEach(member -> addresses.add(member.address().toString()));
    return addresses;
  }

  private Optional<Member> memberAt(Address node) {
    for (Member member : cluster.state().getMembers()) {
      if (member.address().equals(node)) {
        return Optional.of(member);
      }
    }
    return Optional.empty();
  }
}
