package io.entrabackup.cluster.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PruneDecisionTest {

  private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
  private static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));

  private static PruneDecision.Version version(String id, int daysAgo, String... chunks) {
    return new PruneDecision.Version(id, NOW.minus(Duration.ofDays(daysAgo)), Optional.of("hash-" + id),
        List.of(chunks), 100);
  }

  @Test
  void aVersionThatStoppedBeingCurrentBeforeTheCutoffIsPrunedWithEveryOlderOne() {
    // v4 is current; v3 was current until 10 days ago (kept); v2 until 40 days ago (pruned), v1 too.
    List<PruneDecision.Version> newestFirst = List.of(version("v4", 10), version("v3", 40), version("v2", 50),
        version("v1", 60));
    PruneDecision.Prune prune = PruneDecision.of(newestFirst, CUTOFF).orElseThrow();
    assertEquals("v3", prune.oldestKept(), "v3 was the state 30 days ago: it stays restorable");
    assertEquals("v2", prune.horizon().versionId());
    assertEquals(2, prune.versions());
    assertEquals(200, prune.stateBytes());
  }

  @Test
  void theLatestVersionIsNeverPrunedHoweverOld() {
    assertTrue(PruneDecision.of(List.of(version("only", 400)), CUTOFF).isEmpty());
    PruneDecision.Prune prune = PruneDecision.of(List.of(version("v2", 400), version("v1", 500)), CUTOFF)
        .orElseThrow();
    assertEquals("v2", prune.oldestKept());
    assertEquals(1, prune.versions());
  }

  @Test
  void everyVersionCurrentWithinTheWindowStays() {
    assertTrue(PruneDecision.of(List.of(version("v3", 1), version("v2", 20), version("v1", 200)), CUTOFF).isEmpty(),
        "v1 stopped being current 20 days ago, inside the window");
  }

  @Test
  void aDeletedObjectKeepsItsTombstoneWhichCarriesItsLastState() {
    // The tombstone is its newest version: it is kept; what came before goes once the deletion is past the window.
    PruneDecision.Prune prune = PruneDecision.of(List.of(version("tombstone", 100), version("v2", 200),
        version("v1", 300)), CUTOFF).orElseThrow();
    assertEquals("tombstone", prune.oldestKept());
    assertEquals(2, prune.versions());
  }

  @Test
  void onlyChunksNoKeptVersionUsesAreDeleted() {
    PruneDecision.Prune prune = PruneDecision.of(List.of(version("v3", 1, "a", "b"), version("v2", 40, "b", "c"),
        version("v1", 50, "c", "d")), CUTOFF).orElseThrow();
    // v2 was current until a day ago: kept, with its chunks; only v1 goes, and of its chunks only d is no one's.
    assertEquals(1, prune.versions());
    assertEquals(Set.of("d"), prune.chunks());
  }
}
