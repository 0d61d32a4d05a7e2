package io.entrabackup.cluster.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.entrabackup.cluster.snapshot.Horizon;
import io.entrabackup.cluster.snapshot.StoredLink;
import io.entrabackup.cluster.snapshot.VersionLink;
import io.entrabackup.cluster.snapshot.VersionChain;
import io.entrabackup.protocol.history.HistoryProblem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The chain computation and one object's check, without Cassandra. */
class ObjectHistoryTest {

  private static final String TENANT = "t1";
  private static final String TYPE = "groups";
  private static final String OBJECT = "g1";

  /** Versions chained as the writer chains them, oldest first. */
  private static List<StoredLink> chained(int count, String fromChain, Optional<String> fromVersion) {
    List<StoredLink> versions = new ArrayList<>();
    String previousChain = fromChain;
    Optional<String> previousVersion = fromVersion;
    for (int i = 0; i < count; i++) {
      String versionId = Uuids.timeBased().toString();
      StoredLink unlinked = new StoredLink(versionId, Instant.ofEpochMilli(1_000L * (i + 1)), Optional.empty(),
          "hash-" + i, Map.of("members", List.of("chunk-" + i)), Optional.empty());
      String chainHash = VersionChain.hash(previousChain, link(unlinked, previousVersion));
      versions.add(withLink(unlinked, new VersionLink(previousVersion, chainHash, unlinked.chunkIds())));
      previousChain = chainHash;
      previousVersion = Optional.of(versionId);
    }
    return versions;
  }

  private static VersionChain.Link link(StoredLink version, Optional<String> previousVersion) {
    return new VersionChain.Link(TENANT, TYPE, OBJECT, version.versionId(), previousVersion, version.capturedAt(),
        version.removed(), version.contentHash(), version.chunkIds());
  }

  private static StoredLink withLink(StoredLink version, VersionLink link) {
    return new StoredLink(version.versionId(), version.capturedAt(), version.removed(), version.contentHash(),
        version.chunkIds(), Optional.of(link));
  }

  private static ObjectHistory.Verdict check(List<StoredLink> versions, Optional<Horizon> horizon) {
    return ObjectHistory.check(TYPE, OBJECT, versions, horizon,
        Optional.of(versions.get(versions.size() - 1).versionId()), TENANT);
  }

  @Test
  void theChainHashCommitsToEveryFieldOfTheVersionAndToThePreviousHash() {
    StoredLink version = chained(1, VersionChain.GENESIS, Optional.empty()).get(0);
    VersionChain.Link base = link(version, Optional.empty());
    String hash = VersionChain.hash(VersionChain.GENESIS, base);
    assertEquals(64, hash.length());
    assertEquals(hash, VersionChain.hash(VersionChain.GENESIS, link(version, Optional.empty())));
    List<VersionChain.Link> altered = List.of(
        new VersionChain.Link("t2", TYPE, OBJECT, base.versionId(), Optional.empty(), base.capturedAt(),
            Optional.empty(), base.contentHash(), base.chunkIds()),
        new VersionChain.Link(TENANT, "users", OBJECT, base.versionId(), Optional.empty(), base.capturedAt(),
            Optional.empty(), base.contentHash(), base.chunkIds()),
        new VersionChain.Link(TENANT, TYPE, "g2", base.versionId(), Optional.empty(), base.capturedAt(),
            Optional.empty(), base.contentHash(), base.chunkIds()),
        new VersionChain.Link(TENANT, TYPE, OBJECT, base.versionId(), Optional.of("x"), base.capturedAt(),
            Optional.empty(), base.contentHash(), base.chunkIds()),
        new VersionChain.Link(TENANT, TYPE, OBJECT, base.versionId(), Optional.empty(),
            base.capturedAt().plusMillis(1), Optional.empty(), base.contentHash(), base.chunkIds()),
        new VersionChain.Link(TENANT, TYPE, OBJECT, base.versionId(), Optional.empty(), base.capturedAt(),
            Optional.of("deleted"), base.contentHash(), base.chunkIds()),
        new VersionChain.Link(TENANT, TYPE, OBJECT, base.versionId(), Optional.empty(), base.capturedAt(),
            Optional.empty(), "other", base.chunkIds()),
        new VersionChain.Link(TENANT, TYPE, OBJECT, base.versionId(), Optional.empty(), base.capturedAt(),
            Optional.empty(), base.contentHash(), Map.of("members", List.of())),
        new VersionChain.Link(TENANT, TYPE, OBJECT, base.versionId(), Optional.empty(), base.capturedAt(),
            Optional.empty(), base.contentHash(), Map.of("owners", List.of("chunk-0"))));
    for (VersionChain.Link other : altered) {
      assertNotEquals(hash, VersionChain.hash(VersionChain.GENESIS, other), other.toString());
    }
    assertNotEquals(hash, VersionChain.hash("1".repeat(64), base));
  }

  @Test
  void anUntouchedHistoryHolds() {
    ObjectHistory.Verdict verdict = check(chained(5, VersionChain.GENESIS, Optional.empty()), Optional.empty());
    assertEquals(5, verdict.chained());
    assertEquals(List.of(), verdict.problems());
  }

  @Test
  void anAlteredContentHashIsABreakAndTheVersionsAfterItStillHold() {
    List<StoredLink> versions = chained(4, VersionChain.GENESIS, Optional.empty());
    StoredLink second = versions.get(1);
    versions.set(1, new StoredLink(second.versionId(), second.capturedAt(), second.removed(), "forged",
        second.chunkIds(), second.link()));
    ObjectHistory.Verdict verdict = check(versions, Optional.empty());
    assertEquals(1, verdict.problems().size());
    assertEquals(HistoryProblem.BREAK, verdict.problems().get(0).kind());
    assertEquals(second.versionId(), verdict.problems().get(0).versionId());
    assertEquals(3, verdict.chained());
  }

  @Test
  void aMissingMiddleVersionIsAGapAndAMissingLatestVersionToo() {
    List<StoredLink> versions = chained(4, VersionChain.GENESIS, Optional.empty());
    String latest = versions.get(3).versionId();
    versions.remove(2);
    versions.remove(2);
    ObjectHistory.Verdict verdict = ObjectHistory.check(TYPE, OBJECT, versions, Optional.empty(),
        Optional.of(latest), TENANT);
    assertEquals(List.of(HistoryProblem.GAP), verdict.problems().stream().map(HistoryProblem::kind).toList());
    assertEquals(latest, verdict.problems().get(0).versionId());

    List<StoredLink> middle = chained(4, VersionChain.GENESIS, Optional.empty());
    StoredLink gone = middle.remove(1);
    ObjectHistory.Verdict gap = check(middle, Optional.empty());
    assertEquals(1, gap.problems().size());
    assertEquals(HistoryProblem.GAP, gap.problems().get(0).kind());
    assertTrue(gap.problems().get(0).detail().contains(gone.versionId()));
  }

  @Test
  void versionsFromBeforeChainsAreCountedAndTheFirstChainedOneFollowsThemFromTheGenesis() {
    StoredLink old = new StoredLink(Uuids.timeBased().toString(), Instant.ofEpochMilli(500), Optional.empty(), "h",
        Map.of(), Optional.empty());
    List<StoredLink> versions = new ArrayList<>(List.of(old));
    versions.addAll(chained(2, VersionChain.GENESIS, Optional.of(old.versionId())));
    ObjectHistory.Verdict verdict = check(versions, Optional.empty());
    assertEquals(List.of(), verdict.problems());
    assertEquals(1, verdict.unchained());
    assertEquals(2, verdict.chained());
  }

  @Test
  void aChainHashRemovedAfterChainedVersionsIsABreak() {
    List<StoredLink> versions = chained(3, VersionChain.GENESIS, Optional.empty());
    StoredLink last = versions.get(2);
    versions.set(2, new StoredLink(last.versionId(), last.capturedAt(), last.removed(), last.contentHash(),
        last.chunkIds(), Optional.empty()));
    assertEquals(List.of(HistoryProblem.BREAK),
        check(versions, Optional.empty()).problems().stream().map(HistoryProblem::kind).toList());
  }

  @Test
  void aPrunedPrefixIsAHorizonNotAGapEvenBeforeTheRowsAreDeleted() {
    List<StoredLink> versions = chained(5, VersionChain.GENESIS, Optional.empty());
    StoredLink pruned = versions.get(1);
    Horizon horizon = new Horizon(pruned.versionId(), pruned.link().orElseThrow().chainHash());
    ObjectHistory.Verdict stillThere = check(versions, Optional.of(horizon));
    assertEquals(List.of(), stillThere.problems());
    assertTrue(stillThere.fromHorizon());

    ObjectHistory.Verdict deleted = check(new ArrayList<>(versions.subList(2, 5)), Optional.of(horizon));
    assertEquals(List.of(), deleted.problems());
    assertEquals(3, deleted.chained());
    assertTrue(deleted.fromHorizon());

    ObjectHistory.Verdict unrecorded = check(new ArrayList<>(versions.subList(2, 5)), Optional.empty());
    assertEquals(List.of(HistoryProblem.GAP), unrecorded.problems().stream().map(HistoryProblem::kind).toList());

    Horizon forged = new Horizon(pruned.versionId(), "0".repeat(64));
    assertEquals(List.of(HistoryProblem.BREAK), check(new ArrayList<>(versions.subList(2, 5)), Optional.of(forged))
        .problems().stream().map(HistoryProblem::kind).toList());
  }
}
