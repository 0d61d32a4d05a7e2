package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How far System Status's job list trails its jobs: from a backup's end (the time its BackupCompleted event carries)
 * to the list showing it completed, measured by polling the list every few milliseconds. Prints the figures; the
 * check is only that the prompt projection, not the one with the safe 2 s delay, brought the rows.
 */
class JobListLagIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(5).groups(2).seed(17))
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;
  private static final int RUNS = 8;
  private static final long SAFE_DELAY_MS = 2_000;

  @Test
  void theJobListShowsABackupsEndWithinASecondOfIt() throws InterruptedException {
    TestNode node = deployment.node();
    List<Long> lags = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      String jobId = deployment.backups().startBackup();
      Instant deadline = Instant.now().plusSeconds(60);
      JsonNode shown = null;
      long seenAt = 0;
      while (shown == null && Instant.now().isBefore(deadline)) {
        JsonNode first = node.get("/api/v1/jobs?kind=backup&limit=1", KEY).get("items").get(0);
        if (first.get("id").asText().equals(jobId) && TestNode.ENDED.contains(first.get("state").asText())) {
          seenAt = System.currentTimeMillis();
          shown = first;
        } else {
          Thread.sleep(5);
        }
      }
      assertTrue(shown != null, "backup " + jobId + " never showed as ended");
      assertEquals("completed", shown.get("state").asText(), shown.toString());
      long lag = seenAt - Instant.parse(shown.get("finishedAt").asText()).toEpochMilli();
      lags.add(lag);
    }
    List<Long> sorted = new ArrayList<>(lags);
    Collections.sort(sorted);
    long median = sorted.get(sorted.size() / 2);
    long max = sorted.get(sorted.size() - 1);
    System.out.printf("JobListLagIT: backup end -> job list shows it, %d runs: median %d ms, max %d ms, all %s%n",
        RUNS, median, max, lags);
    assertTrue(median < SAFE_DELAY_MS, "job rows came through the safe projection only: " + lags);
  }
}
