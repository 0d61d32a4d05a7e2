package io.entrabackup.cluster.sharding;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;

/**
 * Where an entity type's shards live: a shard ops pinned to a node ({@link ShardPins}) goes to that node while it is
 * up; every other shard is spread evenly by Pekko's least-shard strategy, with the rebalance limits from
 * {@code pekko.cluster.sharding.least-shard-allocation-strategy}. Pekko's ExternalShardAllocationStrategy alone would
 * put an unpinned shard on whichever node asked first and never balance it; a pin to a node that left would strand
 * nothing here either, since such a pin is simply not honoured until a node at that address is up again
 * (cluster/SHARDING.md).
 */
public final class PinnedOrEvenAllocationStrategy extends ShardCoordinator.AbstractShardAllocationStrategy
    implements ShardCoordinator.ActorSystemDependentAllocationStrategy {

  private static final Logger log = LoggerFactory.getLogger(PinnedOrEvenAllocationStrategy.class);

  private final String typeName;
  private final int absoluteLimit;
  private final double relativeLimit;
  private final ShardCoordinator.ShardAllocationStrategy even;
  private volatile ShardPins pins;
  private volatile Cluster cluster;

  private PinnedOrEvenAllocationStrategy(String typeName, int absoluteLimit, double relativeLimit) {
    this.typeName = typeName;
    this.absoluteLimit = absoluteLimit;
    this.relativeLimit = relativeLimit;
    this.even = ShardCoordinator.ShardAllocationStrategy$.MODULE$.leastShardAllocationStrategy(absoluteLimit,
        relativeLimit);
  }

  /** The strategy for {@code typeName}, its even spread limited as the system's configuration says. */
  public static PinnedOrEvenAllocationStrategy create(org.apache.pekko.actor.typed.ActorSystem<?> system,
      String typeName) {
    Config limits = system.settings().config().getConfig("pekko.cluster.sharding.least-shard-allocation-strategy");
    int absolute = limits.getInt("rebalance-absolute-limit");
    double relative = limits.getDouble("rebalance-relative-limit");
    // Pekko reads 0 as "the deprecated algorithm"; here it means no absolute cap, so the relative limit alone holds.
    return create(typeName, absolute > 0 ? absolute : Integer.MAX_VALUE, relative);
  }

  /** The strategy with explicit limits: at most the lower of both many shards move in one rebalance round. */
  public static PinnedOrEvenAllocationStrategy create(String typeName, int absoluteLimit, double relativeLimit) {
    return new PinnedOrEvenAllocationStrategy(typeName, absoluteLimit, relativeLimit);
  }

  /** Called by the shard coordinator when it starts (on the oldest node; again after a coordinator move). */
  @Override
  public void start(ActorSystem system) {
    if (even instanceof ShardCoordinator.ActorSystemDependentAllocationStrategy dependent) {
      dependent.start(system);
    }
    this.cluster = Cluster.get(system);
    this.pins = new ShardPins(Adapter.toTyped(system), typeName);
  }

  @Override
  public Future<ActorRef> allocateShard(ActorRef requester, String shardId,
      Map<ActorRef, IndexedSeq<String>> currentShardAllocations) {
    return FutureConverters.asScala(placement(currentShardAllocations).thenCompose(placement ->
        placement.pinnedHome(shardId)
            .<CompletionStage<ActorRef>>map(CompletableFuture::completedFuture)
            .orElseGet(() -> FutureConverters.asJava(
                even.allocateShard(requester, shardId, toScala(placement.unpinnedView()))))));
  }

  /**
   * One round at a time, as Pekko's least-shard strategy does: ops' pinned moves first (capped by the same limits, so
   * forgetting or setting many pins does not restart every tenant at once), the even spread when none is due.
   */
  @Override
  public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> currentShardAllocations,
      Set<String> rebalanceInProgress) {
    if (!rebalanceInProgress.isEmpty()) {
      return FutureConverters.asScala(CompletableFuture.completedFuture(Set.of()));
    }
    return FutureConverters.asScala(placement(currentShardAllocations).thenCompose(placement -> {
      Set<String> pinnedMoves = placement.misplacedPins(rebalanceInProgress).stream()
          .limit(limit(placement)).collect(Collectors.toSet());
      if (!pinnedMoves.isEmpty()) {
        log.info("Moving shards {} of {} to the nodes ops pinned them to", pinnedMoves, typeName);
        return CompletableFuture.completedFuture(pinnedMoves);
      }
      return FutureConverters.asJava(even.rebalance(toScala(placement.unpinnedView()),
              CollectionConverters.asScala(rebalanceInProgress).toSet()))
          .thenApply(evenMoves -> Set.copyOf(CollectionConverters.asJava(evenMoves)));
    }));
  }

  /** Pekko's rule for the least-shard strategy: the lower of both limits, at least one. */
  private int limit(ShardPlacement<ActorRef> placement) {
    int shards = placement.regions().values().stream().mapToInt(List::size).sum();
    return Math.max(1, Math.min((int) (relativeLimit * shards), absoluteLimit));
  }

  /** This round's view: the regions, the pins (none if they cannot be read: placement must go on) and who is up. */
  private CompletionStage<ShardPlacement<ActorRef>> placement(Map<ActorRef, IndexedSeq<String>> allocations) {
    Map<ActorRef, List<String>> regions = new HashMap<>();
    allocations.forEach((region, shards) -> regions.put(region, CollectionConverters.asJava(shards)));
    Set<Address> upNodes = new HashSet<>();
    for (Member member : cluster.state().getMembers()) {
      if (member.status().equals(MemberStatus.up())) {
        upNodes.add(member.address());
      }
    }
    return pins.current()
        .exceptionally(error -> {
          log.warn("Shard pins of {} could not be read ({}); placing shards evenly this round", typeName,
              error.toString());
          return Map.of();
        })
        .thenApply(current -> new ShardPlacement<>(regions, this::addressOf, current, upNodes));
  }

  /** A region's node; the local region's ref carries no host, so it is this node. */
  private Address addressOf(ActorRef region) {
    return region.path().address().hasLocalScope() ? cluster.selfAddress() : region.path().address();
  }

  private static scala.collection.immutable.Map<ActorRef, IndexedSeq<String>> toScala(
      Map<ActorRef, List<String>> regions) {
    Map<ActorRef, IndexedSeq<String>> converted = regions.entrySet().stream().collect(Collectors.toMap(
        Map.Entry::getKey, entry -> CollectionConverters.asScala(entry.getValue()).toIndexedSeq()));
    return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(converted));
  }

  @Override
  public String toString() {
    return "PinnedOrEvenAllocationStrategy(" + typeName + ", " + even + ")";
  }
}
