package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With a schedule period of 30 s (entra-backup.backup.daily-period), every tenant's scheduled backup runs once in
 * each of its slots: none twice, none missed, also across a restart of the node in the middle.
 */
class BackupScheduleIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  private static final Duration PERIOD = Duration.ofSeconds(30);
  private static final Config SHORT_PERIOD = ConfigFactory.parseString("entra-backup.backup.daily-period = 30s");

  @Test
  void everyTenantIsBackedUpOncePerPeriodAcrossARestart() throws Exception {
    Path state = Files.createTempDirectory(Path.of("target"), "simulator-BackupScheduleIT-");
    try (Simulator simulator = Simulator.start(SimulatorConfig.builder().tenants(3).users(10).groups(2).seed(17)
        .port(0).stateDir(state).build())) {
      Map<String, Instant> firstSlot = new LinkedHashMap<>();
      Instant stopped;
      TestNode node = TestNode.start(cassandra, simulator, Clock.systemUTC(), SHORT_PERIOD);
      try {
        for (var directory : simulator.tenants()) {
          String id = node.addAuthorizedTenant(simulator, directory, TestNode.BOOTSTRAP_KEY, false);
          JsonNode tenant = node.get("/api/v1/tenants/" + id, TestNode.BOOTSTRAP_KEY);
          firstSlot.put(id, Instant.parse(tenant.get("nextBackupAt").asText()));
        }
        Instant start = Instant.now();
        sleepUntil(start.plus(PERIOD.multipliedBy(2)).plusSeconds(15));
      } finally {
        stopped = Instant.now();
        node.close();
      }
      // The node is away for a while, then a new one takes over the same keyspace.
      node = TestNode.start(cassandra, simulator, Clock.systemUTC(), SHORT_PERIOD);
      try {
        Instant restarted = Instant.now();
        sleepUntil(restarted.plus(PERIOD.multipliedBy(2)));
        Instant census = Instant.now();
        List<JsonNode> jobs = new ArrayList<>();
        JsonNode page = node.get("/api/v1/jobs?kind=backup&limit=500", TestNode.BOOTSTRAP_KEY);
        page.get("items").forEach(jobs::add);
        firstSlot.forEach((tenant, first) -> checkOncePerSlot(tenant, first, jobs, census, stopped, restarted));
      } finally {
        node.close();
      }
    }
  }

  /**
   * Slots from the first on whose run had 10 s to be queued: one scheduled job each, never two. A slot that came while
   * no node ran is caught up by one run as soon as a node runs the tenant again, which may fall in the next slot: that
   * slot then has one run for both (a backup taken twice at the same moment would be the same backup).
   */
  private static void checkOncePerSlot(String tenant, Instant first, List<JsonNode> jobs, Instant census,
      Instant stopped, Instant restarted) {
    Map<Long, Integer> perSlot = new TreeMap<>();
    for (JsonNode job : jobs) {
      if (job.get("tenantId").asText().equals(tenant)) {
        assertEquals("scheduled", job.get("trigger").asText(), job.toString());
        long slot = Duration.between(first, Instant.parse(job.get("queuedAt").asText())).toMillis()
            / PERIOD.toMillis();
        perSlot.merge(slot, 1, Integer::sum);
      }
    }
    long slots = Duration.between(first, census.minusSeconds(10)).toMillis() / PERIOD.toMillis() + 1;
    assertTrue(slots >= 4, "at least four slots passed: " + slots);
    for (long slot = 0; slot < slots; slot++) {
      Instant due = first.plus(PERIOD.multipliedBy(slot));
      boolean whileDown = !due.isBefore(stopped) && !due.isAfter(restarted);
      int runs = perSlot.getOrDefault(slot, 0);
      if (whileDown) {
        assertTrue(runs <= 1, "tenant " + tenant + " slot " + slot + " (no node ran): " + perSlot);
      } else {
        assertEquals(1, runs, "tenant " + tenant + " slot " + slot + ": " + perSlot);
      }
    }
    perSlot.keySet().forEach(slot -> assertTrue(slot >= 0 && slot <= slots, "a run before or after its slots: "
        + perSlot));
  }

  private static void sleepUntil(Instant when) throws InterruptedException {
    long millis = Duration.between(Instant.now(), when).toMillis();
    if (millis > 0) {
      // The schedule is the thing under test: the test waits for real periods to pass.
      Thread.sleep(millis);
    }
  }
}
