package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.node.download.UnzippedDownload;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.throttle.Faults;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every figure stays exact when the node doing the work is killed as {@code kill -9} does (a node in a JVM of its own,
 * {@link NodeProcess}) and a new node on the same keyspace takes over: nothing the dead process held in memory may be
 * missing from a figure, and nothing the new node does again may be in it twice.
 *
 * <p>What "exact" means for a resumed backup: its figures are those of a run that was never interrupted. Each object is
 * counted once, by what the run as a whole did to it: a first full backup created every object Graph returned (none of
 * them "unchanged", although the resumed attempt found those the lost attempt had written already stored), and the
 * tenant's object counts are the objects the backup holds, each live one once.
 */
class KilledNodeFiguresIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  private static final String KEY = TestNode.BOOTSTRAP_KEY;
  private static final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aBackupWhoseNodeIsKilledMidCrawlEndsWithTheCountsAndFiguresOfARunNeverInterrupted() throws Exception {
    try (Simulator simulator = Simulator.start(SimulatorConfig.builder().port(0).tenants(1).users(2000).groups(30)
        .seed(43).stateDir(Path.of("target", "simulator-killed-node-backup-it")).build())) {
      TenantInfo contoso = simulator.tenants().get(0);
      String tenantId;
      String jobId;
      // The objects per type the backup holds, as its counts show them: what the download must hold.
      Map<String, Long> expectedObjects = new TreeMap<>();
      try (NodeProcess doomed = NodeProcess.start(cassandra, simulator, Map.of())) {
        tenantId = doomed.addAuthorizedTenant(simulator, contoso);
        // Users come slowly, so the node is killed while some are stored and others are not.
        simulator.admin().addFault(Faults.Kind.SLOW, 1.0, -1, "/users", null, 400);
        jobId = read(send(doomed.port, "POST", "/api/v1/tenants/" + tenantId + "/backups"), 202).get("jobId").asText();
        awaitTrue(Duration.ofSeconds(120), () -> storedUsers(doomed.port, tenantId) >= 200);
        doomed.kill();
      }
      simulator.admin().clearFaults();

      try (TestNode next = TestNode.start(cassandra, simulator)) {
        JsonNode job = next.awaitJob(jobId, KEY, Duration.ofSeconds(180));
        assertEquals("completed", job.get("state").asText(), job.toString());
        BackedUpDirectory backups = new BackedUpDirectory(next, simulator, contoso.id(), tenantId, KEY);
        JsonNode counts = next.get("/api/v1/tenants/" + tenantId + "/objects", KEY).get("items");
        JsonNode tenant = next.get("/api/v1/tenants/" + tenantId, KEY);
        for (ObjectType type : ObjectType.values()) {
          String name = type.apiName();
          long live = type == ObjectType.USERS || type == ObjectType.GROUPS
              ? backups.assertMatchesSimulator(name)
              : backups.list(name).stream().filter(item -> !item.get("deleted").asBoolean()).count();
          assertEquals(live, countOf(counts, name), name + " on the objects API: " + counts);
          assertEquals(live, tenant.path("objectCounts").path(name).asLong(), name + " on the tenant: " + tenant);
          // A first full backup of a directory where nothing is deleted: every object seen is created, once.
          JsonNode figures = job.get("countsByType").get(name);
          String why = name + " of the resumed run: " + figures;
          assertEquals(live, figures.get("seen").asLong(), why);
          assertEquals(live, figures.get("created").asLong(), why);
          assertEquals(0, figures.get("changed").asLong(), why);
          assertEquals(0, figures.get("removed").asLong(), why);
          assertEquals(0, figures.get("unchanged").asLong(), why);
        }
        assertEquals(contoso.users(), countOf(counts, "users"), "every user of the simulator, once: " + counts);
        for (ObjectType type : ObjectType.values()) {
          expectedObjects.put(type.apiName(), countOf(counts, type.apiName()));
        }
      }

      // The same tenant downloaded whole, the build's node killed midway: the next node builds it again, and the job
      // shows the objects of the tenant as its total from the start, writes each once, and ends with written = total.
      long total = expectedObjects.values().stream().mapToLong(Long::longValue).sum();
      String downloadId;
      try (NodeProcess doomed = NodeProcess.start(cassandra, simulator, Map.of(
          "entra-backup.download.read-parallelism", "1", "entra-backup.download.chunk-size", "1k",
          "entra-backup.download.compression-level", "9", "entra-backup.download.progress-interval", "50ms"))) {
        downloadId = read(send(doomed.port, "POST", "/api/v1/tenants/" + tenantId + "/downloads",
            "{\"scope\":\"tenant\"}"), 202).get("id").asText();
        awaitTrue(Duration.ofSeconds(120), () -> read(send(doomed.port, "GET", "/api/v1/jobs/" + downloadId, null), 200)
            .path("progress").path("objectsWritten").asLong() > 0);
        doomed.kill();
      }
      try (TestNode next = TestNode.start(cassandra, simulator)) {
        JsonNode[] job = new JsonNode[1];
        next.await(Duration.ofSeconds(180), () -> {
          job[0] = next.get("/api/v1/jobs/" + downloadId, KEY);
          JsonNode progress = job[0].path("progress");
          if (progress.has("objectsTotal")) {
            assertEquals(total, progress.get("objectsTotal").asLong(), "the total, from the start: " + job[0]);
            assertTrue(progress.get("objectsWritten").asLong() <= total, job[0].toString());
          }
          assertEquals("completed", job[0].get("state").asText(), job[0].toString());
        });
        assertEquals(total, job[0].get("progress").get("objectsWritten").asLong(), job[0].toString());
        var zipped = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + next.port
            + job[0].get("download").get("link").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zipped.statusCode());
        assertEquals(job[0].get("download").get("sizeBytes").asLong(), zipped.body().length, "the bytes shown");
        UnzippedDownload zip = UnzippedDownload.of(zipped.body()).verifyManifest();
        for (var expected : expectedObjects.entrySet()) {
          assertEquals(expected.getValue().longValue(), zip.objects(expected.getKey()).size(),
              expected.getKey() + ": each object once in the ZIP");
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static long storedUsers(int port, String tenantId) {
    var page = send(port, "GET", "/api/v1/tenants/" + tenantId + "/objects/users?limit=200");
    return page.statusCode() == 200 ? read(page, 200).get("items").size() : 0;
  }

  private static long countOf(JsonNode types, String name) {
    for (JsonNode type : types) {
      if (type.get("type").asText().equals(name)) {
        return type.get("count").asLong();
      }
    }
    throw new AssertionError("no count of " + name + " in " + types);
  }

  private static HttpResponse<String> send(int port, String method, String path) {
    return send(port, method, path, null);
  }

  private static HttpResponse<String> send(int port, String method, String path, String json) {
    try {
      var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization",
          "Bearer " + KEY);
      if (json == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request.method(method, HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed", e);
    }
  }

  private static JsonNode read(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    return TestNode.read(response.body());
  }

  /** Polls a condition about another process (no actor system of ours sees it). */
  private static void awaitTrue(Duration max, java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + max);
      Thread.sleep(100);
    }
  }
}
