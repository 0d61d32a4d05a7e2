package io.entrabackup.cluster.snapshot;

import static io.entrabackup.cluster.snapshot.GraphExamples.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.crypto.TenantKeyring;
import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.VersionDiff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SnapshotStore against the real local Cassandra (deploy/cassandra start), in a keyspace of its own. */
class SnapshotStoreTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.withNodeSchema("snapshots");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static SnapshotStore store;

  @BeforeAll
  static void startCassandraSession() {
    store = new SnapshotStore(cassandra.session(), cassandra.keyspace(), 64,
        TenantKeyring.get(cassandra.testKit().system()));
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }

  private static ObjectNode user(String id, String displayName, String upn) {
    ObjectNode user = object("{\"businessPhones\": [], \"jobTitle\": \"Engineer\", \"accountEnabled\": true}");
    user.put("id", id).put("displayName", displayName).put("userPrincipalName", upn);
    return user;
  }

  private static Optional<ObjectSnapshot> latest(TenantId tenant, ObjectType type, String id) {
    return await(store.latest(tenant, type, id));
  }

  @Test
  void anObjectIsStoredOnlyWhenItChangedAndRemovalsBecomeTombstones() {
    TenantId tenant = TenantId.random();
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    ObjectNode adele = user("u1", "Adele Vance", "AdeleV@contoso.com");
    adele.put("extension_x_unknown", "kept");

    assertEquals(WriteOutcome.NEW, await(store.write(tenant, ObjectType.USERS, "run1", adele, Optional.empty(), t0)));
    ObjectSnapshot first = latest(tenant, ObjectType.USERS, "u1").orElseThrow();
    assertEquals(adele, first.state());
    assertEquals("run1", first.runId());
    // Keyed: the stored hash is not the plain SHA-256 anyone could check a guessed state against; the plain one (what
    // a download's manifest lists for the file) is kept sealed with the state.
    assertTrue(first.contentHash().matches("[0-9a-f]{64}"));
    assertFalse(CanonicalJson.hash(adele).equals(first.contentHash()));
    assertEquals(CanonicalJson.hash(adele), await(store.storedVersion(tenant, ObjectType.USERS, "u1",
        first.versionId())).orElseThrow().properties().sha256Hex());

    ObjectNode reordered = object("{\"userPrincipalName\": \"AdeleV@contoso.com\", \"id\": \"u1\"}");
    reordered.setAll(adele);
    assertEquals(WriteOutcome.UNCHANGED,
        await(store.write(tenant, ObjectType.USERS, "run2", reordered, Optional.of(first), t0.plusSeconds(60))));

    ObjectNode promoted = SnapshotMerge.apply(Optional.of(first.state()), object("{\"id\": \"u1\", \"jobTitle\": \"Lead\"}"));
    assertEquals(WriteOutcome.CHANGED,
        await(store.write(tenant, ObjectType.USERS, "run3", promoted, Optional.of(first), t0.plusSeconds(120))));
    ObjectSnapshot second = latest(tenant, ObjectType.USERS, "u1").orElseThrow();
    assertEquals("Lead", second.state().get("jobTitle").asText());

    assertEquals(WriteOutcome.REMOVED, await(store.tombstone(tenant, ObjectType.USERS, "run4", "u1", "changed",
        Optional.of(second), t0.plusSeconds(180))));
    ObjectSnapshot softDeleted = latest(tenant, ObjectType.USERS, "u1").orElseThrow();
    assertEquals(Optional.of("changed"), softDeleted.removedReason());
    assertEquals(second.state(), softDeleted.state(), "a tombstone keeps the last state");
    assertEquals(WriteOutcome.ALREADY_REMOVED, await(store.tombstone(tenant, ObjectType.USERS, "run5", "u1", "changed",
        Optional.of(softDeleted), t0.plusSeconds(240))));
    assertEquals(WriteOutcome.REMOVED, await(store.tombstone(tenant, ObjectType.USERS, "run5", "u1", "deleted",
        Optional.of(softDeleted), t0.plusSeconds(240))));
    assertEquals(WriteOutcome.ALREADY_REMOVED, await(store.tombstone(tenant, ObjectType.USERS, "run5", "nobody",
        "deleted", Optional.empty(), t0)));

    List<VersionInfo> versions = await(store.versions(tenant, ObjectType.USERS, "u1"));
    assertEquals(List.of("run5", "run4", "run3", "run1"), versions.stream().map(VersionInfo::runId).toList());
    assertEquals(List.of(Optional.of("deleted"), Optional.of("changed"), Optional.empty(), Optional.empty()),
        versions.stream().map(VersionInfo::removed).toList());
    assertEquals(first.state(),
        await(store.version(tenant, ObjectType.USERS, "u1", versions.get(3).versionId())).orElseThrow().state());

    assertEquals(List.of(), await(store.changesOfRun(tenant, "run2")), "an unchanged object writes nothing");
    assertEquals(List.of(new RunChange(ObjectType.USERS, "u1", second.versionId(), WriteOutcome.CHANGED)),
        await(store.changesOfRun(tenant, "run3")));
    assertEquals(List.of(new RunChange(ObjectType.USERS, "u1", versions.get(0).versionId(), WriteOutcome.REMOVED)),
        await(store.changesOfRun(tenant, "run5", ObjectType.USERS, WriteOutcome.REMOVED)));
    assertEquals(List.of(), await(store.changesOfRun(tenant, "run3", ObjectType.USERS, WriteOutcome.REMOVED)));
    assertEquals(List.of(), await(store.changesOfRun(tenant, "run3", ObjectType.GROUPS, WriteOutcome.CHANGED)));
    await(store.settleCount(tenant, ObjectType.USERS, "run5"));
    assertEquals(Map.of(ObjectType.USERS, 0L), nonZero(await(store.counts(tenant))));
    ObjectSummary listed = await(store.objects(tenant, ObjectType.USERS, Optional.empty(), Optional.empty(), 10)).items().get(0);
    assertTrue(listed.deleted());
    assertEquals(versions.get(0).versionId(), listed.versionId());
  }

  private static Map<ObjectType, Long> nonZero(Map<ObjectType, Long> counts) {
    return counts.entrySet().stream().filter(e -> e.getKey() == ObjectType.USERS || e.getValue() != 0)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @Test
  void aRestoredObjectComesBackFromItsTombstoneAndCountsFollow() {
    TenantId tenant = TenantId.random();
    Instant now = Instant.parse("2026-11-02T00:00:00Z");
    ObjectNode group = object("{\"id\": \"g1\", \"displayName\": \"Sales\", \"members\": [{\"id\": \"m1\"}]}");
    await(store.write(tenant, ObjectType.GROUPS, "r1", group, Optional.empty(), now));
    await(store.write(tenant, ObjectType.USERS, "r1", user("u1", "A", "a@x"), Optional.empty(), now));
    await(store.settleCount(tenant, ObjectType.GROUPS, "r1"));
    await(store.settleCount(tenant, ObjectType.USERS, "r1"));
    assertEquals(1L, await(store.counts(tenant)).get(ObjectType.GROUPS));
    ObjectSnapshot live = latest(tenant, ObjectType.GROUPS, "g1").orElseThrow();
    await(store.tombstone(tenant, ObjectType.GROUPS, "r2", "g1", "changed", Optional.of(live), now));
    await(store.settleCount(tenant, ObjectType.GROUPS, "r2"));
    assertEquals(0L, await(store.counts(tenant)).get(ObjectType.GROUPS));
    ObjectSnapshot tombstone = latest(tenant, ObjectType.GROUPS, "g1").orElseThrow();
    assertEquals(WriteOutcome.CHANGED, await(store.write(tenant, ObjectType.GROUPS, "r3", group, Optional.of(tombstone), now)));
    ObjectSnapshot restored = latest(tenant, ObjectType.GROUPS, "g1").orElseThrow();
    assertFalse(restored.isTombstone());
    assertEquals(group, restored.state());
    await(store.settleCount(tenant, ObjectType.GROUPS, "r3"));
    Map<ObjectType, Long> counts = await(store.counts(tenant));
    assertEquals(1L, counts.get(ObjectType.GROUPS));
    assertEquals(1L, counts.get(ObjectType.USERS));
    assertEquals(0L, counts.get(ObjectType.ROLE_ASSIGNMENTS));
  }

  private static List<StoredVersion> latestOfType(TenantId tenant, ObjectType type) {
    return await(store.latestOfType(tenant, type).runWith(Sink.seq(), cassandra.testKit().system()));
  }

  private static StoredVersion onlyLatest(TenantId tenant, ObjectType type) {
    List<StoredVersion> all = latestOfType(tenant, type);
    assertEquals(1, all.size(), all.toString());
    return all.get(0);
  }

  @Test
  void theLatestRowFollowsEveryVersionAndARecreatedObjectLosesItsRemovedReason() {
    TenantId tenant = TenantId.random();
    Instant now = Instant.parse("2026-11-02T06:00:00Z");
    ObjectNode group = object("{\"id\": \"g1\", \"displayName\": \"Sales\", \"members\": [{\"id\": \"m1\"}],"
        + " \"owners\": [{\"id\": \"o1\"}]}");
    await(store.write(tenant, ObjectType.GROUPS, "r1", group, Optional.empty(), now));
    ObjectSnapshot first = latest(tenant, ObjectType.GROUPS, "g1").orElseThrow();
    assertEquals(first, onlyLatest(tenant, ObjectType.GROUPS).snapshot());

    ObjectNode withoutOwners = object("{\"id\": \"g1\", \"displayName\": \"Sales EU\", \"members\": [{\"id\": \"m2\"}]}");
    await(store.write(tenant, ObjectType.GROUPS, "r2", withoutOwners, Optional.of(first), now.plusSeconds(1)));
    ObjectSnapshot second = latest(tenant, ObjectType.GROUPS, "g1").orElseThrow();
    StoredVersion latest = onlyLatest(tenant, ObjectType.GROUPS);
    assertEquals(second, latest.snapshot());
    assertEquals(withoutOwners, latest.snapshot().state(), "no owners left over from the version before");

    await(store.tombstone(tenant, ObjectType.GROUPS, "r3", "g1", "changed", Optional.of(second), now.plusSeconds(2)));
    ObjectSnapshot tombstone = latest(tenant, ObjectType.GROUPS, "g1").orElseThrow();
    assertEquals(Optional.of("changed"), onlyLatest(tenant, ObjectType.GROUPS).removedReason());
    assertEquals(tombstone, onlyLatest(tenant, ObjectType.GROUPS).snapshot());

    ObjectNode plain = object("{\"id\": \"g1\", \"displayName\": \"Sales EU\"}");
    await(store.write(tenant, ObjectType.GROUPS, "r4", plain, Optional.of(tombstone), now.plusSeconds(3)));
    StoredVersion recreated = onlyLatest(tenant, ObjectType.GROUPS);
    assertFalse(recreated.isTombstone(), "a re-created object's latest row is no tombstone");
    assertEquals(Map.of(), recreated.references(), "nor does it keep the members it had");
    assertEquals(latest(tenant, ObjectType.GROUPS, "g1").orElseThrow(), recreated.snapshot());
    assertEquals("r4", recreated.runId());
  }

  @Test
  void theLatestRowsOfATypeHoldEveryObjectOnceWithItsLatestState() {
    TenantId tenant = TenantId.random();
    Instant now = Instant.parse("2026-11-02T08:00:00Z");
    int users = 500;
    for (int i = 0; i < users; i++) {
      await(store.write(tenant, ObjectType.USERS, "r1", user("u" + i, "User " + i, "u" + i + "@x"), Optional.empty(), now));
    }
    for (int i = 0; i < users; i += 7) {
      ObjectSnapshot previous = latest(tenant, ObjectType.USERS, "u" + i).orElseThrow();
      await(store.write(tenant, ObjectType.USERS, "r2", user("u" + i, "Renamed " + i, "u" + i + "@x"),
          Optional.of(previous), now.plusSeconds(60)));
    }
    ObjectNode large = object("{\"id\": \"large\", \"displayName\": \"Large\", \"owners\": [{\"id\": \"o1\"}]}");
    large.put("description", "x".repeat(30_000)); // written outside the batch, its latest row too
    ArrayNode members = large.putArray("members");
    for (int i = 0; i < 2_500; i++) {
      members.addObject().put("@odata.type", "#microsoft.graph.user").put("id", UUID.randomUUID().toString());
    }
    await(store.write(tenant, ObjectType.GROUPS, "r1", SnapshotMerge.apply(Optional.empty(), large), Optional.empty(), now));

    List<StoredVersion> all = latestOfType(tenant, ObjectType.USERS);
    assertEquals(users, all.size());
    assertEquals(users, all.stream().map(StoredVersion::objectId).distinct().count());
    for (StoredVersion version : all) {
      assertEquals(latest(tenant, ObjectType.USERS, version.objectId()).orElseThrow(), version.snapshot());
    }
    ObjectSnapshot group = onlyLatest(tenant, ObjectType.GROUPS).snapshot();
    assertEquals(latest(tenant, ObjectType.GROUPS, "large").orElseThrow(), group);
    assertEquals(2_500, group.state().get("members").size());
    assertEquals(List.of(), latestOfType(tenant, ObjectType.ROLE_ASSIGNMENTS));
  }

  @Test
  void aLiveCountIsCountedFromTheStoredObjectsSoNoCrashOrReplayMakesItDrift() {
    TenantId tenant = TenantId.random();
    Instant now = Instant.parse("2026-11-02T12:00:00Z");
    ObjectType type = ObjectType.ROLE_DEFINITIONS;
    for (int i = 0; i < 3; i++) {
      await(store.write(tenant, type, "r1", object("{\"id\": \"d" + i + "\", \"displayName\": \"D\"}"),
          Optional.empty(), now));
    }
    assertEquals(0L, await(store.counts(tenant)).get(type), "a count follows its type's milestone");
    assertEquals(3L, await(store.settleCount(tenant, type, "r1")));
    assertEquals(3L, await(store.settleCount(tenant, type, "r1")), "settled again (a replayed milestone): the same");

    // A run writes two new objects and its node dies before the milestone; another node (another store) resumes it.
    for (int i = 3; i < 5; i++) {
      await(store.write(tenant, type, "r2", object("{\"id\": \"d" + i + "\", \"displayName\": \"D\"}"),
          Optional.empty(), now));
    }
    SnapshotStore nextNode = new SnapshotStore(cassandra.session(), cassandra.keyspace(), 16,
        TenantKeyring.get(cassandra.testKit().system()));
    assertEquals(5L, await(nextNode.settleCount(tenant, type, "r2")), "the lost attempt's objects are counted");

    // A count that is wrong for whatever reason is replaced, not adjusted, by the next recount.
    await(cassandra.session().executeWrite("UPDATE " + cassandra.keyspace() + ".snapshot_live_counts SET live = 8"
        + " WHERE tenant_id = ? AND object_type = ?", tenant.value(), type.apiName()));
    ObjectSnapshot d0 = latest(tenant, type, "d0").orElseThrow();
    await(store.tombstone(tenant, type, "r3", "d0", "deleted", Optional.of(d0), now)); // a run that then fails
    assertEquals(4L, await(nextNode.settleCount(tenant, type, "r4")), "the next run finds the failed run's mark");
    assertEquals(4L, await(store.counts(tenant)).get(type));
    assertEquals(List.of(), await(cassandra.session().selectAll("SELECT mark FROM " + cassandra.keyspace()
        + ".snapshot_count_marks WHERE tenant_id = ? AND object_type = ?", tenant.value(), type.apiName())));
  }

  @Test
  void objectsAreListedByIdPagedByCursorAndFoundByDisplayNameOrUpnPrefix() {
    TenantId tenant = TenantId.random();
    Instant now = Instant.parse("2026-11-03T00:00:00Z");
    // The list follows object ids (names are sealed: Cassandra cannot order them).
    Map<String, String> nameById = new java.util.TreeMap<>();
    for (int i = 0; i < 23; i++) {
      String name = String.format("Person %02d", i);
      nameById.put("id-" + i, name);
      await(store.write(tenant, ObjectType.USERS, "r1", user("id-" + i, name, "p" + i + "@contoso.com"), Optional.empty(), now));
    }
    await(store.write(tenant, ObjectType.USERS, "r1", user("id-adele", "Adele Vance", "adelev@contoso.com"), Optional.empty(), now));
    await(store.write(tenant, ObjectType.USERS, "r1", user("id-zed", "Zed", "admin.zed@contoso.com"), Optional.empty(), now));
    nameById.put("id-adele", "Adele Vance");
    nameById.put("id-zed", "Zed");

    List<String> listed = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int pages = 0;
    do {
      ObjectPage page = await(store.objects(tenant, ObjectType.USERS, Optional.empty(), cursor, 10));
      page.items().forEach(item -> listed.add(item.displayName()));
      cursor = page.next();
      pages++;
    } while (cursor.isPresent());
    assertEquals(new ArrayList<>(nameById.values()), listed);
    assertEquals(3, pages);

    ObjectPage ad = await(store.objects(tenant, ObjectType.USERS, Optional.of("AD"), Optional.empty(), 10));
    assertEquals(List.of("Adele Vance", "Zed"), ad.items().stream().map(ObjectSummary::displayName).toList(),
        "Adele by name (and UPN, listed once), Zed by UPN");
    assertEquals(List.of(Optional.of("adelev@contoso.com"), Optional.of("admin.zed@contoso.com")),
        ad.items().stream().map(ObjectSummary::detail).toList(), "the UPN is the line under a user's name");
    assertEquals(Optional.empty(), ad.next());

    List<String> searched = new ArrayList<>();
    cursor = Optional.empty();
    do {
      ObjectPage page = await(store.objects(tenant, ObjectType.USERS, Optional.of("person 1"), cursor, 4));
      page.items().forEach(item -> searched.add(item.id()));
      cursor = page.next();
    } while (cursor.isPresent());
    assertEquals(List.of("id-10", "id-11", "id-12", "id-13", "id-14", "id-15", "id-16", "id-17", "id-18", "id-19"), searched);

    ObjectSnapshot zed = latest(tenant, ObjectType.USERS, "id-zed").orElseThrow();
    await(store.write(tenant, ObjectType.USERS, "r2", user("id-zed", "Bea", "bea@contoso.com"), Optional.of(zed), now));
    ObjectPage bea = await(store.objects(tenant, ObjectType.USERS, Optional.of("bea"), Optional.empty(), 10));
    assertEquals(List.of("id-zed"), bea.items().stream().map(ObjectSummary::id).toList());
    assertEquals(Optional.of("bea@contoso.com"), bea.items().get(0).detail(), "a new UPN replaces the old one");
    assertEquals(List.of("id-adele"), await(store.objects(tenant, ObjectType.USERS, Optional.of("ad"), Optional.empty(), 10))
        .items().stream().map(ObjectSummary::id).toList(), "a renamed user is no longer found by its old names");

    List<ObjectSummary> all = await(store.allObjects(tenant, ObjectType.USERS).runWith(Sink.seq(), cassandra.testKit().system()));
    assertEquals(25, all.size());
    assertEquals(25, all.stream().map(ObjectSummary::id).distinct().count());
  }

  @Test
  void aVersionRowTooLargeForABatchIsStoredAndReadsBack() {
    TenantId tenant = TenantId.random();
    Instant now = Instant.parse("2026-11-04T00:00:00Z");
    // 60 KB of own properties: past Cassandra's 50 KB batch limit, as a 1,000,000-member group's chunk list is.
    ObjectNode group = object("{\"id\": \"huge\", \"displayName\": \"Huge\"}");
    group.put("description", "x".repeat(60_000));
    ArrayNode members = group.putArray("members");
    for (int i = 0; i < 2_000; i++) {
      members.addObject().put("@odata.type", "#microsoft.graph.user").put("id", UUID.randomUUID().toString());
    }
    ObjectNode state = SnapshotMerge.apply(Optional.empty(), group);
    assertEquals(WriteOutcome.NEW, await(store.write(tenant, ObjectType.GROUPS, "r1", state, Optional.empty(), now)));
    ObjectSnapshot stored = latest(tenant, ObjectType.GROUPS, "huge").orElseThrow();
    assertTrue(state.equals(stored.state()), "the large version reads back as written");
    assertEquals(WriteOutcome.UNCHANGED,
        await(store.write(tenant, ObjectType.GROUPS, "r2", state, Optional.of(stored), now)));
  }

  @Test
  void aLargeGroupReusesItsMembershipChunksWhenOneMemberChanges() {
    TenantId tenant = TenantId.random();
    Instant now = Instant.parse("2026-11-04T00:00:00Z");
    ObjectNode group = object("{\"id\": \"big\", \"displayName\": \"Everyone\", \"groupTypes\": [],"
        + " \"owners\": [{\"@odata.type\": \"#microsoft.graph.user\", \"id\": \"owner\"}]}");
    ArrayNode members = group.putArray("members");
    for (int i = 0; i < 100_000; i++) {
      members.addObject().put("@odata.type", "#microsoft.graph.user").put("id", UUID.randomUUID().toString());
    }
    String removedId = members.get(50_000).get("id").asText();
    ObjectNode firstState = SnapshotMerge.apply(Optional.empty(), group);
    long rowsBefore = store.rowsWritten();
    long chunksBefore = store.chunksWritten();
    long started = System.nanoTime();
    await(store.write(tenant, ObjectType.GROUPS, "r1", firstState, Optional.empty(), now));
    long firstChunks = store.chunksWritten() - chunksBefore;
    System.out.printf("100,000-member group: first version %d chunk rows + %d other rows in %d ms%n",
        firstChunks, store.rowsWritten() - rowsBefore - firstChunks, (System.nanoTime() - started) / 1_000_000);
    assertTrue(firstChunks >= 100 && firstChunks <= 400, "chunks of at most 1000 references: " + firstChunks);

    ObjectSnapshot first = latest(tenant, ObjectType.GROUPS, "big").orElseThrow();
    assertEquals(100_000, first.state().get("members").size());
    assertTrue(firstState.equals(first.state()), "the stored membership reads back as written");

    ObjectNode secondState = SnapshotMerge.apply(Optional.of(first.state()), object("""
        {"id": "big", "members@delta": [
          {"@odata.type": "#microsoft.graph.user", "id": "%s", "@removed": {"reason": "deleted"}},
          {"@odata.type": "#microsoft.graph.user", "id": "00000000-new-member"}]}""".formatted(removedId)));
    long rowsMid = store.rowsWritten();
    long chunksMid = store.chunksWritten();
    long reusedMid = store.chunksReused();
    assertEquals(WriteOutcome.CHANGED, await(store.write(tenant, ObjectType.GROUPS, "r2", secondState, Optional.of(first), now)));
    long secondChunks = store.chunksWritten() - chunksMid;
    System.out.printf("one member removed, one added: %d chunk rows written, %d reused, %d rows in all%n",
        secondChunks, store.chunksReused() - reusedMid, store.rowsWritten() - rowsMid);
    assertTrue(secondChunks >= 1 && secondChunks <= 4, "only the chunks holding the changes: " + secondChunks);
    assertTrue(store.chunksReused() - reusedMid >= firstChunks - 4);

    ObjectSnapshot second = latest(tenant, ObjectType.GROUPS, "big").orElseThrow();
    assertTrue(secondState.equals(second.state()), "the changed membership reads back as written");
    VersionDiff diff = await(store.diff(tenant, ObjectType.GROUPS, "big", first.versionId(), second.versionId())).orElseThrow();
    assertEquals(List.of("00000000-new-member"),
        diff.references().get("members").added().stream().map(r -> r.get("id").asText()).toList());
    assertEquals(List.of(removedId),
        diff.references().get("members").removed().stream().map(r -> r.get("id").asText()).toList());
    assertEquals(List.of(), diff.references().get("owners").added());
    assertTrue(diff.changed().isEmpty() && diff.added().isEmpty() && diff.removed().isEmpty());
  }

  /**
   * A set of at most 100 references lives in the version row (no chunk rows); past that it moves to chunk rows, and
   * back when it shrinks. Every version reads back whole, one object at a time and in bulk (a download's path).
   */
  @Test
  void aSmallMembershipIsKeptInTheRowAndMovesToChunksWhenItGrows() {
    TenantId tenant = TenantId.random();
    Instant now = Instant.parse("2026-11-05T00:00:00Z");
    ObjectNode small = groupWithMembers("g", 20);
    long chunksBefore = store.chunksWritten();
    ObjectSnapshot first = writeAndRead(tenant, small, Optional.empty(), now);
    assertEquals(0, store.chunksWritten() - chunksBefore, "20 members and one owner: no chunk rows");
    assertEquals(20, first.state().get("members").size());

    ObjectNode grown = groupWithMembers("g", 300);
    ObjectSnapshot second = writeAndRead(tenant, grown, Optional.of(first), now.plusSeconds(60));
    assertTrue(store.chunksWritten() - chunksBefore >= 1, "300 members: the members in chunk rows");
    assertEquals(300, second.state().get("members").size());

    ObjectNode shrunk = groupWithMembers("g", 5);
    long chunksMid = store.chunksWritten();
    ObjectSnapshot third = writeAndRead(tenant, shrunk, Optional.of(second), now.plusSeconds(120));
    assertEquals(0, store.chunksWritten() - chunksMid, "5 members: back in the row");
    assertEquals(5, third.state().get("members").size());

    ObjectNode empty = groupWithMembers("g", 0);
    ObjectSnapshot fourth = writeAndRead(tenant, empty, Optional.of(third), now.plusSeconds(180));
    assertEquals(0, fourth.state().get("members").size(), "an empty membership is a membership, not a missing one");

    List<VersionInfo> versions = await(store.versions(tenant, ObjectType.GROUPS, "g"));
    assertEquals(4, versions.size());
    assertEquals(first.state(), await(store.version(tenant, ObjectType.GROUPS, "g", first.versionId())).orElseThrow()
        .state());
    assertEquals(second.state(), await(store.version(tenant, ObjectType.GROUPS, "g", second.versionId())).orElseThrow()
        .state());
  }

  private ObjectSnapshot writeAndRead(TenantId tenant, ObjectNode state, Optional<ObjectSnapshot> previous,
      Instant at) {
    ObjectNode merged = SnapshotMerge.apply(Optional.empty(), state);
    assertEquals(previous.isEmpty() ? WriteOutcome.NEW : WriteOutcome.CHANGED,
        await(store.write(tenant, ObjectType.GROUPS, "r-" + at.getEpochSecond(), merged, previous, at)));
    ObjectSnapshot read = latest(tenant, ObjectType.GROUPS, state.get("id").asText()).orElseThrow();
    assertEquals(merged, read.state(), "the stored state reads back as written");
    assertEquals(read, onlyLatest(tenant, ObjectType.GROUPS).snapshot(), "the bulk read agrees");
    return read;
  }

  private static ObjectNode groupWithMembers(String id, int members) {
    ObjectNode group = object("{\"id\": \"" + id + "\", \"displayName\": \"Group " + id + "\","
        + " \"owners\": [{\"@odata.type\": \"#microsoft.graph.user\", \"id\": \"owner\"}]}");
    ArrayNode list = group.putArray("members");
    for (int i = 0; i < members; i++) {
      list.addObject().put("@odata.type", "#microsoft.graph.user").put("id", String.format("member-%05d", i));
    }
    return group;
  }

  @Test
  void aDiffListsAddedRemovedAndChangedProperties() {
    TenantId tenant = TenantId.random();
    Instant now = Instant.parse("2026-11-05T00:00:00Z");
    ObjectNode v1 = object("{\"id\": \"u\", \"displayName\": \"A\", \"jobTitle\": \"x\", \"mobilePhone\": \"1\"}");
    ObjectNode v2 = object("{\"id\": \"u\", \"displayName\": \"B\", \"jobTitle\": \"x\", \"department\": \"d\"}");
    await(store.write(tenant, ObjectType.USERS, "r1", v1, Optional.empty(), now));
    ObjectSnapshot first = latest(tenant, ObjectType.USERS, "u").orElseThrow();
    await(store.write(tenant, ObjectType.USERS, "r2", v2, Optional.of(first), now));
    ObjectSnapshot second = latest(tenant, ObjectType.USERS, "u").orElseThrow();
    VersionDiff diff = await(store.diff(tenant, ObjectType.USERS, "u", first.versionId(), second.versionId())).orElseThrow();
    assertEquals(Set.of("department"), diff.added().keySet());
    assertEquals(Set.of("mobilePhone"), diff.removed().keySet());
    assertEquals(Set.of("displayName"), diff.changed().keySet());
    assertEquals("B", diff.changed().get("displayName").to().asText());
    assertEquals(Optional.empty(), await(store.diff(tenant, ObjectType.USERS, "u", first.versionId(), "not-a-version")));
  }

  /** Many concurrent first versions (speed is the benchmark's business, deploy/bench): every one counted and recorded. */
  @Test
  void manyConcurrentFirstVersionsAreAllCountedAndRecordedInTheirRun() {
    int n = 10_000;
    TenantId tenant = TenantId.random();
    Instant now = Instant.now();
    List<ObjectNode> users = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ObjectNode user = user(UUID.randomUUID().toString(), "User " + i, "user" + i + "@contoso.com");
      user.put("padding", "x".repeat(1200)); // about 1.5 KB of JSON, as in the benchmark
      users.add(user);
    }
    await(Source.from(users)
        .mapAsync(64, u -> store.write(tenant, ObjectType.USERS, "full", u, Optional.empty(), now))
        .runWith(Sink.ignore(), cassandra.testKit().system()));
    await(store.settleCount(tenant, ObjectType.USERS, "full"));
    assertEquals((long) n, await(store.counts(tenant)).get(ObjectType.USERS));
    assertEquals(n, await(store.changesOfRun(tenant, "full")).size());
  }
}
