package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.throttle.Faults;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that goes away in the middle of a backup: the tenant entity, remembered, comes back on the next
 * node and resumes the run from its last milestone, to the same result a run without the crash gives.
 */
class BackupCrashResumeIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  private static final String KEY = TestNode.BOOTSTRAP_KEY;

  private static Simulator simulator;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    simulator = Simulator.start(SimulatorConfig.builder().port(0).tenants(0).users(0).groups(0).seed(29)
        .stateDir(Path.of("target", "simulator-crash-resume-it")).build());
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

  @Test
  void aRunInterruptedMidwayIsResumedOnTheNextNodeToACorrectResult() throws Exception {
    TenantInfo tenant = simulator.admin().createTenant(900, 40);
    node = TestNode.start(cassandra, simulator);
    String tenantId = node.addAuthorizedTenant(simulator, tenant, KEY, false);
    // Groups come slowly, so the run is still reading them when the node goes.
    simulator.admin().addFault(Faults.Kind.SLOW, 1.0, -1, "/groups/delta", null, 1500);

    BackedUpDirectory backups = new BackedUpDirectory(node, simulator, tenant.id(), tenantId, KEY);
    String jobId = node.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/backups", "", KEY), 202)
        .get("jobId").asText();
    node.await(Duration.ofSeconds(60), () -> {
      JsonNode job = node.ok(node.send("GET", "/api/v1/jobs/" + jobId, null, KEY), 200);
      assertTrue(job.get("countsByType").has("users"), "users done, groups under way: " + job);
    });
    node.close();
    node = null;
    simulator.admin().clearFaults();

    node = TestNode.start(cassandra, simulator);
    backups = new BackedUpDirectory(node, simulator, tenant.id(), tenantId, KEY);
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
