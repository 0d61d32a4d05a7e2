package io.entrabackup.cluster.sharding;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.sharding.external.ExternalShardAllocation;

/**
 * The shards ops pinned to a node, for one entity type. Pins are the map Pekko's external shard allocation keeps in
 * Distributed Data (written by its client, replicated to every node, kept while any node runs); the
 * {@link PinnedOrEvenAllocationStrategy} reads them on the coordinator's node.
 */
public final class ShardPins {

  private final ActorSystem<?> system;
  private final String typeName;
  private final Key<LWWMap<String, String>> key;
  private final Duration timeout;

  public ShardPins(ActorSystem<?> system, String typeName) {
    this.system = system;
    this.typeName = typeName;
    // The key ExternalShardAllocationClient writes (Pekko's ExternalShardAllocationStrategy.ddataKey, not public).
    this.key = LWWMapKey.create("external-sharding-" + typeName);
    this.timeout = system.settings().config()
        .getDuration("pekko.cluster.sharding.external-shard-allocation-strategy.client-timeout");
  }

  /** Pins a shard to a node: the coordinator moves it there on its next rebalance round. */
  public CompletionStage<Done> pin(String shard, Address node) {
    return ExternalShardAllocation.get(system).getClient(typeName).setShardLocation(shard, node);
  }

  // Written locally and spread by gossip, as Pekko's own client writes pins: the coordinator sees it within a gossip
  // round, and a write never waits on a node that is down.

  /** Forgets a shard's pin: the even spread places it from now on. */
  public CompletionStage<Done> unpin(String shard) {
    return update(pins -> pins.remove(self(), shard));
  }

  /** Forgets every pin. */
  public CompletionStage<Done> unpinAll() {
    return update(pins -> {
      LWWMap<String, String> left = pins;
      for (String shard : pins.getEntries().keySet()) {
        left = left.remove(self(), shard);
      }
      return left;
    });
  }

  /** The pins as this node's replica knows them (Distributed Data spreads a change within a gossip round). */
  public CompletionStage<Map<String, Address>> current() {
    return AskPattern.<Replicator.Command, Replicator.GetResponse<LWWMap<String, String>>>ask(replicator(),
            replyTo -> new Replicator.Get<>(key, Replicator.readLocal(), replyTo), timeout, system.scheduler())
        .thenApply(this::pinsOf);
  }

  private Map<String, Address> pinsOf(Replicator.GetResponse<LWWMap<String, String>> response) {
    Map<String, Address> pins = new TreeMap<>();
    if (response instanceof Replicator.GetSuccess<LWWMap<String, String>> success) {
      success.get(key).getEntries().forEach((shard, node) -> pins.put(shard, AddressFromURIString.parse(node)));
    }
    return pins;
  }

  /**
   * Reads the pins from a majority first (which merges them into this replica: one that just missed them, as can
   * happen for a moment around a member leaving, would otherwise remove nothing), then changes them here.
   */
  private CompletionStage<Done> update(Function<LWWMap<String, String>, LWWMap<String, String>> change) {
    return AskPattern.<Replicator.Command, Replicator.GetResponse<LWWMap<String, String>>>ask(replicator(),
            replyTo -> new Replicator.Get<>(key, new Replicator.ReadMajority(timeout), replyTo),
            timeout.plus(timeout), system.scheduler())
        .exceptionally(unread -> null)
        .thenCompose(read -> AskPattern.<Replicator.Command, Replicator.UpdateResponse<LWWMap<String, String>>>ask(
            replicator(), replyTo -> new Replicator.Update<>(key, LWWMap.empty(), Replicator.writeLocal(), replyTo,
                change), timeout, system.scheduler()))
        .thenApply(response -> {
          if (response instanceof Replicator.UpdateSuccess<?>) {
            return Done.getInstance();
          }
          throw new IllegalStateException("pin change not stored: " + response);
        });
  }

  private org.apache.pekko.actor.typed.ActorRef<Replicator.Command> replicator() {
    return DistributedData.get(system).replicator();
  }

  private SelfUniqueAddress self() {
    return DistributedData.get(system).selfUniqueAddress();
  }
}
