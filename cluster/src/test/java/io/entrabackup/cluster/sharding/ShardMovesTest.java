package io.entrabackup.cluster.sharding;

import static io.entrabackup.testing.Awaits.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.sharding.ShardMap.ShardHome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;

/** Shards ops move, and the even spread of the rest, on a real three-node cluster in one JVM. */
class ShardMovesTest {

  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final ShardIds SHARD_IDS = new ShardIds(ShardingCluster.SHARDS);

  @Test
  void aPinnedShardMovesToTheChosenNodeAndItsEntityRunsThere() throws Exception {
    try (var cluster = new ShardingCluster(10)) {
      cluster.start();
      cluster.start();
      cluster.start();
      String tenant = "tenant-moved";
      String shard = SHARD_IDS.shardOf(tenant);
      String before = cluster.whereIs(tenant);
      Address target = ShardingCluster.address(cluster.nodesOtherThan(before).get(0));

      await(new ShardPins(cluster.first(), ShardingCluster.TYPE_NAME).pin(shard, target));

      cluster.await(SETTLE, () -> assertEquals(target.toString(), cluster.whereIs(tenant)));
      ShardHome home = shardMap(cluster).shards().stream().filter(h -> h.shard().equals(shard)).findFirst()
          .orElseThrow();
      assertEquals(target, home.node());
      assertTrue(home.entityIds().contains(tenant), home.toString());
    }
  }

  @Test
  void unpinnedShardsSpreadEvenlyOverThreeNodesAfterAJoin() throws Exception {
    // Two per round: the join's four moves take several rounds, proving the limit does not stall the spread.
    try (var cluster = new ShardingCluster(2)) {
      cluster.start();
      cluster.start();
      List<String> oneTenantPerShard = oneTenantPerShard();
      oneTenantPerShard.forEach(cluster::whereIs);
      ActorSystem<Void> joined = cluster.start();

      cluster.await(SETTLE, () -> {
        // A shard moved away starts again at its next message: keep every tenant asked, as traffic would.
        oneTenantPerShard.forEach(cluster::whereIs);
        Map<String, Long> perNode = shardsPerNode(shardMap(cluster));
        assertEquals(3, perNode.size(), perNode.toString());
        perNode.values().forEach(count -> assertEquals(ShardingCluster.SHARDS / 3, count, perNode.toString()));
      });
      assertTrue(shardsPerNode(shardMap(cluster)).containsKey(ShardingCluster.address(joined).toString()));
    }
  }

  @Test
  void aShardPinnedToANodeThatLeftRunsElsewhere() throws Exception {
    try (var cluster = new ShardingCluster(10)) {
      cluster.start();
      cluster.start();
      ActorSystem<Void> leaving = cluster.start();
      String tenant = "tenant-stranded";
      String shard = SHARD_IDS.shardOf(tenant);
      Address gone = ShardingCluster.address(leaving);
      await(new ShardPins(cluster.first(), ShardingCluster.TYPE_NAME).pin(shard, gone));
      cluster.await(SETTLE, () -> assertEquals(gone.toString(), cluster.whereIs(tenant)));

      cluster.leave(leaving);

      cluster.await(SETTLE, () -> assertNotEquals(gone.toString(), cluster.whereIs(tenant)));
      // The pin is kept (a node back at that address takes the shard again); it just is not honoured meanwhile. A
      // replica may miss it for a moment around the leave; gossip from the others brings it back.
      var pins = new ShardPins(cluster.first(), ShardingCluster.TYPE_NAME);
      cluster.await(SETTLE, () -> assertEquals(gone, pinsNow(pins).get(shard)));
    }
  }

  @Test
  void anUnpinnedShardIsPlacedEvenlyAgain() throws Exception {
    try (var cluster = new ShardingCluster(10)) {
      cluster.start();
      cluster.start();
      var pins = new ShardPins(cluster.first(), ShardingCluster.TYPE_NAME);
      List<String> tenants = oneTenantPerShard();
      tenants.forEach(cluster::whereIs);
      // Every shard pinned to the first node: all of them gather there.
      for (String tenant : tenants) {
        await(pins.pin(SHARD_IDS.shardOf(tenant), ShardingCluster.address(cluster.first())));
      }
      cluster.await(SETTLE, () -> {
        tenants.forEach(cluster::whereIs);
        assertEquals(1, shardsPerNode(shardMap(cluster)).size());
      });

      await(pins.unpinAll());

      assertEquals(Map.of(), await(pins.current()));
      cluster.await(SETTLE, () -> {
        tenants.forEach(cluster::whereIs);
        Map<String, Long> perNode = shardsPerNode(shardMap(cluster));
        assertEquals(List.of(6L, 6L), List.copyOf(perNode.values()), perNode.toString());
      });
    }
  }

  private static Map<String, Address> pinsNow(ShardPins pins) {
    try {
      return await(pins.current());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ShardMap.Snapshot shardMap(ShardingCluster cluster) {
    try {
      ShardMap.Snapshot snapshot = await(new ShardMap(cluster.first(), ShardingCluster.TYPE_NAME)
          .snapshot(Duration.ofSeconds(5)));
      assertEquals(List.of(), snapshot.unanswered());
      return snapshot;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Map<String, Long> shardsPerNode(ShardMap.Snapshot snapshot) {
    return snapshot.shards().stream()
        .collect(Collectors.groupingBy(home -> home.node().toString(), TreeMap::new, Collectors.counting()));
  }

  /** One tenant id in each shard, found by hashing candidates as sharding does. */
  private static List<String> oneTenantPerShard() {
    Map<String, String> byShard = new TreeMap<>();
    IntStream.range(0, 1000).mapToObj(i -> "tenant-" + i)
        .forEach(tenant -> byShard.putIfAbsent(SHARD_IDS.shardOf(tenant), tenant));
    assertEquals(ShardingCluster.SHARDS, byShard.size());
    return List.copyOf(byShard.values());
  }
}
