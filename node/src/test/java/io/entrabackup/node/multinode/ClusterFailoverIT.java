package io.entrabackup.node.multinode;

import static io.entrabackup.node.multinode.MultiNodeCluster.await;
import static io.entrabackup.node.multinode.MultiNodeCluster.say;
import static io.entrabackup.node.multinode.MultiNodeCluster.seconds;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.node.download.UnzippedDownload;
import io.entrabackup.simulator.throttle.Faults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three nodes in processes of their own over three Cassandra nodes (issue 16), all on one cluster started once: a node
 * killed in the middle of a large tenant's backup, a node that leaves (deploy/ops leave) and a shard moved (deploy/ops
 * move) in the middle of one, a node killed in the middle of a download build and of a restore, and a Cassandra node
 * stopped. Each backup is checked object by object against the simulator, each download object by object in its ZIP,
 * each restore write by write. Prints the failover figures (deploy/CLUSTER.md quotes them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {

  /** Users and groups of the large tenant: as large as a CI machine of 2 cores backs up in about a minute. */
  private static final int USERS = Integer.getInteger("multinode.users", 20_000);
  private static final int GROUPS = Integer.getInteger("multinode.groups", 1_000);
  private static final int PAGE = 200;
  private static final Duration FAILOVER_TARGET = Duration.ofSeconds(30);
  private static final List<String> ENDED = List.of("completed", "completed_with_skipped_items", "failed");
  /**
   * How long Graph takes to answer a groups delta page in the leave and move tests: the users' milestone is recorded
   * while the groups are still being read, so the run is handed on with one type at its milestone and one under way.
   */
  private static final long SLOW_GROUPS_MILLIS = 30_000;

  @RegisterExtension
  static final MultiNodeCluster cluster = MultiNodeCluster.of(
      SimulatorConfig.builder().tenants(1).users(USERS).groups(GROUPS).seed(16),
      // Smaller pages, fewer of them a second: the crawl lasts long enough to be interrupted half-way.
      "-Dentra-backup.graph.delta.max-page-size=" + PAGE,
      "-Dentra-backup.graph.delta.requests-per-second-per-tenant=5",
      // One object read at a time: a download build of a few thousand objects lasts long enough to be killed midway.
      "-Dentra-backup.download.read-parallelism=1",
      "-Dentra-backup.download.progress-interval=100ms");

  /** A tenant whose backup completed exact (the leave test's), for the download test. */
  private static String backedUpTenant;

  @Test
  @Order(1)
  void aKilledNodesBackupResumesElsewhereAndStoresExactlyWhatACleanRunStores() throws Exception {
    TenantInfo directory = cluster.simulator().tenants().get(0);
    String tenantId = cluster.addAuthorizedTenant(directory);
    String jobId = cluster.startBackup(tenantId);
    NodeProcess runner = await(Duration.ofSeconds(30), () -> cluster.runnerOf(tenantId)
        .orElseThrow(() -> new AssertionError("no node runs " + tenantId)));
    long killAt = USERS / 4;
    JsonNode before = await(Duration.ofSeconds(120), () -> {
      JsonNode job = cluster.job(jobId).orElseThrow(() -> new AssertionError("no job yet"));
      assertTrue(job.path("progress").path("users").asLong() >= killAt, job.toString());
      // The runner writes its progress itself; the state follows the job's events a moment later (seen "queued"
      // with 5,000 users read on a busy machine), so both are waited for: still crawling when killed.
      assertEquals("running", job.get("state").asText(), "still crawling when killed: " + job);
      return job;
    });

    long killed = System.nanoTime();
    runner.kill();
    long pagesAtKill = GraphRequests.usersPages(cluster.simulator());
    say("kill -9 " + runner.name() + " at " + before.get("progress"));
    NodeProcess successor = await(Duration.ofSeconds(90), () -> cluster.runnerOf(tenantId)
        .orElseThrow(() -> new AssertionError("the tenant runs nowhere yet")));
    double elsewhere = seconds(killed);
    assertNotEquals(runner, successor);
    JsonNode done = awaitEnd(jobId, Duration.ofSeconds(300));
    double completed = seconds(killed);
    long pagesAfter = GraphRequests.usersPages(cluster.simulator()) - pagesAtKill;
    long crawl = (USERS + PAGE - 1) / PAGE;
    ExactBackup.Figures figures = ExactBackup.figures(cluster, directory, tenantId);
    String report = String.format("failover: %,d users + %,d groups; kill -9 of %s at %s users;"
            + " running on %s %.1f s after the kill, completed %.1f s after the kill; %d objects missing, %d duplicated"
            + " (%s); users pages read after the kill: %d (a full crawl: %d)",
        USERS, GROUPS, runner.name(), before.get("progress").path("users").asText(), successor.name(), elsewhere,
        completed, figures.missing(), figures.duplicated(), figures, pagesAfter, crawl);
    say(report);
    Files.writeString(Path.of("target/multinode/failover-figures.txt"), report + System.lineSeparator());

    // Each says what it found, whichever else fails.
    try {
      assertAll(
          () -> assertEquals("completed", done.get("state").asText(), done.toString()),
          () -> assertTrue(elsewhere <= FAILOVER_TARGET.toSeconds(), "running elsewhere after " + elsewhere + " s"),
          () -> ExactBackup.assertExact(cluster, directory, tenantId, done),
          // Killed before the users' milestone (the first type's), the run resumes from the run's start: the users
          // are read again once, from their first page, and no more.
          () -> assertTrue(pagesAfter <= crawl + 1, pagesAfter + " users pages after the kill, a crawl is " + crawl));
    } finally {
      cluster.addNode(); // three nodes again for the next test, whatever this one found
    }
  }

  @Test
  @Order(2)
  void aLeavingNodesBackupContinuesElsewhereFromItsMilestone() throws Exception {
    TenantInfo directory = cluster.simulator().admin().createTenant(5_000, 200);
    String tenantId = cluster.addAuthorizedTenant(directory);
    slowGroups();
    try {
      String jobId = cluster.startBackup(tenantId);
      NodeProcess runner = await(Duration.ofSeconds(30), () -> cluster.runnerOf(tenantId)
          .orElseThrow(() -> new AssertionError("no node runs " + tenantId)));
      awaitUsersMilestone(jobId);
      long pagesAtLeave = GraphRequests.usersPages(cluster.simulator());
      long left = System.nanoTime();
      DeployOps.Result leave = cluster.ops("leave", "127.0.0.1:" + runner.ports().remote());
      assertEquals(0, leave.exitCode(), leave.output());
      assertTrue(runner.awaitExit(Duration.ofSeconds(90)), runner.name() + " left and ended");
      NodeProcess successor = await(Duration.ofSeconds(60), () -> cluster.runnerOf(tenantId)
          .orElseThrow(() -> new AssertionError("the tenant runs nowhere yet")));
      JsonNode done = awaitEnd(jobId, Duration.ofSeconds(240));
      long pagesAfter = GraphRequests.usersPages(cluster.simulator()) - pagesAtLeave;
      say(String.format("leave: %s's backup went on on %s and completed %.1f s after the leave; users pages read"
          + " after it: %d; %s", runner.name(), successor.name(), seconds(left), pagesAfter,
          ExactBackup.figures(cluster, directory, tenantId)));
      assertEquals("completed", done.get("state").asText(), done.toString());
      ExactBackup.assertExact(cluster, directory, tenantId, done);
      assertEquals(0, pagesAfter, "the users were at their milestone when the node left: never read again");
      backedUpTenant = tenantId;
    } finally {
      cluster.simulator().admin().clearFaults();
      cluster.addNode();
    }
  }

  @Test
  @Order(3)
  void aRunningBackupsShardMovedWithDeployOpsContinuesOnTheChosenNodeFromItsMilestone() throws Exception {
    TenantInfo directory = cluster.simulator().admin().createTenant(2_000, 50);
    String tenantId = cluster.addAuthorizedTenant(directory);
    String shard = MultiNodeCluster.shardOf(tenantId);
    slowGroups();
    try {
      String jobId = cluster.startBackup(tenantId);
      NodeProcess runner = await(Duration.ofSeconds(30), () -> cluster.runnerOf(tenantId)
          .orElseThrow(() -> new AssertionError("no node runs " + tenantId)));
      awaitUsersMilestone(jobId);
      NodeProcess target = cluster.running().stream().filter(node -> node != runner).findFirst().orElseThrow();
      long pagesAtMove = GraphRequests.usersPages(cluster.simulator());
      long moving = System.nanoTime();

      DeployOps.Result moved = cluster.ops("move", shard, "127.0.0.1:" + target.ports().remote());

      assertEquals(0, moved.exitCode(), moved.output());
      assertTrue(moved.output().contains("runs on " + target.address()), moved.output());
      JsonNode atMove = cluster.job(jobId).orElseThrow();
      assertFalse(ENDED.contains(atMove.get("state").asText()), "moved while it ran: " + atMove);
      await(Duration.ofSeconds(30), () -> {
        assertEquals(Optional.of(target), cluster.runnerOf(tenantId), "the tenant runs on the chosen node");
        return null;
      });
      JsonNode done = awaitEnd(jobId, Duration.ofSeconds(240));
      long pagesAfter = GraphRequests.usersPages(cluster.simulator()) - pagesAtMove;
      say(String.format("move: shard %s of %s moved with deploy/ops to %s; completed %.1f s after the move; users pages"
          + " read after it: %d", shard, runner.name(), target.name(), seconds(moving), pagesAfter));
      assertEquals("completed", done.get("state").asText(), done.toString());
      ExactBackup.assertExact(cluster, directory, tenantId, done);
      assertEquals(0, pagesAfter, "the users were at their milestone when the shard moved: never read again");
      DeployOps.Result unpinned = cluster.ops("unpin", shard);
      assertEquals(0, unpinned.exitCode(), unpinned.output());
    } finally {
      cluster.simulator().admin().clearFaults();
    }
  }

  @Test
  @Order(4)
  void aKilledNodesDownloadBuildCompletesElsewhereWithTheBackupsObjectsEachOnce() throws Exception {
    String tenantId = backedUpTenant != null ? backedUpTenant : backedUpTenant(3_000, 100);
    Map<String, Long> expected = objectCounts(tenantId);
    long total = expected.values().stream().mapToLong(Long::longValue).sum();
    String downloadId = NodeProcess.ok(cluster.any().send("POST", "/api/v1/tenants/" + tenantId + "/downloads",
        "{\"scope\":\"tenant\"}", MultiNodeCluster.KEY), 202).get("jobId").asText();
    NodeProcess runner = await(Duration.ofSeconds(60), () -> cluster.runnerOf("DownloadJob", downloadId)
        .orElseThrow(() -> new AssertionError("no node builds " + downloadId)));
    JsonNode before = await(Duration.ofSeconds(120), () -> {
      JsonNode job = cluster.job(downloadId).orElseThrow(() -> new AssertionError("no job yet"));
      assertTrue(job.path("progress").path("objectsWritten").asLong() > 0, job.toString());
      assertEquals("running", job.get("state").asText(), "still building when killed: " + job);
      return job;
    });
    runner.kill();
    long killed = System.nanoTime();
    say("kill -9 " + runner.name() + " building download " + downloadId + " at " + before.get("progress"));
    try {
      NodeProcess successor = await(Duration.ofSeconds(90), () -> cluster.runnerOf("DownloadJob", downloadId)
          .orElseThrow(() -> new AssertionError("the build runs nowhere yet")));
      assertNotEquals(runner, successor);
      List<String> wrongFigures = new ArrayList<>();
      JsonNode done = await(Duration.ofSeconds(300), () -> {
        JsonNode job = cluster.job(downloadId).orElseThrow(() -> new AssertionError("no node answers"));
        JsonNode progress = job.path("progress");
        if (progress.has("objectsTotal") && progress.get("objectsTotal").asLong() != total
            || progress.path("objectsWritten").asLong() > total) {
          wrongFigures.add(progress.toString());
        }
        assertTrue(ENDED.contains(job.get("state").asText()), job.toString());
        return job;
      });
      say(String.format("download: built on %s after the kill, completed %.1f s after it; %s", successor.name(),
          seconds(killed), done.get("progress")));
      assertEquals("completed", done.get("state").asText(), done.toString());
      assertEquals(List.of(), wrongFigures, "the total (" + total + ") from the start, never more written");
      assertEquals(total, done.get("progress").get("objectsTotal").asLong(), done.toString());
      assertEquals(total, done.get("progress").get("objectsWritten").asLong(), done.toString());
      var zipped = successor.fetch(done.get("download").get("link").asText());
      assertEquals(200, zipped.statusCode());
      assertEquals(done.get("download").get("sizeBytes").asLong(), zipped.body().length, "the bytes shown");
      UnzippedDownload zip = UnzippedDownload.of(zipped.body()).verifyManifest();
      Map<String, Long> inZip = new TreeMap<>();
      expected.keySet().forEach(type -> inZip.put(type, (long) zip.objects(type).size()));
      assertEquals(expected, inZip, "each object of the backup once in the ZIP, per type");
    } finally {
      cluster.addNode();
    }
  }

  @Test
  @Order(5)
  void aKilledNodesRestoreCompletesElsewhereCountingEachWriteOnce() throws Exception {
    TenantInfo directory = cluster.simulator().admin().createTenant(40, 12);
    String tenantId = cluster.addAuthorizedTenant(directory);
    GroupRestore restore = GroupRestore.prepare(cluster, directory, 5);
    assertEquals("completed", awaitEnd(cluster.startBackup(tenantId), Duration.ofSeconds(120)).get("state").asText());
    restore.removeMembers();
    Set<String> before = restore.members();
    long additions = GraphRequests.memberAdditions(cluster.simulator());
    // Each member write is answered only after 2 s (Graph has made it by then): the five take ten.
    cluster.simulator().admin().addFault(Faults.Kind.SLOW, 1.0, -1, "/$ref", null, 2000);
    NodeProcess runner;
    String jobId;
    try {
      jobId = restore.start(cluster.any(), tenantId);
      runner = await(Duration.ofSeconds(30), () -> cluster.runnerOf(tenantId)
          .orElseThrow(() -> new AssertionError("no node runs " + tenantId)));
      await(Duration.ofSeconds(60), () -> {
        assertNotEquals(before, restore.members());
        return null;
      });
      assertFalse(restore.members().containsAll(restore.wanted()), "the node goes before the restore is done");
      runner.kill();
    } finally {
      cluster.simulator().admin().clearFaults();
    }
    say("kill -9 " + runner.name() + " restoring group " + restore.group() + " with " + restore.members().size()
        + " of " + restore.wanted().size() + " members back");
    try {
      NodeProcess successor = await(Duration.ofSeconds(90), () -> cluster.runnerOf(tenantId)
          .orElseThrow(() -> new AssertionError("the tenant runs nowhere yet")));
      assertNotEquals(runner, successor);
      JsonNode done = awaitEnd(jobId, Duration.ofSeconds(180));
      assertEquals("completed", done.get("state").asText(), done.toString());
      assertEquals(restore.wanted(), restore.members(), "the group as chosen");
      // Five members added back, whichever node made each write, and none added twice.
      assertEquals(5, done.get("restore").get("changes").asLong(), done.toString());
      assertEquals(5, GraphRequests.memberAdditions(cluster.simulator()) - additions, "member additions Graph made");
      JsonNode skipped = cluster.any().get("/api/v1/jobs/" + jobId + "/skipped-items", MultiNodeCluster.KEY)
          .get("items");
      assertEquals(0, skipped.size(), skipped.toString());
    } finally {
      cluster.addNode();
    }
  }

  @Test
  @Order(6)
  void withOneCassandraNodeStoppedBackupsRestoresDownloadsAndTheApiKeepWorkingAndItCatchesUp() throws Exception {
    cluster.ring().stopNode(3);
    String tenantId;
    List<String> users;
    try {
      TenantInfo directory = cluster.simulator().admin().createTenant(600, 40);
      tenantId = cluster.addAuthorizedTenant(directory);
      GroupRestore restore = GroupRestore.prepare(cluster, directory, 2);
      JsonNode done = awaitEnd(cluster.startBackup(tenantId), Duration.ofSeconds(180));
      assertEquals("completed", done.get("state").asText(), done.toString());
      ExactBackup.assertExact(cluster, directory, tenantId, done);
      users = new ArrayList<>(cluster.versionsPerObject(tenantId).get("users").keySet());

      restore.removeMembers();
      JsonNode restored = awaitEnd(restore.start(cluster.any(), tenantId), Duration.ofSeconds(120));
      assertEquals("completed", restored.get("state").asText(), restored.toString());
      assertEquals(restore.wanted(), restore.members(), "the group as chosen");
      assertEquals(2, restored.get("restore").get("changes").asLong(), restored.toString());

      NodeProcess node = cluster.any();
      String downloadId = NodeProcess.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/downloads",
          "{\"scope\":\"tenant\"}", MultiNodeCluster.KEY), 202).get("jobId").asText();
      JsonNode download = awaitEnd(downloadId, Duration.ofSeconds(180));
      assertEquals("completed", download.get("state").asText(), download.toString());
      var zip = node.send("GET", download.get("download").get("link").asText(), null, null);
      assertEquals(200, zip.statusCode());
      assertTrue(zip.body().startsWith("PK"), "a ZIP");
      for (NodeProcess each : cluster.running()) {
        assertEquals(200, each.send("GET", "/api/v1/tenants", null, MultiNodeCluster.KEY).statusCode());
        assertEquals(200, each.send("GET", "/health/ready", null, null).statusCode(), each.name() + " ready");
      }
      // Nodes 1 and 2 keep hints of every write node 3 missed (hinted handoff), flushed every 10 s.
      String hints = await(Duration.ofSeconds(60), () -> {
        String pending = pendingHints(1) + pendingHints(2);
        assertTrue(pending.contains("127.0.0.3"), "no hint pending for node 3: " + pending);
        return pending;
      });
      say("with Cassandra node 3 stopped: backup, restore, download and API answered; pending hints: " + hints);
    } finally {
      cluster.ring().startAll();
    }
    // Back, it catches up from the hints nodes 1 and 2 kept for it while it was down.
    await(Duration.ofSeconds(120), () -> {
      String hints = pendingHints(1) + pendingHints(2);
      assertTrue(!hints.contains("127.0.0.3"), "hints still pending: " + hints);
      return null;
    });
    // What was written while it was down is on node 3 itself: read there alone, at ONE.
    RowsOnOneNode.Found found = RowsOnOneNode.usersOn(cluster.ring(), 3, cluster.keyspace(), tenantId,
        users.subList(0, Math.min(60, users.size())));
    say("Cassandra node 3 back: no hint left pending for it; users written while it was down, read on it: " + found);
    assertEquals(0, found.missing(), found.toString());
    assertTrue(found.local() >= 10, "too few reads made by node 3 itself to tell: " + found);
  }

  /** Graph answers each groups delta page late (leave and move tests); cleared by the test. */
  private static void slowGroups() {
    cluster.simulator().admin().addFault(Faults.Kind.SLOW, 1.0, -1, "/groups/delta", null, SLOW_GROUPS_MILLIS);
  }

  /** Waits until the run has recorded its users' milestone (their counts) while it still runs (the groups). */
  private static JsonNode awaitUsersMilestone(String jobId) throws InterruptedException {
    JsonNode job = await(Duration.ofSeconds(180), () -> {
      JsonNode seen = cluster.job(jobId).orElseThrow(() -> new AssertionError("no job yet"));
      assertTrue(seen.path("countsByType").has("users"), "users not at their milestone yet: " + seen);
      assertEquals("running", seen.get("state").asText(), "still running: " + seen);
      return seen;
    });
    say("users at their milestone: " + job.get("countsByType").get("users") + "; " + job.get("progress"));
    return job;
  }

  private static JsonNode awaitEnd(String jobId, Duration max) throws InterruptedException {
    return await(max, () -> {
      JsonNode job = cluster.job(jobId).orElseThrow(() -> new AssertionError("no node answers"));
      assertTrue(ENDED.contains(job.get("state").asText()), job.get("state") + " " + job.get("progress"));
      return job;
    });
  }

  /** A new tenant of that size, backed up once (when the download test runs alone). */
  private static String backedUpTenant(int users, int groups) throws Exception {
    String tenantId = cluster.addAuthorizedTenant(cluster.simulator().admin().createTenant(users, groups));
    JsonNode done = awaitEnd(cluster.startBackup(tenantId), Duration.ofSeconds(240));
    assertEquals("completed", done.get("state").asText(), done.toString());
    return tenantId;
  }

  /** The tenant's objects per type, as its objects API counts them: what a download of it must hold. */
  private static Map<String, Long> objectCounts(String tenantId) {
    Map<String, Long> counts = new TreeMap<>();
    for (JsonNode type : cluster.any().get("/api/v1/tenants/" + tenantId + "/objects", MultiNodeCluster.KEY)
        .get("items")) {
      counts.put(type.get("type").asText(), type.get("count").asLong());
    }
    return counts;
  }

  private static String pendingHints(int node) {
    try {
      return cluster.ring().nodetool(node, "listpendinghints");
    } catch (Exception e) {
      throw new IllegalStateException("nodetool listpendinghints on node " + node + ": " + e, e);
    }
  }

}
