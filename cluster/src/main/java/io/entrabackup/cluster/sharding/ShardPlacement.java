package io.entrabackup.cluster.sharding;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.pekko.actor.Address;

/**
 * One decision round of where shards belong: a shard ops pinned to a node that is up and hosts a region goes there;
 * every other shard (unpinned, or pinned to a node that left or is leaving) is left to the even spread. Pure, so
 * its rules are tested without a cluster.
 *
 * @param <R> the region handle (an actor ref in the cluster, anything in tests)
 * @param regions the shards each region holds now (the coordinator's view)
 * @param regionAddress where a region runs
 * @param pins shard -> node, as ops set them
 * @param upNodes members whose status is Up (pins to any other node are not honoured)
 */
record ShardPlacement<R>(Map<R, List<String>> regions, Function<R, Address> regionAddress,
    Map<String, Address> pins, Set<Address> upNodes) {

  /** The region a shard is pinned to, when that pin can be honoured now. */
  Optional<R> pinnedHome(String shard) {
    Address pin = pins.get(shard);
    if (pin == null || !upNodes.contains(pin)) {
      return Optional.empty();
    }
    return regions.keySet().stream().filter(region -> regionAddress.apply(region).equals(pin)).findFirst();
  }

  /**
   * The regions as the even spread should see them: shards with an honoured pin are left out, so the spread neither
   * moves them nor counts them (pinned shards are ops' choice, outside the balance).
   */
  Map<R, List<String>> unpinnedView() {
    Map<R, List<String>> view = new LinkedHashMap<>();
    regions.forEach((region, shards) ->
        view.put(region, shards.stream().filter(shard -> pinnedHome(shard).isEmpty()).toList()));
    return view;
  }

  /** Shards held by a region other than the one they are pinned to, that are not already moving. */
  Set<String> misplacedPins(Set<String> moving) {
    Map<String, R> holder = new HashMap<>();
    regions.forEach((region, shards) -> shards.forEach(shard -> holder.put(shard, region)));
    Set<String> misplaced = new TreeSet<>();
    holder.forEach((shard, region) -> {
      if (!moving.contains(shard)) {
        pinnedHome(shard).filter(home -> !home.equals(region)).ifPresent(home -> misplaced.add(shard));
      }
    });
    return misplaced;
  }
}
