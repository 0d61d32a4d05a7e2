package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.directory.Churn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backups end to end: Backup Now over HTTP, Graph delta rounds from the simulator through MSAL4J and
 * the Graph SDK, change-only snapshots in the real Cassandra, System Status and browsing over HTTP.
 */
class BackupIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  private static final String KEY = TestNode.BOOTSTRAP_KEY;

  private static Simulator simulator;
  private static TestNode node;
  private static TenantInfo contoso;
  private static String tenantId;

  @BeforeAll
  static void start() throws Exception {
    simulator = Simulator.start(SimulatorConfig.builder().port(0).tenants(1).users(40).groups(6).seed(11)
        .stateDir(Path.of("target", "simulator-backup-it")).build());
    contoso = simulator.tenants().get(0);
    node = TestNode.start(cassandra, simulator);
    tenantId = node.addAuthorizedTenant(simulator, contoso, KEY, false);
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (simulator != null) {
      simulator.close();
    }
  }

  /** Backup Now through the same helper the other backup ITs use; a manual backup that completed. */
  private static JsonNode backUpNow() {
    JsonNode job = new BackedUpDirectory(node, simulator, contoso.id(), tenantId, KEY).backUpNow(Duration.ofSeconds(60));
    assertEquals("completed", job.get("state").asText(), job.toString());
    assertEquals("manual", job.get("trigger").asText());
    return job;
  }

  private static JsonNode objects(String type, String query) {
    return node.ok(node.send("GET", "/api/v1/tenants/" + tenantId + "/objects/" + type + query, null, KEY), 200);
  }

  @SuppressWarnings("unchecked")
  private static List<String> touched(Map<String, Object> report, String action) {
    return new ArrayList<>((List<String>) report.get(action));
  }

  @Test
  void fullThenIncrementalBackupsStoreExactlyWhatChanged() {
    JsonNode full = backUpNow();
    JsonNode users = full.get("countsByType").get("users");
    assertEquals(contoso.users(), users.get("seen").asLong(), full.toString());
    assertEquals(contoso.users(), users.get("created").asLong());
    assertEquals(contoso.groups(), full.get("countsByType").get("groups").get("created").asLong());
    assertTrue(full.get("countsByType").has("roleDefinitions") && full.get("countsByType").has("roleAssignments"));
    assertTrue(full.get("graph").get("requests").asLong() > 0);

    JsonNode types = node.ok(node.send("GET", "/api/v1/tenants/" + tenantId + "/objects", null, KEY), 200);
    assertTrue(types.toString().contains("\"type\":\"users\",\"count\":" + contoso.users()), types.toString());

    // Every property Graph returned is kept as Graph returned it.
    String userId = objects("users", "?limit=1").get("items").get(0).get("id").asText();
    JsonNode versions = node.ok(node.send("GET", "/api/v1/tenants/" + tenantId + "/objects/users/" + userId
        + "/versions", null, KEY), 200).get("versions");
    assertEquals(1, versions.size());
    String firstVersion = versions.get(0).get("versionId").asText();
    JsonNode stored = node.ok(node.send("GET", "/api/v1/tenants/" + tenantId + "/objects/users/" + userId
        + "/versions/" + firstVersion, null, KEY), 200);
    @SuppressWarnings("unchecked")
    Map<String, Object> live = (Map<String, Object>) simulator.admin().object(contoso.id(), userId).get("properties");
    for (String property : List.of("displayName", "userPrincipalName", "mail", "accountEnabled", "jobTitle")) {
      if (live.get(property) != null) {
        assertEquals(String.valueOf(live.get(property)), stored.get(property).asText(), property);
      }
    }

    JsonNode quiet = backUpNow();
    JsonNode quietCounts = quiet.get("counts");
    assertEquals(0, quietCounts.get("created").asLong() + quietCounts.get("changed").asLong()
        + quietCounts.get("removed").asLong(), "a backup without changes stores nothing: " + quiet);

    Map<String, Object> churn = simulator.admin().churn(contoso.id(),
        new Churn.Spec(5, "3", "1", null, null, null, null, "1", null));
    List<String> updated = touched(churn, "usersUpdated");
    List<String> deleted = touched(churn, "usersDeleted");
    JsonNode incremental = backUpNow();
    JsonNode userCounts = incremental.get("countsByType").get("users");
    assertEquals(updated.size(), userCounts.get("changed").asLong(), incremental.toString());
    assertEquals(deleted.size(), userCounts.get("removed").asLong(), incremental.toString());
    assertTrue(incremental.get("countsByType").get("groups").get("changed").asLong() >= 1, incremental.toString());

    String changedUser = updated.get(0);
    JsonNode history = node.ok(node.send("GET", "/api/v1/tenants/" + tenantId + "/objects/users/" + changedUser
        + "/versions", null, KEY), 200).get("versions");
    assertEquals(2, history.size(), history.toString());
    JsonNode diff = node.ok(node.send("GET", "/api/v1/tenants/" + tenantId + "/objects/users/" + changedUser
        + "/diff?from=" + history.get(1).get("versionId").asText() + "&to=" + history.get(0).get("versionId").asText(),
        null, KEY), 200);
    assertFalse(diff.get("changed").isEmpty() && diff.get("added").isEmpty(), diff.toString());

    JsonNode tombstone = node.ok(node.send("GET", "/api/v1/tenants/" + tenantId + "/objects/users/" + deleted.get(0)
        + "/versions", null, KEY), 200).get("versions").get(0);
    assertEquals("changed", tombstone.get("removed").asText(), tombstone.toString());

    JsonNode jobs = node.ok(node.send("GET", "/api/v1/jobs?kind=backup", null, KEY), 200).get("items");
    assertEquals(3, jobs.size());
    assertEquals(incremental.get("id").asText(), jobs.get(0).get("id").asText(), "newest first");
    node.await(Duration.ofSeconds(30), () -> {
      JsonNode tenant = node.ok(node.send("GET", "/api/v1/tenants", null, KEY), 200).get("tenants").get(0);
      assertEquals("completed", tenant.get("lastBackup").get("result").asText(), tenant.toString());
      assertEquals(contoso.users() - deleted.size(), tenant.get("objectCounts").get("users").asLong(), tenant.toString());
    });
  }
}
