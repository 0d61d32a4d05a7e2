package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How far System Status's job list trails its jobs: from a backup's start (the time its BackupRunning event carries,
 * shown as startedAt) and from its end (BackupCompleted's, shown as finishedAt) to the first list that shows them,
 * polling the list every 20 ms. The tenant entity writes the job's row as it persists each event (BackupJobRows), so
 * 95 % of thirty runs show both within a second and none later than two, on a loaded two-core machine; without that
 * write they came through the projections, 300 ms to 2 s behind and more (a max of 1,677 ms was measured).
 */
class JobListLagIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(5).groups(2).seed(17))
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;
  private static final int RUNS = 30;
  private static final long WITHIN_MS = 1_000;
  /**
   * The bound on any single run: a 2-core machine shared with other builds (load average 30-40) stalled one run in
   * thirty by more than a second now and then; the list must still never trail by the old projection's delay.
   */
  private static final long NEVER_MS = 2_000;
  /** Polls no faster, so the polling itself does not starve the node it measures on two cores. */
  private static final long POLL_MS = 20;

  @Test
  void theJobListShowsABackupsStartAndEndWithinASecondOfThem() throws InterruptedException {
    // A first run prepares the job rows' statements and warms the node up: its figures are printed, not judged.
    List<Long> firstStart = new ArrayList<>();
    List<Long> firstEnd = new ArrayList<>();
    measure(firstStart, firstEnd);
    List<Long> starts = new ArrayList<>();
    List<Long> ends = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      measure(starts, ends);
    }
    String figures = "start " + figures(starts) + "; end " + figures(ends);
    System.out.printf("JobListLagIT: event -> job list shows it, %d runs after a first (start %d ms, end %d ms): %s%n",
        RUNS, firstStart.get(0), firstEnd.get(0), figures);
    assertEquals(RUNS, starts.size(), figures);
    assertTrue(p95(starts) < WITHIN_MS && p95(ends) < WITHIN_MS, "the job list trailed by a second or more: " + figures);
    assertTrue(max(starts) < NEVER_MS && max(ends) < NEVER_MS, "a job list trailed by two seconds: " + figures);
  }

  /** One Backup Now: how long after its start and its end the job list showed them, added to the lists. */
  private static void measure(List<Long> starts, List<Long> ends) throws InterruptedException {
    String jobId = deployment.backups().startBackup();
    Instant deadline = Instant.now().plusSeconds(60);
    long startSeenAt = 0;
    JsonNode ended = null;
    long endSeenAt = 0;
    while (ended == null && Instant.now().isBefore(deadline)) {
      JsonNode first = deployment.node().get("/api/v1/jobs?kind=backup&limit=1", KEY).get("items").get(0);
      long now = System.currentTimeMillis();
      assertEquals(jobId, first.get("id").asText(), "the job just started is the newest: " + first);
      if (startSeenAt == 0 && first.hasNonNull("startedAt")) {
        startSeenAt = now;
        starts.add(now - Instant.parse(first.get("startedAt").asText()).toEpochMilli());
      }
      if (TestNode.ENDED.contains(first.get("state").asText())) {
        endSeenAt = now;
        ended = first;
      } else {
        Thread.sleep(POLL_MS);
      }
    }
    assertTrue(ended != null, "backup " + jobId + " never showed as ended");
    assertEquals("completed", ended.get("state").asText(), ended.toString());
    ends.add(endSeenAt - Instant.parse(ended.get("finishedAt").asText()).toEpochMilli());
  }

  private static String figures(List<Long> lags) {
    return String.format("median %d ms, p95 %d ms, max %d ms, all %s", sorted(lags).get(lags.size() / 2), p95(lags),
        max(lags), lags);
  }

  private static long p95(List<Long> lags) {
    return sorted(lags).get((int) Math.ceil(lags.size() * 0.95) - 1);
  }

  private static List<Long> sorted(List<Long> lags) {
    List<Long> sorted = new ArrayList<>(lags);
    Collections.sort(sorted);
    return sorted;
  }

  private static long max(List<Long> lags) {
    return Collections.max(lags);
  }
}
