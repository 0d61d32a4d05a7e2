package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.admin.SimulatorAdmin;
import io.entrabackup.simulator.throttle.Faults;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that goes away in the middle of a backup: the tenant entity, remembered, comes back on the next
 * node and resumes the run from its last milestone, to the same result a run without the crash gives.
 */
class BackupCrashResumeIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(0).users(0).groups(0).seed(29));

  @Test
  void aRunInterruptedMidwayIsResumedOnTheNextNodeToACorrectResult() throws Exception {
    SimulatorAdmin simulator = deployment.simulator().admin();
    TenantInfo tenant = simulator.createTenant(900, 40);
    String tenantId = deployment.addAuthorizedTenant(tenant);
    // Groups come slowly, so the run is still reading them when the node goes.
    simulator.addFault(Faults.Kind.SLOW, 1.0, -1, "/groups/delta", null, 1500);

    String jobId = deployment.backupsOf(tenant, tenantId).startBackup();
    deployment.node().await(Duration.ofSeconds(60), () -> {
      JsonNode job = deployment.node().get("/api/v1/jobs/" + jobId, TestDeployment.KEY);
      assertTrue(job.get("countsByType").has("users"), "users done, groups under way: " + job);
    });
    deployment.restartNode(simulator::clearFaults);

    BackedUpDirectory backups = deployment.backupsOf(tenant, tenantId);
    JsonNode job = backups.awaitJob(jobId, Duration.ofSeconds(90));
    assertEquals("completed", job.get("state").asText(), job.toString());
    assertEquals(900, job.get("countsByType").get("users").get("created").asLong(), "users kept from before: " + job);
    assertEquals(40, job.get("countsByType").get("groups").get("seen").asLong(), job.toString());

    assertEquals(900, backups.assertMatchesSimulator("users"));
    assertEquals(40, backups.assertMatchesSimulator("groups"));
    for (JsonNode group : backups.list("groups")) {
      assertEquals(1, backups.versions("groups", group.get("id").asText()).size(), "one version per group");
    }
    JsonNode quiet = backups.backUpNow(Duration.ofSeconds(60));
    assertEquals("completed", quiet.get("state").asText(), quiet.toString());
    assertEquals(0, quiet.get("counts").get("created").asLong() + quiet.get("counts").get("changed").asLong(),
        "the resumed run left the delta links where they belong: " + quiet);
  }
}
