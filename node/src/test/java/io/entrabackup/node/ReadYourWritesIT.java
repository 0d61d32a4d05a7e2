package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator sees what they just did, through the API: a tenant just added is in the very next list, a backup just
 * started is in the very next job list; and the read side runs sliced, one projection instance per slice.
 */
class ReadYourWritesIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(5).groups(2).seed(16))
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;
  private static final int TENANTS = 25;

  @Test
  void aTenantJustAddedIsInTheVeryNextListEveryTime() {
    TestNode node = deployment.node();
    Set<String> added = new HashSet<>();
    for (int i = 0; i < TENANTS; i++) {
      String id = node.ok(node.send("POST", "/api/v1/tenants", "{\"displayName\":\"Fabrikam " + i + "\"}", KEY), 201)
          .get("id").asText();
      added.add(id);
      JsonNode listed = node.get("/api/v1/tenants?limit=100", KEY).get("tenants");
      JsonNode mine = null;
      for (JsonNode tenant : listed) {
        if (tenant.get("id").asText().equals(id)) {
          mine = tenant;
        }
      }
      assertTrue(mine != null, "tenant " + i + " missing from the list right after it was added: " + listed);
      assertEquals("Fabrikam " + i, mine.get("displayName").asText());
      assertEquals("pending_authorization", mine.get("status").asText(), mine.toString());
    }

    // Every slice that holds one of these tenants has its own projection instance, each with its own offset.
    int slices = node.node.system().settings().config().getInt("entra-backup.read-side.slices");
    Set<String> expected = new TreeSet<>();
    added.forEach(id -> expected.add(TenantEvents.tag(TenantEvents.slice("Tenant|" + id, slices))));
    assertTrue(expected.size() > 1, "25 tenants fall in more than one of " + slices + " slices: " + expected);
    node.await(Duration.ofSeconds(30), () -> assertTrue(offsetKeys("tenant-directory").containsAll(expected),
        "offsets " + offsetKeys("tenant-directory") + " cover " + expected));
    assertTrue(offsetKeys("tenant-directory").stream().allMatch(key -> key.startsWith(TenantEvents.TAG_PREFIX)));
  }

  @Test
  void aBackupJustStartedIsInTheVeryNextJobList() {
    TestNode node = deployment.node();
    for (int i = 0; i < 3; i++) {
      String jobId = deployment.backups().startBackup();
      JsonNode jobs = node.get("/api/v1/jobs?kind=backup", KEY).get("items");
      assertEquals(jobId, jobs.get(0).get("id").asText(), "newest first, at once: " + jobs);
      assertEquals(deployment.tenantId(), jobs.get(0).get("tenantId").asText());
      assertEquals("manual", jobs.get(0).get("trigger").asText());
      assertEquals("completed", deployment.backups().awaitJob(jobId, Duration.ofSeconds(60)).get("state").asText());
    }
  }

  /** The projection keys with a saved offset for this read model. */
  private static Set<String> offsetKeys(String readModel) {
    var system = deployment.node().node.system();
    var session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create("entra-backup.cassandra.session"));
    String keyspace = system.settings().config().getString("entra-backup.cassandra.keyspace");
    try {
      Set<String> keys = new TreeSet<>();
      session.selectAll("SELECT projection_name, projection_key FROM " + keyspace + ".offset_store")
          .toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
          .filter(row -> readModel.equals(row.getString("projection_name")))
          .forEach(row -> keys.add(row.getString("projection_key")));
      return keys;
    } catch (Exception e) {
      throw new AssertionError("offset store not readable", e);
    }
  }
}
