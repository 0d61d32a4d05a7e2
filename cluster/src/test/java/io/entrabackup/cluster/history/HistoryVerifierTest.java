package io.entrabackup.cluster.history;

import io.entrabackup.cluster.crypto.TenantKeyring;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.cluster.snapshot.VersionInfo;
import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.history.HistoryFinding;
import io.entrabackup.protocol.history.HistoryProblem;
import io.entrabackup.protocol.history.HistoryReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Versions written by the store, verified, then altered with plain CQL as someone with database access could. */
class HistoryVerifierTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.withNodeSchema("history");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static SnapshotStore store;
  private static HistoryVerifier verifier;
  private static CqlSession cql;

  @BeforeAll
  static void start() {
    store = new SnapshotStore(cassandra.session(), cassandra.keyspace(), 64,
        TenantKeyring.get(cassandra.testKit().system()));
    verifier = new HistoryVerifier(cassandra.session()::underlying, cassandra.keyspace(), 4);
    cql = await(cassandra.session().underlying());
  }

  private static ObjectNode object(String json) {
    try {
      return (ObjectNode) new ObjectMapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }

  private static List<HistoryFinding> verify(TenantId tenant) {
    return await(verifier.verify(tenant).runWith(Sink.seq(), cassandra.testKit().system()));
  }

  private static HistoryReport report(List<HistoryFinding> findings) {
    return (HistoryReport) findings.get(findings.size() - 1);
  }

  private static List<HistoryProblem> problems(List<HistoryFinding> findings) {
    return findings.stream().filter(HistoryProblem.class::isInstance).map(HistoryProblem.class::cast).toList();
  }

  /** Writes {@code count} versions of a user (the last a tombstone when asked), as a crawl does. */
  private static void versionsOf(TenantId tenant, String id, int count, boolean removeLast, Instant from) {
    for (int i = 0; i < count; i++) {
      Optional<ObjectSnapshot> previous = await(store.latest(tenant, ObjectType.USERS, id));
      Instant at = from.plusSeconds(60L * i);
      if (removeLast && i == count - 1) {
        await(store.tombstone(tenant, ObjectType.USERS, "run" + i, id, "deleted", previous, at));
      } else {
        ObjectNode user = object("{\"accountEnabled\": true}");
        user.put("id", id).put("displayName", "User " + id).put("jobTitle", "Title " + i);
        await(store.write(tenant, ObjectType.USERS, "run" + i, user, previous, at));
      }
    }
  }

  private static void groupWithMembers(TenantId tenant, String id, int members, Instant at) {
    ObjectNode group = object("{\"displayName\": \"Group " + id + "\"}");
    group.put("id", id);
    ArrayNode array = group.putArray("members");
    for (int i = 0; i < members; i++) {
      array.addObject().put("@odata.type", "#microsoft.graph.user").put("id", String.format("m%05d", i));
    }
    await(store.write(tenant, ObjectType.GROUPS, "run0", group, await(store.latest(tenant, ObjectType.GROUPS, id)),
        at));
  }

  private static List<VersionInfo> versions(TenantId tenant, String id) {
    return await(store.versions(tenant, ObjectType.USERS, id));
  }

  private static void execute(String cqlText, Object... values) {
    cql.execute(cql.prepare(cqlText.replace("${ks}", cassandra.keyspace())).bind(values));
  }

  @Test
  void anUntouchedHistoryHoldsThenAnAlteredHashIsABreakAndADeletedVersionAGap() {
    TenantId tenant = TenantId.random();
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    versionsOf(tenant, "u1", 4, false, t0);
    versionsOf(tenant, "u2", 4, true, t0);
    versionsOf(tenant, "u3", 2, false, t0);
    groupWithMembers(tenant, "g1", 30, t0);
    groupWithMembers(tenant, "g2", 1500, t0);
    groupWithMembers(tenant, "g2", 1400, t0.plusSeconds(60));

    HistoryReport clean = report(verify(tenant));
    assertEquals(new HistoryReport(tenant.value(), 5, 13, 13, 0, 0, 0, 0, true), clean);

    // A content hash changed in place (say, to hide which state a version had): the version no longer fits.
    String altered = versions(tenant, "u1").get(2).versionId();
    execute("UPDATE ${ks}.snapshot_versions SET content_hash = 'forged' WHERE tenant_id = ? AND object_type = 'users'"
        + " AND object_id = 'u1' AND version_id = ?", tenant.value(), UUID.fromString(altered));
    // A middle version deleted (a change someone wants forgotten): the one after it follows a missing version.
    List<VersionInfo> u2 = versions(tenant, "u2");
    String deleted = u2.get(2).versionId();
    execute("DELETE FROM ${ks}.snapshot_versions WHERE tenant_id = ? AND object_type = 'users' AND object_id = 'u2'"
        + " AND version_id = ?", tenant.value(), UUID.fromString(deleted));

    List<HistoryFinding> findings = verify(tenant);
    List<HistoryProblem> problems = problems(findings);
    assertEquals(2, problems.size(), problems.toString());
    HistoryProblem broken = problems.stream().filter(p -> p.kind().equals(HistoryProblem.BREAK)).findFirst()
        .orElseThrow();
    assertEquals("u1", broken.objectId());
    assertEquals(altered, broken.versionId());
    HistoryProblem gap = problems.stream().filter(p -> p.kind().equals(HistoryProblem.GAP)).findFirst().orElseThrow();
    assertEquals("u2", gap.objectId());
    assertEquals(u2.get(1).versionId(), gap.versionId());
    assertTrue(gap.detail().contains(deleted), gap.detail());
    HistoryReport report = report(findings);
    assertEquals(1, report.breaks());
    assertEquals(1, report.gaps());
    assertEquals(12, report.versions());
    assertFalse(report.intact());
  }

  @Test
  void versionsFromBeforeChainsAreUnchainedAndTheNextVersionChainsFromTheGenesis() {
    TenantId tenant = TenantId.random();
    versionsOf(tenant, "u1", 3, false, Instant.parse("2026-11-01T00:00:00Z"));
    // As a keyspace upgraded from before chains holds them: no chain columns on either table.
    for (VersionInfo version : versions(tenant, "u1")) {
      execute("UPDATE ${ks}.snapshot_versions SET chain_hash = null, prev_version = null WHERE tenant_id = ?"
          + " AND object_type = 'users' AND object_id = 'u1' AND version_id = ?", tenant.value(),
          UUID.fromString(version.versionId()));
    }
    assertEquals(new HistoryReport(tenant.value(), 1, 3, 0, 3, 0, 0, 0, true), report(verify(tenant)));

    versionsOf(tenant, "u1", 1, false, Instant.parse("2026-11-02T00:00:00Z"));
    assertEquals(new HistoryReport(tenant.value(), 1, 4, 1, 3, 0, 0, 0, true), report(verify(tenant)));
  }

  @Test
  void aPrunedPrefixRecordedAsAHorizonIsNoGap() {
    TenantId tenant = TenantId.random();
    versionsOf(tenant, "u1", 5, false, Instant.parse("2026-11-01T00:00:00Z"));
    List<VersionInfo> newestFirst = versions(tenant, "u1");
    UUID newestPruned = UUID.fromString(newestFirst.get(3).versionId());
    String prunedChain = cql.execute(cql.prepare("SELECT chain_hash FROM " + cassandra.keyspace()
        + ".snapshot_versions WHERE tenant_id = ? AND object_type = 'users' AND object_id = 'u1' AND version_id = ?")
        .bind(tenant.value(), newestPruned)).one().getString(0);
    // What retention does (HISTORY.md): the horizon first, then one range delete of the versions up to it.
    execute("UPDATE ${ks}.snapshot_versions SET horizon_version = ?, horizon_chain_hash = ? WHERE tenant_id = ?"
        + " AND object_type = 'users' AND object_id = 'u1'", newestPruned, prunedChain, tenant.value());
    execute("DELETE FROM ${ks}.snapshot_versions WHERE tenant_id = ? AND object_type = 'users' AND object_id = 'u1'"
        + " AND version_id <= ?", tenant.value(), newestPruned);

    assertEquals(new HistoryReport(tenant.value(), 1, 3, 3, 0, 1, 0, 0, true), report(verify(tenant)));
  }
}
