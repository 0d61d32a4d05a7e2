package io.entrabackup.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;

/**
 * A node joins the Pekko cluster only once the Cassandra schema is in place and agreed, and only one process ever
 * creates the schema.
 *
 * <p><b>Why the join waits.</b> Pekko joins the configured {@code pekko.cluster.seed-nodes} as soon as the actor system
 * starts, and a member that is {@code Up} gets shards: its tenant entities would recover from a journal table, and
 * remembered entities write to one, that its Cassandra coordinator may not know yet. So the node is started with an
 * empty seed-node list ({@link #deferJoin}: the configured list is kept aside, the setting operators write stays
 * {@code pekko.cluster.seed-nodes}) and joins those same seed nodes itself ({@link #join}) after the schema gate.
 *
 * <p><b>Who creates the schema.</b> Cassandra does not tolerate two processes creating the same table at the same
 * moment (each makes its own table id; the Cassandra nodes then disagree, and a table "does not exist" on some of them
 * for as long as that lasts). In production the schema is made once, by {@code deploy/schema}, and every node runs
 * with {@code create-schema = off} and waits for it. In development {@code create-schema = on} lets a node make it
 * itself, through the same code; but if several nodes are configured with it and start together, only the node whose
 * address is the first seed node creates the schema, and the others wait for it, as {@link #schemaMadeElsewhere} says.
 * That is the same node Pekko lets form a new cluster, so no lock table is needed (creating a lock table would itself
 * race) and the rule needs nothing but configuration every node already shares.
 */
public final class JoinAfterSchema {

  /** Where {@link #deferJoin} keeps the configured seed nodes. Not a setting: Node.start fills it. */
  static final String DEFERRED_SEED_NODES = "entra-backup.internal.deferred-seed-nodes";
  private static final String SEED_NODES = "pekko.cluster.seed-nodes";

  private JoinAfterSchema() {}

  /**
   * The configuration to start a node's actor system with: the same, but with the seed nodes kept aside, so that Pekko
   * does not join them on its own before the schema is ready.
   */
  public static Config deferJoin(Config config) {
    return config
        .withValue(DEFERRED_SEED_NODES, ConfigValueFactory.fromIterable(config.getStringList(SEED_NODES)))
        .withValue(SEED_NODES, ConfigValueFactory.fromIterable(List.of()));
  }

  /**
   * Why this node does not create the schema itself even though {@code create-schema = on}, or empty when it is the one
   * that may: it has no seed nodes (a one-node cluster) or is the first of them.
   */
  static Optional<String> schemaMadeElsewhere(ActorSystem<?> system) {
    List<Address> seeds = seedNodes(system);
    Address self = Cluster.get(system).selfMember().address();
    if (seeds.isEmpty() || seeds.get(0).equals(self)) {
      return Optional.empty();
    }
    return Optional.of("the first seed node " + seeds.get(0) + " (create-schema = on creates it only there; this node"
        + " is " + self + ")");
  }

  /** Joins the configured seed nodes, or forms a one-node cluster when none are configured (development). */
  static void join(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    List<Address> seeds = seedNodes(system);
    if (!system.settings().config().hasPath(DEFERRED_SEED_NODES)
        && !system.settings().config().getStringList(SEED_NODES).isEmpty()) {
      return; // Started without deferJoin: Pekko joins the seed nodes itself.
    }
    if (seeds.isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } else {
      cluster.manager().tell(new JoinSeedNodes(seeds));
    }
  }

  private static List<Address> seedNodes(ActorSystem<?> system) {
    Config config = system.settings().config();
    List<String> seeds = config.hasPath(DEFERRED_SEED_NODES)
        ? config.getStringList(DEFERRED_SEED_NODES)
        : config.getStringList(SEED_NODES);
    return seeds.stream().map(AddressFromURIString::parse).toList();
  }
}
