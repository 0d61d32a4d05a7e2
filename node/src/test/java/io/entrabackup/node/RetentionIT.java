package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.directory.Churn;
import io.entrabackup.testing.MovableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention through the API on one node: an administrator sets the account's retention (audited), asks for a pass,
 * sees it as a retention job on System Status and in the audit trail; versions older than the window are gone from an
 * object's versions, its latest stays.
 */
class RetentionIT {

  private static final MovableClock clock = MovableClock.running();

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(20).groups(3).seed(41))
          .nodeClock(clock)
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;
  private static final String ACCOUNT = "msp";
  private static final Duration JOB_TIME = Duration.ofSeconds(90);

  @Test
  void aPassOnDemandPrunesVersionsPastTheWindowAndKeepsTheLatest() throws Exception {
    TestNode node = deployment.node();
    Simulator simulator = deployment.simulator();
    TenantInfo contoso = deployment.tenant();
    String tenantId = deployment.tenantId();
    BackedUpDirectory directory = new BackedUpDirectory(node, simulator, contoso.id(), tenantId, KEY);
    directory.backUpNow(JOB_TIME);
    Map<String, Object> churn = simulator.admin().churn(contoso.id(),
        new Churn.Spec(5, "4", null, null, null, null, null, null, null));
    List<String> updated = strings(churn.get("usersUpdated"));
    directory.backUpNow(JOB_TIME);
    // The users whose update changed what is stored (an update may touch only what the backup does not keep).
    List<String> changed = updated.stream().distinct()
        .filter(id -> directory.versions("users", id).size() == 2).toList();
    assertTrue(!changed.isEmpty(), "the churn changed some user: " + updated);
    String user = changed.get(0);
    JsonNode before = directory.versions("users", user);
    String latest = before.get(0).get("versionId").asText();

    assertEquals(400, node.send("PUT", "/api/v1/accounts/" + ACCOUNT + "/retention", "{\"keepDays\":45}", KEY)
        .statusCode(), "only 30, 90, 365 or unlimited");
    assertEquals(409, node.send("POST", "/api/v1/tenants/" + tenantId + "/retention/runs", "", KEY).statusCode(),
        "unlimited (the default) has nothing to prune");
    JsonNode set = node.ok(node.send("PUT", "/api/v1/accounts/" + ACCOUNT + "/retention", "{\"keepDays\":30}", KEY),
        200);
    assertEquals(30, set.get("keepDays").asInt());
    JsonNode ofTenant = node.get("/api/v1/tenants/" + tenantId + "/retention", KEY);
    assertEquals("account", ofTenant.get("source").asText());

    // Forty days later the first backup's versions of the updated users stopped being current 40 days ago.
    clock.advance(Duration.ofDays(40));
    try {
      var started = node.send("POST", "/api/v1/tenants/" + tenantId + "/retention/runs", "", KEY);
      String jobId = node.ok(started, 202).get("jobId").asText();
      assertEquals(Optional.of("/api/v1/jobs/" + jobId), started.headers().firstValue("Location"));
      JsonNode job = node.awaitJob(jobId, KEY, JOB_TIME);
      assertEquals("completed", job.get("state").asText(), job.toString());
      assertEquals("retention", job.get("kind").asText());
      List<String> left = changed.stream().map(id -> id + "=" + directory.versions("users", id).size()).toList();
      assertTrue(job.get("progress").get("versionsPruned").asLong() >= changed.size(),
          job + " versions left per changed user: " + left);
      assertTrue(job.get("progress").get("objectsExamined").asLong() >= contoso.users(), job.toString());

      JsonNode listed = node.get("/api/v1/jobs?kind=retention", KEY);
      assertEquals(jobId, listed.get("items").get(0).get("id").asText(), listed.toString());

      JsonNode after = directory.versions("users", user);
      assertEquals(1, after.size(), "the version past the window is gone: " + after);
      assertEquals(latest, after.get(0).get("versionId").asText(), "the latest version is kept");

      node.await(Duration.ofSeconds(30), () -> {
        List<String> actions = new ArrayList<>();
        node.get("/api/v1/audit?limit=50", KEY).get("items").forEach(entry -> actions.add(entry.get("action")
            .asText()));
        assertTrue(actions.containsAll(List.of("retention.changed", "retention.requested", "retention.run")),
            actions.toString());
      });
    } finally {
      clock.reset();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object value) {
    return (List<String>) value;
  }
}
