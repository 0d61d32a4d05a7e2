package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.backup.BackupRunner;
import io.entrabackup.cluster.offboarding.TenantPurge;
import io.entrabackup.cluster.restore.RestoreRunner;
import io.entrabackup.cluster.tenant.TenantState.Deleted;
import io.entrabackup.cluster.tenant.TenantState.Purging;
import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.tenant.TenantAction;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.Current;
import io.entrabackup.protocol.tenant.TenantCommands.NotFound;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.Reply;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TenantDeletionCancelled;
import io.entrabackup.protocol.tenant.TenantEvents.TenantDeletionScheduled;
import io.entrabackup.protocol.tenant.TenantEvents.TenantPurgeStarted;
import io.entrabackup.protocol.tenant.TenantInternal;
import io.entrabackup.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Offboarding in the tenant entity: the grace period, Undo, the purge and the tombstone (cluster/OFFBOARDING.md). */
class TenantOffboardingTest {

  @RegisterExtension
  static final TenantEntityKit kit = new TenantEntityKit();
  private static final ActorTestKit testKit = kit.testKit();

  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3302");
  private static final AccountId ACCOUNT = new AccountId("contoso-msp");
  private static final AccountId OTHER_ACCOUNT = new AccountId("fabrikam-msp");
  private static final Instant NOW = Instant.parse("2026-11-28T10:15:30.123Z");
  /** reference.conf's entra-backup.offboarding.grace-period. */
  private static final Duration GRACE = Duration.ofDays(7);

  private final MovableClock clock = MovableClock.at(NOW);
  private final RecordingPurge purge = new RecordingPurge();
  private final BackupRunner runner = (spec, tenant) -> Behaviors.ignore();
  private final EventSourcedBehaviorTestKit<Command, Event, TenantState> entity =
      kit.entity(TENANT, new TenantEntity.Collaborators(clock, runner, RestoreRunner.UNAVAILABLE, purge));

  /** Records what it was asked to purge; fails as many times as told first. */
  private static final class RecordingPurge implements TenantPurge {
    final List<Target> purges = new CopyOnWriteArrayList<>();
    final List<Long> clearedUpTo = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();

    @Override
    public CompletionStage<Done> purge(Target target) {
      purges.add(target);
      return failuresLeft.getAndDecrement() > 0
          ? CompletableFuture.failedFuture(new IllegalStateException("Cassandra timed out"))
          : CompletableFuture.completedFuture(Done.getInstance());
    }

    @Override
    public CompletionStage<Done> clearEvents(String persistenceId, long toSequenceNr) {
      clearedUpTo.add(toSequenceNr);
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }

  private CommandResultWithReply<Command, Event, TenantState, Reply> run(Function<ActorRef<Reply>, Command> command) {
    return entity.runCommand(command::apply);
  }

  private CommandResultWithReply<Command, Event, TenantState, Reply> scheduleDeletion() {
    return run(replyTo -> new TenantCommands.ScheduleDeletion(ACCOUNT, "key-admin", replyTo));
  }

  private void authorize() {
    TenantEntityKit.authorize(entity, ACCOUNT, false, NOW);
  }

  /** The grace period is over: the timer's message, as it fires. */
  private void graceOver() {
    clock.advance(GRACE.plusSeconds(1));
    entity.runCommand(new TenantInternal.DeletionDue());
  }

  private void awaitState(Class<? extends TenantState> expected) {
    eventually(() -> assertInstanceOf(expected, entity.getState()));
  }

  private static void eventually(Runnable check) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
      check.run();
      return null;
    });
  }

  @Test
  void deletingSchedulesItAfterTheGracePeriodAndTheTenantShowsWhen() {
    authorize();

    var result = scheduleDeletion();

    var scheduled = result.eventOfType(TenantDeletionScheduled.class);
    assertEquals("key-admin", scheduled.requestedBy());
    assertEquals(NOW.plus(GRACE), scheduled.deleteAt());
    var tenant = assertInstanceOf(Current.class, result.reply()).tenant();
    assertEquals(Optional.of(NOW.plus(GRACE)), tenant.deletionScheduledFor());
    assertEquals(List.of(TenantAction.SHOW_DETAIL, TenantAction.CANCEL_DELETION), tenant.actions());
  }

  @Test
  void deletingAgainKeepsTheFirstDeadline() {
    authorize();
    scheduleDeletion();
    clock.advance(Duration.ofDays(2));

    var again = scheduleDeletion();

    assertTrue(again.events().isEmpty());
    assertEquals(Optional.of(NOW.plus(GRACE)),
        assertInstanceOf(Current.class, again.reply()).tenant().deletionScheduledFor());
  }

  @Test
  void noBackupOrRestoreStartsDuringTheGracePeriod() {
    authorize();
    scheduleDeletion();

    var backup = run(replyTo -> new TenantCommands.StartBackup(ACCOUNT, BackupTrigger.MANUAL, replyTo));
    var restore = run(replyTo -> new TenantCommands.StartRestore(ACCOUNT, "key-1",
        io.entrabackup.protocol.backup.ObjectType.USERS, "u1", "v1", replyTo));
    clock.advance(Duration.ofDays(1));
    var scheduleDue = entity.runCommand(new TenantInternal.ScheduleDue());

    assertTrue(assertInstanceOf(Rejected.class, backup.reply()).reason().contains("scheduled for deletion"));
    assertTrue(backup.events().isEmpty());
    assertInstanceOf(Rejected.class, restore.reply());
    assertTrue(scheduleDue.events().isEmpty(), "the scheduled backup does not run either");
  }

  @Test
  void undoWithinTheGracePeriodKeepsTheTenantAndItsBackups() {
    authorize();
    scheduleDeletion();

    var cancelled = run(replyTo -> new TenantCommands.CancelDeletion(ACCOUNT, "key-admin", replyTo));
    graceOver();

    assertEquals("key-admin", cancelled.eventOfType(TenantDeletionCancelled.class).cancelledBy());
    assertEquals(Optional.empty(), assertInstanceOf(Current.class, cancelled.reply()).tenant().deletionScheduledFor());
    assertInstanceOf(Registered.class, entity.getState());
    assertTrue(purge.purges.isEmpty());
    var backup = run(replyTo -> new TenantCommands.StartBackup(ACCOUNT, BackupTrigger.MANUAL, replyTo));
    assertInstanceOf(TenantCommands.BackupAccepted.class, backup.reply());
  }

  @Test
  void anotherAccountCannotDeleteTheTenant() {
    authorize();

    var result = run(replyTo -> new TenantCommands.ScheduleDeletion(OTHER_ACCOUNT, "key-x", replyTo));

    assertInstanceOf(NotFound.class, result.reply());
    assertTrue(result.events().isEmpty());
  }

  @Test
  void theTimerFiringBeforeTheDeadlineChangesNothing() {
    authorize();
    scheduleDeletion();
    clock.advance(GRACE.minusSeconds(1));

    var result = entity.runCommand(new TenantInternal.DeletionDue());

    assertTrue(result.events().isEmpty());
    assertTrue(purge.purges.isEmpty());
  }

  @Test
  void aBackupStillRunningIsWaitedForBeforeThePurge() {
    TenantEntityKit.authorizedWithBackupRunning(entity, ACCOUNT, NOW);
    scheduleDeletion();

    graceOver();

    assertInstanceOf(Registered.class, entity.getState());
    assertTrue(purge.purges.isEmpty());
  }

  @Test
  void whenTheGracePeriodEndsTheTenantIsPurgedAndOnlyItsTombstoneRefusesEverything() {
    authorize();
    scheduleDeletion();

    graceOver();
    awaitState(Deleted.class);

    var target = purge.purges.get(0);
    assertEquals(TENANT, target.tenantId());
    assertEquals(ACCOUNT, target.account());
    assertEquals(Optional.of("e63e151f-0dcf-4b4e-a4ea-b57c68bf966e"), target.entraTenantId());
    assertEquals("Tenant|" + TENANT.value(), target.persistenceId());
    eventually(() -> assertEquals(1, purge.clearedUpTo.size()));
    assertInstanceOf(NotFound.class, run(replyTo -> new TenantCommands.GetTenant(ACCOUNT, replyTo)).reply());
    assertInstanceOf(NotFound.class,
        run(replyTo -> new TenantCommands.StartBackup(ACCOUNT, BackupTrigger.MANUAL, replyTo)).reply());
    assertInstanceOf(NotFound.class,
        run(replyTo -> new TenantCommands.CancelDeletion(ACCOUNT, "key-admin", replyTo)).reply());
    var registerAgain = run(replyTo -> new TenantCommands.Register(ACCOUNT, "Contoso", Optional.empty(), replyTo));
    assertInstanceOf(NotFound.class, registerAgain.reply());
    assertTrue(registerAgain.events().isEmpty());
  }

  @Test
  void theJournalIsClearedUpToTheEventBeforeTheTombstone() {
    authorize();
    scheduleDeletion();
    graceOver();
    awaitState(Deleted.class);

    // Registered, consent asked, authorized, deletion scheduled, purge started, tombstone: six events.
    eventually(() -> assertEquals(List.of(5L), purge.clearedUpTo));
  }

  @Test
  void aFailedPurgeIsTriedAgainAndAPurgeInterruptedByARestartResumes() {
    authorize();
    scheduleDeletion();
    purge.failuresLeft.set(1);

    var started = entity.runCommand(new TenantInternal.DeletionDue());
    clock.advance(GRACE.plusSeconds(1));
    started = entity.runCommand(new TenantInternal.DeletionDue());
    started.eventOfType(TenantPurgeStarted.class);
    eventually(() -> assertEquals(1, purge.purges.size()));
    assertInstanceOf(Purging.class, entity.getState());

    entity.restart();
    awaitState(Deleted.class);

    assertEquals(2, purge.purges.size(), "the restarted entity ran the purge again");
  }
}
