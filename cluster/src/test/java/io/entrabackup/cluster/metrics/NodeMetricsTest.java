package io.entrabackup.cluster.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.backup.BackupSlots;
import io.entrabackup.cluster.snapshot.WriteOutcome;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.tenant.TenantEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** One registry per actor system, and what the backup and Graph figures count. */
class NodeMetricsTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final ActorTestKit otherNode = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
    otherNode.shutdownTestKit();
  }

  @Test
  void eachActorSystemHasItsOwnRegistry() {
    NodeMetrics one = NodeMetrics.get(testKit.system());
    NodeMetrics two = NodeMetrics.get(otherNode.system());
    assertSame(one, NodeMetrics.get(testKit.system()));
    assertNotSame(one.registry(), two.registry());
    one.restoresAndDownloads().restoreWriteMade();
    assertEquals(1.0, counter(one, "entra_backup_restore_writes"));
    assertEquals(0.0, counter(two, "entra_backup_restore_writes"), "a second node in the JVM counts apart");
    String page = one.scrape();
    assertTrue(page.contains("entra_backup_restore_writes_total"), page);
    assertTrue(page.contains("jvm_memory_used_bytes"), page);
  }

  @Test
  void aRunCountsAsRunningFromItsSlotUntilItsActorStops() {
    BackupMetrics backups = NodeMetrics.get(testKit.system()).backups();
    Behavior<?> run = Behaviors.receive(Object.class)
        .onMessageEquals("stop", Behaviors::stopped)
        .build();
    @SuppressWarnings("unchecked")
    ActorRef<Object> actor = testKit.spawn((Behavior<Object>) backups.counted(BackupTrigger.SCHEDULED, run));
    actor.tell("anything");
    assertRunning(0, BackupTrigger.SCHEDULED);
    actor.tell(new BackupSlots.SlotGranted("run-1", Instant.now()));
    actor.tell(new BackupSlots.SlotGranted("run-1", Instant.now()));
    assertRunning(1, BackupTrigger.SCHEDULED);
    assertRunning(0, BackupTrigger.MANUAL);
    actor.tell("stop");
    assertRunning(0, BackupTrigger.SCHEDULED);
  }

  @Test
  void endsAreCountedByTriggerAndACompletedRunSizesItsTenant() {
    NodeMetrics metrics = NodeMetrics.get(otherNode.system());
    TenantId tenant = TenantId.random();
    AccountId account = new AccountId("msp");
    Instant now = Instant.now();
    var completed = new TenantEvents.BackupCompleted(tenant, account, "run-1", new TypeCounts(0, 0, 0, 0, 0), new GraphTraffic(1, 0, 10),
        Map.of("users", 20_000L, "groups", 500L), now, now);
    metrics.backups().ended(BackupTrigger.IMMEDIATE, List.of(completed), Optional.of("entra-tenant"));
    metrics.backups().ended(BackupTrigger.MANUAL, List.of(new TenantEvents.BackupFailed(tenant, account, "run-2",
        "Graph refused", now, Optional.empty())), Optional.of("entra-tenant"));
    assertEquals(1.0, metrics.registry().get("entra_backup_backups_completed").tag("trigger", "immediate").counter()
        .count());
    assertEquals(0.0, metrics.registry().get("entra_backup_backups_completed").tag("trigger", "manual").counter()
        .count());
    assertEquals(1.0, metrics.registry().get("entra_backup_backups_failed").tag("trigger", "manual").counter()
        .count());
    assertEquals(TenantClasses.LARGE, metrics.tenantClasses().classOf("entra-tenant"));

    metrics.backups().written(ObjectType.USERS, WriteOutcome.NEW);
    metrics.backups().written(ObjectType.USERS, WriteOutcome.UNCHANGED);
    metrics.backups().written(ObjectType.USERS, WriteOutcome.REMOVED);
    assertEquals(1.0, metrics.registry().get("entra_backup_objects_written").tag("type", "users")
        .tag("outcome", "created").counter().count());
    assertEquals(1.0, metrics.registry().get("entra_backup_objects_written").tag("type", "users")
        .tag("outcome", "removed").counter().count());
    assertTrue(metrics.registry().find("entra_backup_objects_written").tag("outcome", "unchanged").meters()
        .isEmpty(), "an unchanged object stores nothing");
  }

  @Test
  void graphAnswersAreCountedByTenantClassNeverByTenant() {
    NodeMetrics metrics = NodeMetrics.get(testKit.system());
    metrics.tenantClasses().sized("big-tenant", Map.of("users", 150_000L));
    GraphMetrics graph = metrics.graph();
    graph.answered("big-tenant", 200, Optional.empty());
    graph.answered("big-tenant", 429, Optional.of(Duration.ofMillis(2500)));
    graph.answered("new-tenant", 503, Optional.of(Duration.ofSeconds(1)));
    graph.unanswered("new-tenant");
    var registry = metrics.registry();
    assertEquals(1.0, registry.get("entra_backup_graph_requests").tag("tenant_class", "huge").tag("status", "2xx")
        .counter().count());
    assertEquals(1.0, registry.get("entra_backup_graph_throttled").tag("tenant_class", "huge").counter().count());
    assertEquals(2.5, registry.get("entra_backup_graph_retry_after_seconds").tag("tenant_class", "huge").summary()
        .totalAmount());
    assertEquals(1.0, registry.get("entra_backup_graph_requests").tag("tenant_class", "unsized")
        .tag("status", "network_error").counter().count());
    assertEquals(1.0, registry.get("entra_backup_graph_requests").tag("tenant_class", "unsized")
        .tag("status", "5xx").counter().count());
    String page = metrics.scrape();
    assertFalse(page.contains("big-tenant") || page.contains("new-tenant"), page);
  }

  @Test
  void tenantClassesBySize() {
    assertEquals(TenantClasses.SMALL, TenantClasses.of(0));
    assertEquals(TenantClasses.SMALL, TenantClasses.of(1_000));
    assertEquals(TenantClasses.MEDIUM, TenantClasses.of(1_001));
    assertEquals(TenantClasses.LARGE, TenantClasses.of(100_000));
    assertEquals(TenantClasses.HUGE, TenantClasses.of(100_001));
    TenantClasses classes = new TenantClasses();
    assertEquals(TenantClasses.UNSIZED, classes.classOf("t"));
    classes.sized("t", Map.of());
    assertEquals(TenantClasses.UNSIZED, classes.classOf("t"), "no counts yet: still unsized");
    assertEquals("429", GraphMetrics.statusClass(429));
    assertEquals("4xx", GraphMetrics.statusClass(404));
  }

  private void assertRunning(int expected, BackupTrigger trigger) {
    var gauge = NodeMetrics.get(testKit.system()).registry().get("entra_backup_backups_running")
        .tag("trigger", BackupMetrics.name(trigger)).gauge();
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(3), () -> {
      assertEquals(expected, gauge.value());
      return null;
    });
  }

  private static double counter(NodeMetrics metrics, String name) {
    var found = metrics.registry().find(name).counter();
    return found == null ? 0.0 : found.count();
  }
}
