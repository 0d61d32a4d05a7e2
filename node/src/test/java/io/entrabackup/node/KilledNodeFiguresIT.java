package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
      try (TestNode setup = TestNode.start(cassandra, simulator)) {
        tenantId = setup.addAuthorizedTenant(simulator, contoso, KEY, false);
      }
      // Users come slowly, so the node is killed while some are stored and others are not.
      simulator.admin().addFault(Faults.Kind.SLOW, 1.0, -1, "/users", null, 400);
      String jobId;
      try (NodeProcess doomed = NodeProcess.start(cassandra, simulator, Map.of())) {
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
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + KEY).build(),
          HttpResponse.BodyHandlers.ofString());
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
