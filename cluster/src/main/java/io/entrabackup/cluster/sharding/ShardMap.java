package io.entrabackup.cluster.sharding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;

/**
 * Which shard of an entity type runs on which node, with the entities it runs, across the whole cluster: every
 * member's shard region is asked for its state (Pekko's own query, serialized by sharding, so any node can ask). A
 * member that does not answer in time is listed as such rather than failing the whole answer.
 */
public final class ShardMap {

  /** One shard where it runs now, and the ids of the entities running in it. */
  public record ShardHome(String shard, Address node, List<String> entityIds) {}

  /** Every shard that runs somewhere, by shard number; the members that did not answer. */
  public record Snapshot(List<ShardHome> shards, List<Address> unanswered) {}

  private final ActorSystem<?> system;
  private final String typeName;

  public ShardMap(ActorSystem<?> system, String typeName) {
    this.system = system;
    this.typeName = typeName;
  }

  /** Asks every member that may run shards now (joining to exiting) for the shards it has, waiting at most timeout. */
  public CompletionStage<Snapshot> snapshot(Duration timeout) {
    List<CompletableFuture<NodeAnswer>> answers = new ArrayList<>();
    for (Member member : Cluster.get(Adapter.toClassic(system)).state().getMembers()) {
      if (!member.status().equals(MemberStatus.removed()) && !member.status().equals(MemberStatus.down())) {
        answers.add(ask(member.address(), timeout).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<ShardHome> shards = new ArrayList<>();
      List<Address> unanswered = new ArrayList<>();
      answers.forEach(future -> {
        NodeAnswer answer = future.join();
        if (answer.shards() == null) {
          unanswered.add(answer.node());
        } else {
          shards.addAll(answer.shards());
        }
      });
      shards.sort(Comparator.comparingInt(home -> shardNumber(home.shard())));
      return new Snapshot(List.copyOf(shards), List.copyOf(unanswered));
    });
  }

  private record NodeAnswer(Address node, List<ShardHome> shards) {}

  private CompletionStage<NodeAnswer> ask(Address node, Duration timeout) {
    ActorSelection region = Adapter.toClassic(system).actorSelection(node + "/system/sharding/" + typeName);
    return Patterns.ask(region, ShardRegion.getShardRegionStateInstance(), timeout)
        .thenApply(reply -> {
          List<ShardHome> homes = new ArrayList<>();
          ((ShardRegion.CurrentShardRegionState) reply).getShards().forEach(state -> homes.add(
              new ShardHome(state.shardId(), node, state.getEntityIds().stream().sorted().toList())));
          return new NodeAnswer(node, homes);
        })
        .exceptionally(error -> new NodeAnswer(node, null));
  }

  /** Shards are numbered (Pekko's hash extractor), so list them by number; anything else goes last. */
  private static int shardNumber(String shard) {
    try {
      return Integer.parseInt(shard);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
