package io.entrabackup.cluster.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantInternal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The node's backup slots: the cap, the fair queue, and a slot freed however its run ends. */
class BackupSlotsTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final AccountId BIG = new AccountId("big-msp");
  private static final AccountId SMALL = new AccountId("small-msp");
  private static final Duration NOTHING = Duration.ofMillis(200);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void neverMoreRunsThanTheCapAndWaitingRunsStartAsSlotsFree() {
    var slots = testKit.spawn(BackupSlots.create(2, Clock.systemUTC()));
    List<TestProbe<BackupSlots.SlotGranted>> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      runs.add(waitFor(slots, BIG, "run-" + i));
    }
    runs.get(0).expectMessageClass(BackupSlots.SlotGranted.class);
    runs.get(1).expectMessageClass(BackupSlots.SlotGranted.class);
    runs.get(2).expectNoMessage(NOTHING);
    assertEquals(List.of("run-2", "run-3"), slots(slots).waiting());

    runs.get(0).stop();
    runs.get(2).expectMessageClass(BackupSlots.SlotGranted.class);
    runs.get(3).expectNoMessage(NOTHING);
    runs.get(1).stop();
    runs.get(3).expectMessageClass(BackupSlots.SlotGranted.class);
    BackupSlots.Slots after = slots(slots);
    assertEquals(2, after.peakRunning());
    assertEquals(4, after.granted());
  }

  @Test
  void anAccountWithFewDueTenantsIsNotStarvedByOneWithMany() {
    var slots = testKit.spawn(BackupSlots.create(1, Clock.systemUTC()));
    var first = waitFor(slots, BIG, "big-0");
    first.expectMessageClass(BackupSlots.SlotGranted.class);
    for (int i = 1; i <= 5; i++) {
      waitFor(slots, BIG, "big-" + i);
    }
    waitFor(slots, SMALL, "small-1");
    waitFor(slots, SMALL, "small-2");
    // Round-robin across accounts, first due first within one.
    assertEquals(List.of("big-1", "small-1", "big-2", "small-2", "big-3", "big-4", "big-5"), slots(slots).waiting());
  }

  @Test
  void theSlotsAreGrantedInTheFairOrder() {
    var slots = testKit.spawn(BackupSlots.create(1, Clock.systemUTC()));
    var holder = waitFor(slots, BIG, "big-0");
    holder.expectMessageClass(BackupSlots.SlotGranted.class);
    var big1 = waitFor(slots, BIG, "big-1");
    var big2 = waitFor(slots, BIG, "big-2");
    var small = waitFor(slots, SMALL, "small-1");
    holder.stop();
    big1.expectMessageClass(BackupSlots.SlotGranted.class);
    big1.stop();
    assertEquals("small-1", small.expectMessageClass(BackupSlots.SlotGranted.class).runId());
    big2.expectNoMessage(NOTHING);
  }

  @Test
  void aWaitingRunThatStopsLeavesTheQueue() {
    var slots = testKit.spawn(BackupSlots.create(1, Clock.systemUTC()));
    var holder = waitFor(slots, BIG, "run-0");
    holder.expectMessageClass(BackupSlots.SlotGranted.class);
    var gone = waitFor(slots, BIG, "run-1");
    var next = waitFor(slots, BIG, "run-2");
    gone.stop();
    testKit.createTestProbe().awaitAssert(() -> {
      assertEquals(List.of("run-2"), slots(slots).waiting());
      return null;
    });
    holder.stop();
    next.expectMessageClass(BackupSlots.SlotGranted.class);
  }

  @Test
  void aQueuedRunTellsItsTenantWhenItGetsASlotThenRuns() {
    var slots = testKit.spawn(BackupSlots.create(1, Clock.systemUTC()));
    TestProbe<String> ran = testKit.createTestProbe();
    var runner = runnerThatReportsAndRuns(slots, ran);
    TestProbe<TenantCommands.Command> tenant = testKit.createTestProbe();
    testKit.spawn(behavior(runner, spec("run-1"), tenant.ref()));
    var taken = tenant.expectMessageClass(TenantInternal.BackupSlotTaken.class);
    assertEquals("run-1", taken.runId());
    assertEquals("run-1", ran.receiveMessage());
  }

  @Test
  void theSlotIsFreedWhenTheRunCompletesFailsOrCrashes() {
    var slots = testKit.spawn(BackupSlots.create(1, Clock.systemUTC()));
    TestProbe<String> ran = testKit.createTestProbe();
    var runner = new QueuedBackupRunner(slots, (spec, tenant) -> Behaviors.setup(context -> {
      ran.ref().tell(spec.runId());
      if (spec.runId().startsWith("crash")) {
        throw new IllegalStateException("the run broke");
      }
      // A run that completed or failed reports, then stops.
      return Behaviors.stopped();
    }));
    TestProbe<TenantCommands.Command> tenant = testKit.createTestProbe();
    for (String run : List.of("crash-1", "done-2", "crash-3", "done-4")) {
      testKit.spawn(behavior(runner, spec(run), tenant.ref()));
    }
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.add(ran.receiveMessage());
    }
    assertEquals(List.of("crash-1", "done-2", "crash-3", "done-4"), order);
    testKit.createTestProbe().awaitAssert(() -> {
      assertTrue(slots(slots).running().isEmpty());
      return null;
    });
  }

  @Test
  void theSlotIsFreedWhenTheTenantStops() {
    var slots = testKit.spawn(BackupSlots.create(1, Clock.systemUTC()));
    TestProbe<String> ran = testKit.createTestProbe();
    var runner = runnerThatReportsAndRuns(slots, ran);
    TestProbe<TenantCommands.Command> tenant = testKit.createTestProbe();
    // The tenant entity (passivated, handed off to another node, restarted) stops, and its run child with it.
    var entity = testKit.spawn(Behaviors.<String>setup(context -> {
      context.spawn(behavior(runner, spec("held"), tenant.ref()), "backup-held");
      return Behaviors.empty();
    }));
    assertEquals("held", ran.receiveMessage());
    testKit.spawn(behavior(runner, spec("next"), tenant.ref()));
    ran.expectNoMessage(NOTHING);
    testKit.stop(entity);
    assertEquals("next", ran.receiveMessage());
  }

  @SuppressWarnings("unchecked")
  private static Behavior<Object> behavior(QueuedBackupRunner runner, BackupRunSpec spec,
      ActorRef<TenantCommands.Command> tenant) {
    return (Behavior<Object>) runner.run(spec, tenant);
  }

  private static BackupRunSpec spec(String runId) {
    return new BackupRunSpec(TenantId.parse(UUID.randomUUID().toString()), BIG, "entra", runId,
        List.of(ObjectType.USERS), Map.of());
  }

  private static TestProbe<BackupSlots.SlotGranted> waitFor(ActorRef<BackupSlots.Command> slots, AccountId account,
      String runId) {
    TestProbe<BackupSlots.SlotGranted> run = testKit.createTestProbe();
    slots.tell(new BackupSlots.Wait(TenantId.parse(UUID.randomUUID().toString()), account, runId, run.ref()));
    return run;
  }

  private static BackupSlots.Slots slots(ActorRef<BackupSlots.Command> slots) {
    TestProbe<BackupSlots.Slots> reply = testKit.createTestProbe();
    slots.tell(new BackupSlots.GetSlots(reply.ref()));
    return reply.receiveMessage();
  }

  /** Queued runs whose run tells {@code ran} its id once it has a slot, then keeps running (holds the slot). */
  private static QueuedBackupRunner runnerThatReportsAndRuns(ActorRef<BackupSlots.Command> slots,
      TestProbe<String> ran) {
    return new QueuedBackupRunner(slots, (spec, tenant) -> Behaviors.setup(context -> {
      ran.ref().tell(spec.runId());
      return Behaviors.empty();
    }));
  }
}
