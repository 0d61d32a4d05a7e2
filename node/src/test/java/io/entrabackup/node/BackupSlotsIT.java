package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.cluster.backup.BackupSlots;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.throttle.Faults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Six tenants of two accounts asked to back up at once on a node allowing two backups at a time: never more than two
 * run, the others show queued and start as slots free, in the fair order (round-robin across the accounts), and all
 * complete.
 */
class BackupSlotsIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  @Test
  void tenantsDueAtOnceRunAtMostTheCapAtATimeInFairOrderAndAllComplete() throws Exception {
    Path state = Files.createTempDirectory(Path.of("target"), "simulator-BackupSlotsIT-");
    try (Simulator simulator = Simulator.start(SimulatorConfig.builder().tenants(6).users(20).groups(3).seed(16)
            .port(0).stateDir(state).build());
        TestNode node = TestNode.start(cassandra, simulator, Clock.systemUTC(),
            ConfigFactory.parseString("entra-backup.backup.max-concurrent-per-node = 2"))) {
      String keyA = node.createAccount("msp-many");
      String keyB = node.createAccount("msp-few");
      List<TenantInfo> directories = simulator.tenants();
      Map<String, String> keyOf = new LinkedHashMap<>();
      for (int i = 0; i < 6; i++) {
        String key = i < 4 ? keyA : keyB;
        keyOf.put(node.addAuthorizedTenant(simulator, directories.get(i), key, false), key);
      }
      // Each run reads for seconds, so all six are asked for before the first ends.
      simulator.admin().addFault(Faults.Kind.SLOW, 1.0, -1, "/delta", null, 1000);

      List<String> jobs = new ArrayList<>();
      keyOf.forEach((tenant, key) -> jobs.add(TestNode.jobId(
          node.ok(node.send("POST", "/api/v1/tenants/" + tenant + "/backups", "", key), 202))));
      // System Status shows the last one queued (its row follows the events a moment later).
      node.await(Duration.ofSeconds(15), () -> {
        JsonNode waiting = node.get("/api/v1/jobs/" + jobs.get(5), keyB);
        assertEquals("queued", waiting.get("state").asText(), waiting.toString());
        assertTrue(waiting.path("startedAt").isMissingNode() || waiting.path("startedAt").isNull(), waiting.toString());
      });

      List<JsonNode> done = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        done.add(node.awaitJob(jobs.get(i), i < 4 ? keyA : keyB, Duration.ofMinutes(3)));
      }
      done.forEach(job -> assertEquals("completed", job.get("state").asText(), job.toString()));

      BackupSlots.Slots slots = slots(node);
      assertEquals(2, slots.peakRunning(), slots.toString());
      assertEquals(6, slots.granted(), slots.toString());
      assertTrue(slots.running().isEmpty() && slots.waiting().isEmpty(), slots.toString());

      // Two start at once; the queue then serves the accounts in turn: many-3, few-1, many-4, few-2.
      List<String> startOrder = new ArrayList<>(jobs.subList(2, 6));
      startOrder.sort(Comparator.comparing(id -> startedAt(done.get(jobs.indexOf(id)))));
      assertEquals(List.of(jobs.get(2), jobs.get(4), jobs.get(3), jobs.get(5)), startOrder);
      // The wait is visible: the last one queued until two runs ended.
      JsonNode last = done.get(5);
      assertTrue(Duration.between(Instant.parse(last.get("queuedAt").asText()), startedAt(last)).toMillis() > 1000,
          last.toString());
    }
  }

  private static Instant startedAt(JsonNode job) {
    return Instant.parse(job.get("startedAt").asText());
  }

  private static BackupSlots.Slots slots(TestNode node) throws Exception {
    var system = node.node.system();
    ActorRef<BackupSlots.Command> slots = Adapter.toTyped(system.classicSystem()
        .actorSelection("/system/backup-slots").resolveOne(Duration.ofSeconds(5)).toCompletableFuture()
        .get(5, TimeUnit.SECONDS));
    return AskPattern.<BackupSlots.Command, BackupSlots.Slots>ask(slots, BackupSlots.GetSlots::new,
        Duration.ofSeconds(5), system.scheduler()).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
