package io.entrabackup.cluster.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.audit.AuditTrail;
import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.history.HistoryVerifier;
import io.entrabackup.cluster.history.ObjectHistory;
import io.entrabackup.cluster.snapshot.StoredLink;
import io.entrabackup.cluster.snapshot.StoredLinks;
import io.entrabackup.cluster.crypto.TenantKeyring;
import io.entrabackup.cluster.job.JobsByAccount;
import io.entrabackup.cluster.snapshot.SnapshotStore;
import io.entrabackup.cluster.snapshot.VersionInfo;
import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.cluster.tenant.TenantDirectory;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.audit.AuditAction;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.history.HistoryFinding;
import io.entrabackup.protocol.history.HistoryProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retention passes against the real local Cassandra: what is pruned, what stays, and the history still verifies. */
class RetentionPassTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.withNodeSchema("retention");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
  private static final AccountId ACCOUNT = new AccountId("retention-test");

  private static SnapshotStore store;
  private static Retention retention;
  private static JobsByAccount jobs;
  private static AuditTrail audit;
  private static HistoryVerifier verifier;

  @BeforeAll
  static void start() {
    store = new SnapshotStore(cassandra.session(), cassandra.keyspace(), 16,
        TenantKeyring.get(cassandra.testKit().system()));
    jobs = new JobsByAccount(cassandra.session(), cassandra.keyspace());
    audit = new AuditTrail(cassandra.session()::underlying, cassandra.keyspace());
    verifier = new HistoryVerifier(cassandra.session()::underlying, cassandra.keyspace(), 4);
    RetentionSettings settings = new RetentionSettings(false, Duration.ofHours(1), Duration.ofHours(24),
        Duration.ofMinutes(2), 8, Duration.ofDays(30));
    retention = new Retention(cassandra.session(), cassandra.keyspace(), jobs,
        new TenantDirectory(cassandra.session(), cassandra.keyspace()), audit,
        Materializer.matFromSystem(cassandra.testKit().system()), settings, Clock.fixed(NOW, ZoneOffset.UTC),
        "test");
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }

  private static Instant daysAgo(int days) {
    return NOW.minus(Duration.ofDays(days));
  }

  private static void write(TenantId tenant, String id, String title, Instant at) {
    ObjectNode user = JsonNodeFactory.instance.objectNode().put("id", id).put("displayName", "User " + id)
        .put("userPrincipalName", id + "@contoso.com").put("jobTitle", title);
    await(store.write(tenant, ObjectType.USERS, "run-" + at, user, await(store.latest(tenant, ObjectType.USERS, id)),
        at));
  }

  private static List<String> versions(TenantId tenant, String id) {
    return await(store.versions(tenant, ObjectType.USERS, id)).stream().map(VersionInfo::versionId).toList();
  }

  /** Runs a pass as the schedule or the API would, and waits for its end. */
  private static PassRecord pass(TenantId tenant) {
    String job = await(retention.begin(ACCOUNT.value(), tenant.value(), 30, BackupTrigger.MANUAL, Duration.ZERO))
        .jobId();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      PassRecord record = await(retention.lastPass(tenant.value())).orElseThrow();
      if (record.jobId().toString().equals(job) && record.finished()) {
        return record;
      }
      LockSupportPause.pause();
    }
    throw new AssertionError("the retention pass did not end");
  }

  /** One object's history checked as the verifier checks it (ObjectHistory), from its partition as stored. */
  private static ObjectHistory.Verdict historyOf(TenantId tenant, String id) {
    StoredLinks.ObjectVersions versions = await(new StoredLinks(cassandra.session()::underlying, cassandra.keyspace())
        .versions(tenant, ObjectType.USERS, id));
    List<StoredLink> oldestFirst = versions.oldestFirst();
    return ObjectHistory.check(ObjectType.USERS.apiName(), id, oldestFirst, versions.horizon(),
        Optional.of(oldestFirst.get(oldestFirst.size() - 1).versionId()), tenant.value());
  }

  @Test
  void aPassPrunesOnlyVersionsPastTheWindowAndTheHistoryStillVerifies() {
    TenantId tenant = TenantId.random();
    write(tenant, "changed", "Engineer", daysAgo(100));
    write(tenant, "changed", "Lead", daysAgo(60));
    write(tenant, "changed", "Manager", daysAgo(10));
    write(tenant, "deleted", "Intern", daysAgo(300));
    write(tenant, "deleted", "Analyst", daysAgo(200));
    await(store.tombstone(tenant, ObjectType.USERS, "run-del", "deleted", "deleted",
        await(store.latest(tenant, ObjectType.USERS, "deleted")), daysAgo(100)));
    write(tenant, "old", "Founder", daysAgo(400));
    List<String> changedBefore = versions(tenant, "changed");
    List<String> deletedBefore = versions(tenant, "deleted");

    PassRecord done = pass(tenant);

    assertEquals(changedBefore.subList(0, 2), versions(tenant, "changed"),
        "the Lead version was current 30 days ago: it stays; the Engineer one goes");
    assertEquals(deletedBefore.subList(0, 1), versions(tenant, "deleted"),
        "a deleted object keeps its tombstone (with its last state)");
    assertEquals(1, versions(tenant, "old").size(), "the latest version of an object is never pruned");
    assertEquals(new RetentionFigures(3, 3, 0, done.figures().stateBytes()), done.figures());
    assertTrue(done.figures().stateBytes() > 0);

    List<HistoryFinding> findings = await(verifier.verify(tenant).runWith(Sink.seq(),
        Materializer.matFromSystem(cassandra.testKit().system())));
    assertTrue(findings.stream().noneMatch(HistoryProblem.class::isInstance), "no break and no gap: " + findings);
    for (String id : List.of("changed", "deleted")) {
      ObjectHistory.Verdict verdict = historyOf(tenant, id);
      assertEquals(List.of(), verdict.problems());
      assertTrue(verdict.fromHorizon(), id + "'s kept history starts from the recorded horizon");
    }
    assertEquals(List.of(), historyOf(tenant, "old").problems());

    JobView job = await(jobs.job(ACCOUNT, JobKind.RETENTION, done.jobId().toString())).orElseThrow();
    assertEquals(JobState.COMPLETED, job.state());
    assertEquals(3L, job.progress().get(RetentionFigures.VERSIONS));
    assertEquals(3L, job.progress().get(RetentionFigures.OBJECTS));
    assertTrue(await(audit.page(ACCOUNT.value(), Optional.empty(),
            entry -> entry.action() == AuditAction.RETENTION_RUN
                && done.jobId().toString().equals(entry.target().get("job")), 10, 1000)).entries().stream()
        .anyMatch(entry -> "3".equals(entry.target().get(RetentionFigures.VERSIONS))));

    PassRecord again = pass(tenant);
    assertEquals(new RetentionFigures(3, 0, 0, 0), again.figures(), "a second pass finds nothing more to prune");
  }

  @Test
  void aDownloadUnderWayDefersThePassAndNothingIsPruned() {
    TenantId tenant = TenantId.random();
    write(tenant, "pinned", "Engineer", daysAgo(100));
    write(tenant, "pinned", "Lead", daysAgo(60));
    await(jobs.insert(JobKind.DOWNLOAD, ACCOUNT, com.datastax.oss.driver.api.core.uuid.Uuids.timeBased().toString(),
        tenant.value(), JobState.RUNNING, Optional.empty(), NOW, Optional.of(NOW)));

    PassRecord deferred = pass(tenant);

    assertTrue(deferred.deferred().isPresent());
    assertEquals(2, versions(tenant, "pinned").size(), "a running download may read any version: none goes");
  }
}
