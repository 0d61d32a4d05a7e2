package io.entrabackup.cluster.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;

/** The placement rules of one round, without a cluster: regions are named by their node. */
class ShardPlacementTest {

  private static final Address A = new Address("pekko", "entra-backup", "10.0.0.1", 25520);
  private static final Address B = new Address("pekko", "entra-backup", "10.0.0.2", 25520);
  private static final Address GONE = new Address("pekko", "entra-backup", "10.0.0.3", 25520);

  private static ShardPlacement<Address> placement(Map<String, Address> pins, Set<Address> up) {
    Map<Address, List<String>> regions = new LinkedHashMap<>();
    regions.put(A, List.of("1", "2", "3"));
    regions.put(B, List.of("4"));
    return new ShardPlacement<>(regions, region -> region, pins, up);
  }

  @Test
  void aShardPinnedToAnUpNodeGoesThere() {
    assertEquals(Optional.of(B), placement(Map.of("1", B), Set.of(A, B)).pinnedHome("1"));
  }

  @Test
  void aPinToANodeThatLeftOrIsLeavingIsNotHonoured() {
    assertEquals(Optional.empty(), placement(Map.of("1", GONE), Set.of(A, B)).pinnedHome("1"));
    assertEquals(Optional.empty(), placement(Map.of("1", B), Set.of(A)).pinnedHome("1"));
  }

  @Test
  void honouredPinsAreLeftOutOfTheEvenSpreadAndOthersAreNot() {
    var view = placement(Map.of("1", B, "2", GONE), Set.of(A, B)).unpinnedView();
    assertEquals(List.of("2", "3"), view.get(A));
    assertEquals(List.of("4"), view.get(B));
  }

  @Test
  void misplacedPinsAreMovedUnlessAlreadyMoving() {
    var placement = placement(Map.of("1", B, "2", B, "4", B, "3", GONE), Set.of(A, B));
    assertEquals(Set.of("1", "2"), placement.misplacedPins(Set.of()));
    assertEquals(Set.of("2"), placement.misplacedPins(Set.of("1")));
  }
}
