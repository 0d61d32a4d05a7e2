package io.entrabackup.node.ops;

import java.util.List;
import java.util.Map;

/**
 * What {@code GET /ops/shards} answers: every running tenant shard with its node and tenant ids, a count per node,
 * the pins ops set, and the members that did not answer (their shards are missing from the list).
 */
record ShardsView(int numberOfShards, List<NodeLoad> nodes, List<Shard> shards, Map<String, String> pins,
    List<String> unanswered, TenantShard tenant) {

  /** One member: its status and how many shards and running tenants it has. */
  record NodeLoad(String node, String status, int shards, int tenants) {}

  /** A running shard: where, pinned where (null when not pinned), and its running tenants. */
  record Shard(String shard, String node, String pinnedTo, List<String> tenants) {}

  /** The shard a tenant belongs to (asked with ?tenant=), and the node running it (null when not running). */
  record TenantShard(String id, String shard, String node, boolean running) {}

  /** The answer to a move: the shard, where it is pinned now, and whether it already runs there. */
  record Move(String shard, String node, String state) {}
}
