package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.directory.Churn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backups end to end: Backup Now over HTTP, Graph delta rounds from the simulator through MSAL4J and
 * the Graph SDK, change-only snapshots in the real Cassandra, System Status and browsing over HTTP.
 */
class BackupIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(40).groups(6).seed(11))
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;

  @Test
  void fullThenIncrementalBackupsStoreExactlyWhatChanged() {
    TenantInfo contoso = deployment.tenant();
    BackedUpDirectory backups = deployment.backups();
    JsonNode full = backUpNow();
    JsonNode users = full.get("countsByType").get("users");
    assertEquals(contoso.users(), users.get("seen").asLong(), full.toString());
    assertEquals(contoso.users(), users.get("created").asLong());
    assertEquals(contoso.groups(), full.get("countsByType").get("groups").get("created").asLong());
    assertTrue(full.get("countsByType").has("roleDefinitions") && full.get("countsByType").has("roleAssignments"));
    assertTrue(full.get("graph").get("requests").asLong() > 0);

    JsonNode types = get("/api/v1/tenants/" + deployment.tenantId() + "/objects");
    assertTrue(types.toString().contains("\"type\":\"users\",\"count\":" + contoso.users()), types.toString());

    // Every property Graph returned is kept as Graph returned it.
    String userId = get("/api/v1/tenants/" + deployment.tenantId() + "/objects/users?limit=1").get("items").get(0)
        .get("id").asText();
    JsonNode versions = backups.versions("users", userId);
    assertEquals(1, versions.size());
    JsonNode stored = backups.version("users", userId, versions.get(0).get("versionId").asText());
    @SuppressWarnings("unchecked")
    Map<String, Object> live = (Map<String, Object>) deployment.simulator().admin().object(contoso.id(), userId)
        .get("properties");
    for (String property : List.of("displayName", "userPrincipalName", "mail", "accountEnabled", "jobTitle")) {
      if (live.get(property) != null) {
        assertEquals(String.valueOf(live.get(property)), stored.get(property).asText(), property);
      }
    }

    JsonNode quiet = backUpNow();
    JsonNode quietCounts = quiet.get("counts");
    assertEquals(0, quietCounts.get("created").asLong() + quietCounts.get("changed").asLong()
        + quietCounts.get("removed").asLong(), "a backup without changes stores nothing: " + quiet);

    Map<String, Object> churn = deployment.simulator().admin().churn(contoso.id(),
        new Churn.Spec(5, "3", "1", null, null, null, null, "1", null));
    List<String> updated = touched(churn, "usersUpdated");
    List<String> deleted = touched(churn, "usersDeleted");
    JsonNode incremental = backUpNow();
    JsonNode userCounts = incremental.get("countsByType").get("users");
    assertEquals(updated.size(), userCounts.get("changed").asLong(), incremental.toString());
    assertEquals(deleted.size(), userCounts.get("removed").asLong(), incremental.toString());
    assertTrue(incremental.get("countsByType").get("groups").get("changed").asLong() >= 1, incremental.toString());

    String changedUser = updated.get(0);
    JsonNode history = backups.versions("users", changedUser);
    assertEquals(2, history.size(), history.toString());
    JsonNode diff = get("/api/v1/tenants/" + deployment.tenantId() + "/objects/users/" + changedUser
        + "/diff?from=" + history.get(1).get("versionId").asText() + "&to=" + history.get(0).get("versionId").asText());
    assertFalse(diff.get("changed").isEmpty() && diff.get("added").isEmpty(), diff.toString());

    JsonNode tombstone = backups.versions("users", deleted.get(0)).get(0);
    assertEquals("changed", tombstone.get("removed").asText(), tombstone.toString());

    JsonNode jobs = get("/api/v1/jobs?kind=backup").get("items");
    assertEquals(3, jobs.size());
    assertEquals(incremental.get("id").asText(), jobs.get(0).get("id").asText(), "newest first");
    deployment.node().await(Duration.ofSeconds(30), () -> {
      JsonNode tenant = get("/api/v1/tenants").get("tenants").get(0);
      assertEquals("completed", tenant.get("lastBackup").get("result").asText(), tenant.toString());
      assertEquals(contoso.users() - deleted.size(), tenant.get("objectCounts").get("users").asLong(), tenant.toString());
    });
  }

  /** A manual backup that completed. */
  private static JsonNode backUpNow() {
    JsonNode job = deployment.backups().backUpNow(Duration.ofSeconds(60));
    assertEquals("completed", job.get("state").asText(), job.toString());
    assertEquals("manual", job.get("trigger").asText());
    return job;
  }

  private static JsonNode get(String path) {
    return deployment.node().get(path, KEY);
  }

  @SuppressWarnings("unchecked")
  private static List<String> touched(Map<String, Object> report, String action) {
    return new ArrayList<>((List<String>) report.get(action));
  }
}
