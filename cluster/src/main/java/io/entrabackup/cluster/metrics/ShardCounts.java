package io.entrabackup.cluster.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The shards and entities of one entity type that run on this node, asked of the local shard region every
 * {@code every} and kept for the scrape: a scrape never waits on the cluster, and a region that does not answer (still
 * starting, shutting down) leaves the last figures standing until the next answer.
 */
final class ShardCounts {

  /** Ask the region now. */
  private enum Tick { INSTANCE }

  /** The two gauges of one entity type; what the actor last heard. */
  static final class Gauges {
    private final AtomicInteger shards = new AtomicInteger();
    private final AtomicInteger entities = new AtomicInteger();

    Gauges(MeterRegistry registry, String entityType) {
      Gauge.builder(NodeMetrics.PREFIX + "shards", shards, AtomicInteger::get)
          .description("Shards of this entity type running on this node")
          .tag("entity_type", entityType)
          .strongReference(true)
          .register(registry);
      Gauge.builder(NodeMetrics.PREFIX + "entities", entities, AtomicInteger::get)
          .description("Entities of this entity type running on this node (tenants awake here)")
          .tag("entity_type", entityType)
          .strongReference(true)
          .register(registry);
    }

    void heard(ShardRegion.CurrentShardRegionState state) {
      shards.set(state.getShards().size());
      entities.set(state.getShards().stream().mapToInt(shard -> shard.getEntityIds().size()).sum());
    }
  }

  private ShardCounts() {}

  static Behavior<Object> create(EntityTypeKey<?> type, Gauges gauges, Duration every) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, every);
      return Behaviors.receive(Object.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            ClusterSharding.get(context.getSystem()).shardState()
                .tell(new GetShardRegionState(type, context.getSelf().narrow()));
            return Behaviors.same();
          })
          .onMessage(ShardRegion.CurrentShardRegionState.class, state -> {
            gauges.heard(state);
            return Behaviors.same();
          })
          .build();
    }));
  }
}
