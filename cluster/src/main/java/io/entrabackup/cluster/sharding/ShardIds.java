package io.entrabackup.cluster.sharding;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;

/**
 * The shards an entity type has and the shard of an entity id, computed as cluster sharding computes them (its
 * default hash extractor over {@code pekko.cluster.sharding.number-of-shards}), so ops find a tenant's shard even
 * when the tenant is not running.
 */
public final class ShardIds {

  private final int numberOfShards;
  private final HashCodeMessageExtractor<Object> extractor;

  public ShardIds(int numberOfShards) {
    this.numberOfShards = numberOfShards;
    this.extractor = new HashCodeMessageExtractor<>(numberOfShards);
  }

  public static ShardIds of(ActorSystem<?> system) {
    return new ShardIds(system.settings().config().getInt("pekko.cluster.sharding.number-of-shards"));
  }

  /** The shard an entity with this id runs in. */
  public String shardOf(String entityId) {
    return extractor.shardId(entityId);
  }

  /** The shard id as the cluster names it, when the text is one (0 to number-of-shards - 1, no padding). */
  public Optional<String> parse(String text) {
    try {
      int number = Integer.parseInt(text);
      return number >= 0 && number < numberOfShards && Integer.toString(number).equals(text)
          ? Optional.of(text) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public int numberOfShards() {
    return numberOfShards;
  }
}
