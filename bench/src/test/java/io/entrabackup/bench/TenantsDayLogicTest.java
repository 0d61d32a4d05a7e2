package io.entrabackup.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The day of many tenants' pure parts: its slot census, the cluster's seed list and the /metrics sum. */
class TenantsDayLogicTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PERIOD = Duration.ofMinutes(10);
  /** Least significant bits 0: the tenant's slots fall on whole multiples of the period. */
  private static final String TENANT = new UUID(1, 0).toString();
  private static final Instant SLOT = Instant.ofEpochMilli(PERIOD.toMillis() * 2_000_000L);

  @Test
  void aSlotWithoutARunIsMissedWhateverHappenedToTheNodesAndASlotWithTwoIsADuplicate() {
    List<JsonNode> jobs = List.of(
        job("manual", SLOT.minusSeconds(60), SLOT.minusSeconds(30)),
        job("scheduled", SLOT.plusSeconds(5), SLOT.plusSeconds(8)),
        // the second slot has none (a node was killed then: still missed), the third has two
        job("scheduled", SLOT.plus(PERIOD.multipliedBy(2)).plusSeconds(1), null),
        job("scheduled", SLOT.plus(PERIOD.multipliedBy(2)).plusSeconds(40), null));
    ScheduleCensus census = new ScheduleCensus(Set.of(TENANT), jobs, PERIOD, "manual");

    Map<Integer, Integer> missed = census.missedByGeneration(SLOT.plus(PERIOD.multipliedBy(3)), Duration.ofSeconds(90));

    assertEquals(Map.of(0, 0, 1, 1, 2, 0), missed);
    assertEquals(1, census.duplicates());
    assertEquals(0, census.firstBackupsMissedAndDuplicated()[0]);
    assertEquals(1, census.firstBackups().completed());
  }

  @Test
  void onlyTheChosenTriggerCountsAsTheFirstBackup() {
    ScheduleCensus census = new ScheduleCensus(Set.of(TENANT),
        List.of(job("immediate", SLOT.minusSeconds(60), SLOT.minusSeconds(30))), PERIOD, "manual");
    assertEquals(1, census.firstBackupsMissedAndDuplicated()[0]);
  }

  @Test
  void everyNodeGetsTheSameSeedListAndItsOwnPorts() {
    List<DayCluster.Ports> ports = List.of(new DayCluster.Ports(1, 11, 21), new DayCluster.Ports(2, 12, 22),
        new DayCluster.Ports(3, 13, 23));
    Map<String, String> second = DayCluster.clusterEnv(ports, 1, 1);
    Map<String, String> third = DayCluster.clusterEnv(ports, 2, 1);
    assertEquals("pekko://entra-backup@127.0.0.1:11", second.get("ENTRA_SEED_NODE_1"));
    assertEquals(second.get("ENTRA_SEED_NODE_3"), third.get("ENTRA_SEED_NODE_3"));
    assertEquals("12", second.get("ENTRA_REMOTE_PORT"));
    assertEquals("23", third.get("ENTRA_MANAGEMENT_PORT"));
    assertEquals("http://127.0.0.1:1/auth/callback,http://127.0.0.1:2/auth/callback,http://127.0.0.1:3/auth/callback",
        DayCluster.callbacks(ports));
  }

  @Test
  void objectsWrittenAddUpEveryTypeAndOutcomeAndNothingElse() {
    String exposition = String.join("\n",
        "# HELP entra_backup_objects_written_total Object versions backup runs stored",
        "# TYPE entra_backup_objects_written_total counter",
        "entra_backup_objects_written_total{outcome=\"created\",type=\"users\",} 500.0",
        "entra_backup_objects_written_total{outcome=\"changed\",type=\"groups\",} 7.0",
        "entra_backup_objects_written_totally_else 99.0",
        "entra_backup_backups_completed_total{trigger=\"manual\",} 10.0");
    assertEquals(507, DayCluster.sum(exposition));
  }

  private static JsonNode job(String trigger, Instant queued, Instant finished) {
    ObjectNode job = JSON.createObjectNode();
    job.put("tenantId", TENANT);
    job.put("trigger", trigger);
    job.put("queuedAt", queued.toString());
    job.put("state", finished == null ? "queued" : "completed");
    if (finished != null) {
      job.put("startedAt", queued.toString());
      job.put("finishedAt", finished.toString());
    }
    return job;
  }
}
