package io.entrabackup.cluster.sharding;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.protocol.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;

/**
 * Several cluster nodes in one JVM, each running a stand-in for the tenant entity (it answers where it runs) placed
 * by {@link PinnedOrEvenAllocationStrategy}: what the allocation tests need, without Cassandra.
 */
final class ShardingCluster implements AutoCloseable {

  static final String TYPE_NAME = "Tenant";
  static final EntityTypeKey<Where> KEY = EntityTypeKey.create(Where.class, TYPE_NAME);
  static final int SHARDS = 12;

  /** Asks an entity for the node it runs on. */
  record Where(ActorRef<Here> replyTo) implements CborSerializable {}

  record Here(String node) implements CborSerializable {}

  private final List<ActorSystem<Void>> nodes = new ArrayList<>();
  private final Config config;

  /** @param absoluteLimit at most this many shards move per rebalance round */
  ShardingCluster(int absoluteLimit) {
    this.config = ConfigFactory.parseString(String.join("\n",
        "pekko.actor.provider = cluster",
        "pekko.remote.artery.canonical.hostname = 127.0.0.1",
        "pekko.remote.artery.canonical.port = 0",
        "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on",
        "pekko.cluster.sharding.number-of-shards = " + SHARDS,
        "pekko.cluster.sharding.rebalance-interval = 300ms",
        "pekko.cluster.sharding.least-shard-allocation-strategy.rebalance-absolute-limit = " + absoluteLimit,
        "pekko.cluster.sharding.least-shard-allocation-strategy.rebalance-relative-limit = 0.5",
        "pekko.coordinated-shutdown.exit-jvm = off",
        "pekko.loglevel = WARNING"))
        .withFallback(ConfigFactory.load());
  }

  /** Starts a node, joins it to the first one (or to itself) and registers the entity there. */
  ActorSystem<Void> start() {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "shards", config);
    Address seed = nodes.isEmpty() ? Cluster.get(system).selfMember().address()
        : Cluster.get(nodes.get(0)).selfMember().address();
    Cluster.get(system).manager().tell(Join.create(seed));
    ClusterSharding.get(system).init(Entity.of(KEY, entity -> whereAmI())
        .withAllocationStrategy(PinnedOrEvenAllocationStrategy.create(system, TYPE_NAME)));
    nodes.add(system);
    awaitAllUp();
    return system;
  }

  private static Behavior<Where> whereAmI() {
    return Behaviors.setup(context -> Behaviors.receiveMessage(where -> {
      where.replyTo().tell(new Here(Cluster.get(context.getSystem()).selfMember().address().toString()));
      return Behaviors.same();
    }));
  }

  /** The node the entity runs on now (starting it where the allocation says, if it does not run). */
  String whereIs(String entityId) {
    TestProbe<Here> probe = TestProbe.create(first());
    ClusterSharding.get(first()).entityRefFor(KEY, entityId).tell(new Where(probe.getRef()));
    return probe.expectMessageClass(Here.class, Duration.ofSeconds(10)).node();
  }

  /** Gracefully leaves and waits until the node's actor system has stopped. */
  void leave(ActorSystem<Void> node) throws Exception {
    Cluster.get(first()).manager().tell(Leave.create(address(node)));
    node.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    nodes.remove(node);
  }

  /** The running nodes other than the one at {@code address}. */
  List<ActorSystem<Void>> nodesOtherThan(String address) {
    return nodes.stream().filter(node -> !address(node).toString().equals(address)).toList();
  }

  ActorSystem<Void> first() {
    return nodes.get(0);
  }

  static Address address(ActorSystem<?> node) {
    return Cluster.get(node).selfMember().address();
  }

  void await(Duration max, Runnable check) {
    TestProbe.create(first()).awaitAssert(max, () -> {
      check.run();
      return null;
    });
  }

  private void awaitAllUp() {
    await(Duration.ofSeconds(20), () -> nodes.forEach(node -> {
      var members = Cluster.get(node).state().getMembers();
      int up = 0;
      for (var member : members) {
        up += member.status().equals(MemberStatus.up()) ? 1 : 0;
      }
      if (up != nodes.size()) {
        throw new AssertionError(up + " of " + nodes.size() + " nodes up");
      }
    }));
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      ActorSystem<Void> node = nodes.get(i);
      node.terminate();
      node.getWhenTerminated().toCompletableFuture().join();
    }
  }
}
