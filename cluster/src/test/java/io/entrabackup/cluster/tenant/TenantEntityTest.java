package io.entrabackup.cluster.tenant;

import io.entrabackup.testing.MovableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.entrabackup.cluster.backup.BackupRunSpec;
import io.entrabackup.cluster.backup.BackupRunner;
import io.entrabackup.cluster.restore.RestoreRunner;
import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.tenant.TenantCommands.BackupAccepted;
import io.entrabackup.protocol.tenant.TenantCommands.BackupAlreadyRunning;
import io.entrabackup.protocol.tenant.TenantInternal.BackupFinished;
import io.entrabackup.protocol.tenant.TenantInternal.BackupRunFailed;
import io.entrabackup.protocol.tenant.TenantInternal.RunReportRecorded;
import io.entrabackup.protocol.tenant.TenantInternal.ScheduleDue;
import io.entrabackup.protocol.tenant.TenantCommands.StartBackup;
import io.entrabackup.protocol.tenant.TenantInternal.TypeDone;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.TypeBackedUp;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.LastBackup;
import io.entrabackup.protocol.tenant.TenantAction;
import io.entrabackup.protocol.tenant.TenantCommands.CheckConsentState;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.CompleteConsent;
import io.entrabackup.protocol.tenant.TenantCommands.ConsentCompleted;
import io.entrabackup.protocol.tenant.TenantCommands.Current;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenant;
import io.entrabackup.protocol.tenant.TenantCommands.MarkAuthorizationLost;
import io.entrabackup.protocol.tenant.TenantCommands.NotFound;
import io.entrabackup.protocol.tenant.TenantCommands.RefuseConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Register;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.Reply;
import io.entrabackup.protocol.tenant.TenantCommands.RequestConsent;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantStatus;
import java.time.Duration;
import java.time.Instant;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantInternal;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TenantEntityTest {

  @RegisterExtension
  static final TenantEntityKit kit = new TenantEntityKit();
  private static final ActorTestKit testKit = kit.testKit();

  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
  private static final AccountId ACCOUNT = new AccountId("contoso-msp");
  private static final AccountId OTHER_ACCOUNT = new AccountId("fabrikam-msp");
  private static final Instant NOW = Instant.parse("2026-11-28T10:15:30.123Z");
  private static final String ENTRA_ID = "e63e151f-0dcf-4b4e-a4ea-b57c68bf966e";

  private final MovableClock clock = MovableClock.at(NOW);
  /** Runs the entity started: the runner only records what it was asked to do. */
  private final List<BackupRunSpec> runs = new CopyOnWriteArrayList<>();
  private final BackupRunner runner = (spec, tenant) -> {
    runs.add(spec);
    return Behaviors.ignore();
  };

  private final EventSourcedBehaviorTestKit<Command, Event, TenantState> entity =
      kit.entity(TENANT, new TenantEntity.Collaborators(clock, runner, RestoreRunner.UNAVAILABLE));

  private CommandResultWithReply<Command, Event, TenantState, Reply> run(Function<ActorRef<Reply>, Command> command) {
    return entity.runCommand(command::apply);
  }

  private void register(Optional<String> entraTenant) {
    run(replyTo -> new Register(ACCOUNT, "Contoso", entraTenant, replyTo));
  }

  private void requestConsent(String nonce, boolean immediate) {
    run(replyTo -> new RequestConsent(ACCOUNT, nonce, immediate, Duration.ofDays(1), NOW.plusSeconds(3600), replyTo));
  }

  private CommandResultWithReply<Command, Event, TenantState, Reply> complete(String nonce) {
    return run(replyTo -> new CompleteConsent(ACCOUNT, nonce, ENTRA_ID, "Contoso Ltd",
        List.of("contoso.com", "contoso.onmicrosoft.com"), replyTo));
  }

  @Test
  void registeringRecordsTheTenantPendingAuthorization() {
    var result = run(replyTo -> new Register(ACCOUNT, "  Contoso Ltd ", Optional.of("contoso.onmicrosoft.com"), replyTo));

    TenantRegistered event = result.eventOfType(TenantRegistered.class);
    assertEquals(TENANT, event.tenantId());
    assertEquals(ACCOUNT, event.account());
    assertEquals("Contoso Ltd", event.displayName());
    assertEquals(Optional.of("contoso.onmicrosoft.com"), event.entraTenant());
    assertEquals(NOW, event.registeredAt());
    var current = assertInstanceOf(Current.class, result.reply());
    assertEquals(TenantStatus.PENDING_AUTHORIZATION, current.tenant().status());
    assertEquals(List.of(TenantAction.ACTIVATE, TenantAction.SHOW_DETAIL), current.tenant().actions());
  }

  @Test
  void anotherAccountCannotTellTheTenantExists() {
    register(Optional.empty());

    assertInstanceOf(NotFound.class, run(replyTo -> new GetTenant(OTHER_ACCOUNT, replyTo)).reply());
    var consent = run(replyTo -> new RequestConsent(OTHER_ACCOUNT, "n", true, Duration.ofDays(1), NOW, replyTo));
    assertInstanceOf(NotFound.class, consent.reply());
    assertTrue(consent.hasNoEvents());
    assertInstanceOf(NotFound.class, run(replyTo -> new MarkAuthorizationLost(OTHER_ACCOUNT, "x", replyTo)).reply());
  }

  @Test
  void anUnregisteredTenantIsNotFound() {
    assertInstanceOf(NotFound.class, run(replyTo -> new GetTenant(ACCOUNT, replyTo)).reply());
    assertInstanceOf(NotFound.class, run(replyTo -> new CheckConsentState(ACCOUNT, "n", replyTo)).reply());
  }

  @Test
  void aBlankNameIsRejectedAndNothingIsPersisted() {
    var result = run(replyTo -> new Register(ACCOUNT, "   ", Optional.empty(), replyTo));

    var rejected = assertInstanceOf(Rejected.class, result.reply());
    assertTrue(rejected.reason().contains("displayName"), rejected.reason());
    assertTrue(result.hasNoEvents());
    assertInstanceOf(TenantState.Unregistered.class, result.state());
  }

  @Test
  void registeringTwiceIsRejectedAndKeepsTheFirstRegistration() {
    register(Optional.empty());

    var result = run(replyTo -> new Register(ACCOUNT, "Other name", Optional.empty(), replyTo));

    assertInstanceOf(Rejected.class, result.reply());
    assertTrue(result.hasNoEvents());
    assertEquals("Contoso", result.stateOfType(Registered.class).registration().displayName());
  }

  @Test
  void consentWithImmediateBackupAuthorizesTheTenantAndStartsABackupAtOnce() {
    register(Optional.of(ENTRA_ID));
    requestConsent("nonce-1", true);
    assertInstanceOf(Current.class, run(replyTo -> new CheckConsentState(ACCOUNT, "nonce-1", replyTo)).reply());

    var result = complete("nonce-1");

    TenantAuthorized event = (TenantAuthorized) result.events().get(0);
    assertEquals(NOW, event.nextBackupAt());
    BackupStarted started = (BackupStarted) result.events().get(1);
    assertEquals(BackupTrigger.IMMEDIATE, started.trigger());
    assertEquals(ObjectType.inBackupOrder(), started.types());
    assertEquals(1, runs.size());
    assertEquals(ENTRA_ID, runs.get(0).entraTenantId());
    assertEquals(started.runId(), runs.get(0).runId());
    assertEquals(Map.of(), runs.get(0).deltaLinks());
    var reply = assertInstanceOf(ConsentCompleted.class, result.reply());
    // The callback writes the dashboard row from this very event, at its time, before it answers.
    assertEquals(event, reply.authorized());
    var tenant = reply.tenant();
    assertEquals(TenantStatus.AUTHORIZED, tenant.status());
    assertEquals(Optional.of(ENTRA_ID), tenant.entraTenantId());
    assertEquals(Optional.of("Contoso Ltd"), tenant.organizationName());
    assertEquals(Optional.of("P1D"), tenant.backupFrequency());
    assertEquals(List.of(TenantAction.BACKUP_NOW, TenantAction.DOWNLOAD, TenantAction.SHOW_DETAIL), tenant.actions());
  }

  @Test
  void consentWithoutImmediateBackupSchedulesTheNextStableSlotWithinADay() {
    register(Optional.empty());
    requestConsent("nonce-1", false);

    var result = complete("nonce-1");
    Instant next = result.eventOfType(TenantAuthorized.class).nextBackupAt();
    assertEquals(1, result.events().size());
    assertTrue(runs.isEmpty());

    assertTrue(next.isAfter(NOW) && !next.isAfter(NOW.plus(Duration.ofDays(1))), next.toString());
    assertEquals(next, BackupSchedule.nextSlot(TENANT, Duration.ofDays(1), NOW));
    assertEquals(next.plus(Duration.ofDays(1)), BackupSchedule.nextSlot(TENANT, Duration.ofDays(1), next));
  }

  @Test
  void aConsentStateWorksOnlyOnce() {
    register(Optional.empty());
    requestConsent("nonce-1", true);
    complete("nonce-1");

    var replay = complete("nonce-1");

    assertInstanceOf(Rejected.class, replay.reply());
    assertTrue(replay.hasNoEvents());
  }

  @Test
  void aNewerActivationReplacesTheOlderConsentState() {
    register(Optional.empty());
    requestConsent("nonce-1", true);
    requestConsent("nonce-2", false);

    assertInstanceOf(Rejected.class, complete("nonce-1").reply());
    assertInstanceOf(ConsentCompleted.class, complete("nonce-2").reply());
  }

  @Test
  void anExpiredConsentStateIsRejected() {
    register(Optional.empty());
    requestConsent("nonce-1", true);
    clock.advance(Duration.ofHours(2));

    var result = complete("nonce-1");

    assertInstanceOf(Rejected.class, result.reply());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void consentFromADifferentEntraTenantThanRegisteredIsRejected() {
    register(Optional.of("fabrikam.onmicrosoft.com"));
    requestConsent("nonce-1", true);

    var result = complete("nonce-1");

    var rejected = assertInstanceOf(Rejected.class, result.reply());
    assertTrue(rejected.reason().contains("registered as fabrikam.onmicrosoft.com"), rejected.reason());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void onceAuthorizedTheTenantsDirectoryNeverChanges() {
    register(Optional.empty());
    requestConsent("nonce-1", false);
    complete("nonce-1");
    run(replyTo -> new MarkAuthorizationLost(ACCOUNT, "invalid_grant: consent revoked", replyTo));
    requestConsent("nonce-2", false);

    var otherDirectory = run(replyTo -> new CompleteConsent(ACCOUNT, "nonce-2",
        "0a6a4c5e-9a7c-4b7f-8f3e-5d1c2b3a4f50", "Fabrikam", List.of("fabrikam.com"), replyTo));

    var rejected = assertInstanceOf(Rejected.class, otherDirectory.reply());
    assertTrue(rejected.reason().contains("never changes"), rejected.reason());
    assertTrue(otherDirectory.hasNoEvents());
    assertEquals(TenantStatus.AUTHORIZATION_LOST, ((Registered) otherDirectory.state()).status());
    // Re-consent for its own directory (any letter case) still works.
    var sameDirectory = run(replyTo -> new CompleteConsent(ACCOUNT, "nonce-2", ENTRA_ID.toUpperCase(),
        "Contoso Ltd", List.of("contoso.com"), replyTo));
    assertEquals(TenantStatus.AUTHORIZED, assertInstanceOf(ConsentCompleted.class, sameDirectory.reply()).tenant().status());
  }

  @Test
  void aRefusalIsRecordedWithMicrosoftsDescription() {
    register(Optional.empty());
    requestConsent("nonce-1", true);

    var result = run(replyTo -> new RefuseConsent(ACCOUNT, "nonce-1", "access_denied",
        "AADSTS65004: User declined to consent", replyTo));

    result.eventOfType(AuthorizationRefused.class);
    var tenant = assertInstanceOf(Current.class, result.reply()).tenant();
    assertEquals(TenantStatus.AUTHORIZATION_REFUSED, tenant.status());
    assertEquals(Optional.of("access_denied: AADSTS65004: User declined to consent"), tenant.statusReason());
  }

  @Test
  void lostAuthorizationIsRecordedOnceAndStopsScheduling() {
    register(Optional.empty());
    requestConsent("nonce-1", true);
    complete("nonce-1");

    var lost = run(replyTo -> new MarkAuthorizationLost(ACCOUNT, "invalid_grant: consent revoked", replyTo));
    var again = run(replyTo -> new MarkAuthorizationLost(ACCOUNT, "invalid_grant: consent revoked", replyTo));

    lost.eventOfType(AuthorizationLost.class);
    var tenant = assertInstanceOf(Current.class, lost.reply()).tenant();
    assertEquals(TenantStatus.AUTHORIZATION_LOST, tenant.status());
    assertEquals(Optional.empty(), tenant.nextBackupAt());
    assertTrue(again.hasNoEvents());
  }

  @Test
  void theTenantRecoversItsAuthorizationFromItsEvents() {
    register(Optional.of("contoso.com"));
    requestConsent("nonce-1", true);
    complete("nonce-1");

    Registered state = (Registered) entity.restart().state();

    assertEquals(TenantStatus.AUTHORIZED, state.status());
    assertEquals(Optional.of(ENTRA_ID), state.consent().entraTenantId());
    assertEquals(Optional.empty(), state.consent().pendingConsent());
    assertEquals(NOW, state.registration().registeredAt());
  }

  private String authorizeWithImmediateBackup() {
    register(Optional.empty());
    requestConsent("nonce-1", true);
    return ((BackupStarted) complete("nonce-1").events().get(1)).runId();
  }

  private CommandResultWithReply<Command, Event, TenantState, RunReportRecorded> report(
      Function<ActorRef<RunReportRecorded>, Command> report) {
    return entity.runCommand(report::apply);
  }

  @Test
  void backupNowWhileABackupRunsNamesTheRunningJob() {
    String runId = authorizeWithImmediateBackup();

    var result = run(replyTo -> new StartBackup(ACCOUNT, BackupTrigger.MANUAL, replyTo));

    assertEquals(new BackupAlreadyRunning(runId), result.reply());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void backupNowIsRefusedUntilTheTenantIsAuthorized() {
    register(Optional.empty());

    var result = run(replyTo -> new StartBackup(ACCOUNT, BackupTrigger.MANUAL, replyTo));

    assertInstanceOf(Rejected.class, result.reply());
    assertTrue(result.hasNoEvents());
    assertTrue(runs.isEmpty());
  }

  @Test
  void milestonesKeepTheDeltaLinkAndAFinishedRunSchedulesTheNextSlot() {
    String runId = authorizeWithImmediateBackup();
    var counts = new TypeCounts(10, 10, 0, 0, 0);

    var typeDone = report(replyTo -> new TypeDone(runId, ObjectType.USERS, counts, new GraphTraffic(3, 1, 4096),
        Optional.of("https://graph/users/delta?$deltatoken=abc"), replyTo));
    assertEquals(new RunReportRecorded(runId), typeDone.reply());
    assertEquals(counts, typeDone.eventOfType(TypeBackedUp.class).counts());
    var state = typeDone.stateOfType(Registered.class);
    assertEquals(Map.of(ObjectType.USERS, "https://graph/users/delta?$deltatoken=abc"), state.backups().deltaLinks());
    assertFalse(state.backups().running().orElseThrow().remaining().contains(ObjectType.USERS));

    var finished = report(replyTo -> new BackupFinished(runId, Map.of("users", 10L), replyTo));
    BackupCompleted completed = finished.eventOfType(BackupCompleted.class);
    assertEquals(counts, completed.counts());
    assertEquals(new GraphTraffic(3, 1, 4096), completed.graph());
    assertEquals(BackupSchedule.nextSlot(TENANT, Duration.ofDays(1), NOW), completed.nextBackupAt());
    var tenant = assertInstanceOf(Current.class, run(replyTo -> new GetTenant(ACCOUNT, replyTo)).reply()).tenant();
    assertEquals(LastBackup.Result.COMPLETED, tenant.lastBackup().orElseThrow().result());
    assertEquals(Map.of("users", 10L), tenant.objectCounts());

    // The next Backup Now starts from the delta links the last run kept.
    var again = run(replyTo -> new StartBackup(ACCOUNT, BackupTrigger.MANUAL, replyTo));
    assertInstanceOf(BackupAccepted.class, again.reply());
    assertEquals("https://graph/users/delta?$deltatoken=abc", runs.get(runs.size() - 1).deltaLinks().get(ObjectType.USERS));
  }

  @Test
  void aRunThatLostAuthorizationMarksTheTenantLostAndStopsScheduling() {
    String runId = authorizeWithImmediateBackup();

    var failed = report(replyTo -> new BackupRunFailed(runId, "users: unauthorized_client", true, replyTo));

    assertEquals(2, failed.events().size());
    var state = failed.stateOfType(Registered.class);
    assertEquals(TenantStatus.AUTHORIZATION_LOST, state.status());
    assertEquals(Optional.empty(), state.backups().nextBackupAt());
    assertEquals(Optional.empty(), state.backups().running());
  }

  @Test
  void aReportOfAnotherRunIsAcknowledgedAndChangesNothing() {
    authorizeWithImmediateBackup();

    var stale = report(replyTo -> new BackupFinished("00000000-0000-1000-8000-000000000000", Map.of(), replyTo));

    assertTrue(stale.hasNoEvents());
  }

  @Test
  void aMilestoneAskedForAgainIsRecordedOnce() {
    String runId = authorizeWithImmediateBackup();
    var counts = new TypeCounts(10, 10, 0, 0, 0);
    report(replyTo -> new TypeDone(runId, ObjectType.USERS, counts, new GraphTraffic(3, 0, 4096),
        Optional.of("https://graph/users/delta?$deltatoken=1"), replyTo));

    // The run asks again when our answer came late: the answer is the same, nothing is persisted twice.
    var again = report(replyTo -> new TypeDone(runId, ObjectType.USERS, counts, new GraphTraffic(3, 0, 4096),
        Optional.of("https://graph/users/delta?$deltatoken=1"), replyTo));
    assertEquals(new RunReportRecorded(runId), again.reply());
    assertTrue(again.events().isEmpty(), again.events().toString());
    assertEquals(counts, again.stateOfType(Registered.class).backups().running().orElseThrow().counts());
  }

  @Test
  void aQueuedRunTurnsRunningOnceWhenItGetsASlotEvenIfItQueuesAgainAfterARestart() {
    String runId = authorizeWithImmediateBackup();
    Instant granted = NOW.plusSeconds(7);

    var first = entity.runCommand(new TenantInternal.BackupSlotTaken(runId, granted));
    assertEquals(List.of(new TenantEvents.BackupRunning(TENANT, ACCOUNT, runId, granted)), first.events());
    assertEquals(Optional.of(granted),
        first.stateOfType(Registered.class).backups().running().orElseThrow().runningSince());

    entity.restart();
    // The resumed run queued again and got a slot again: the job began once, at the first slot.
    assertTrue(entity.runCommand(new TenantInternal.BackupSlotTaken(runId, granted.plusSeconds(60))).hasNoEvents());
    // A slot of another run (one that already ended) changes nothing.
    assertTrue(entity.runCommand(new TenantInternal.BackupSlotTaken("other-run", granted)).hasNoEvents());
  }

  @Test
  void aRestartedTenantResumesItsRunningBackupFromTheLastMilestone() {
    String runId = authorizeWithImmediateBackup();
    report(replyTo -> new TypeDone(runId, ObjectType.USERS, TypeCounts.ZERO, GraphTraffic.NONE,
        Optional.of("https://graph/users/delta?$deltatoken=1"), replyTo));
    runs.clear();

    entity.restart();

    assertEquals(1, runs.size());
    assertEquals(runId, runs.get(0).runId());
    assertEquals(ObjectType.inBackupOrder().subList(1, ObjectType.inBackupOrder().size()), runs.get(0).types());
    assertEquals("https://graph/users/delta?$deltatoken=1", runs.get(0).deltaLinks().get(ObjectType.USERS));
  }

  @Test
  void aScheduledBackupStartsOnlyOnceItsSlotHasCome() {
    register(Optional.empty());
    requestConsent("nonce-1", false);
    Instant slot = complete("nonce-1").eventOfType(TenantAuthorized.class).nextBackupAt();

    var early = entity.runCommand(new ScheduleDue());
    assertTrue(early.hasNoEvents());

    clock.advance(Duration.between(NOW, slot).plusSeconds(1));
    var due = entity.runCommand(new ScheduleDue());
    BackupStarted started = due.eventOfType(BackupStarted.class);
    assertEquals(BackupTrigger.SCHEDULED, started.trigger());
    assertEquals(started.runId(), runs.get(runs.size() - 1).runId());

    // Due again while it runs: still one backup.
    assertTrue(entity.runCommand(new ScheduleDue()).hasNoEvents());
  }

  @Test
  void aTenantWhoseSlotPassedWhileItsNodeWasDownIsBackedUpWhenItComesBack() throws Exception {
    register(Optional.empty());
    requestConsent("nonce-1", false);
    Instant slot = complete("nonce-1").eventOfType(TenantAuthorized.class).nextBackupAt();
    assertTrue(runs.isEmpty());

    // The node was down over the slot (an hour later than it): the restarted entity catches up at once.
    clock.advance(Duration.between(NOW, slot).plusHours(1));
    entity.restart();
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
      assertEquals(1, runs.size(), "one catch-up backup");
      return null;
    });
    var state = entity.getState();
    assertTrue(state instanceof TenantState.Registered registered && registered.backups().running().isPresent(),
        state.toString());
  }
}
