package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.backup.BackupRunner;
import io.entrabackup.cluster.restore.RestoreRunner;
import io.entrabackup.cluster.restore.RestoreSpec;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.approval.ApprovalOutcome;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.tenant.TenantCommands.ApprovalAnswer;
import io.entrabackup.protocol.tenant.TenantCommands.BackupAccepted;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.DecideRestoreApproval;
import io.entrabackup.protocol.tenant.TenantCommands.NotFound;
import io.entrabackup.protocol.tenant.TenantCommands.Reply;
import io.entrabackup.protocol.tenant.TenantCommands.RestoreAwaitingApproval;
import io.entrabackup.protocol.tenant.TenantCommands.StartBackup;
import io.entrabackup.protocol.tenant.TenantCommands.StartRestoreAwaitingApproval;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalExpired;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalRejected;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalRequested;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApproved;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreStarted;
import io.entrabackup.protocol.tenant.TenantInternal.ApprovalDue;
import io.entrabackup.protocol.tenant.TenantInternal.BackupFinished;
import io.entrabackup.protocol.tenant.TenantInternal.RunReportRecorded;
import io.entrabackup.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Four-eyes restores in the tenant entity: a restore waiting for approval blocks nothing and runs only once a second
 * key approves it; the requesting key cannot; rejected and expired requests never run, exactly at their expiry, even
 * across a restart.
 */
class TenantApprovalRulesTest {

  @RegisterExtension
  static final TenantEntityKit kit = new TenantEntityKit();
  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3303");
  private static final AccountId ACCOUNT = new AccountId("contoso-msp");
  private static final Instant NOW = Instant.parse("2026-11-28T10:15:30.123Z");
  private static final Duration WINDOW = Duration.ofHours(24);

  private final MovableClock clock = MovableClock.at(NOW);
  private final List<RestoreSpec> restores = new CopyOnWriteArrayList<>();
  private final BackupRunner backupRunner = (spec, tenant) -> Behaviors.ignore();
  private final RestoreRunner restoreRunner = (spec, tenant) -> {
    restores.add(spec);
    return Behaviors.ignore();
  };
  private final EventSourcedBehaviorTestKit<Command, Event, TenantState> entity =
      kit.entity(TENANT, new TenantEntity.Collaborators(clock, backupRunner, restoreRunner));

  /** Authorizes the tenant with an immediate backup; answers that backup's run id. */
  private String authorizedWithBackupRunning() {
    return TenantEntityKit.authorizedWithBackupRunning(entity, ACCOUNT, NOW);
  }

  private String awaitingApproval(String requestedBy) {
    var result = entity.<Reply>runCommand(replyTo -> new StartRestoreAwaitingApproval(ACCOUNT, requestedBy,
        ObjectType.DIRECTORY_ROLES, "role-1", "version-1", "privileged", WINDOW, replyTo));
    var requested = assertInstanceOf(RestoreApprovalRequested.class, result.event());
    assertEquals(NOW.plus(WINDOW), requested.expiresAt());
    return assertInstanceOf(RestoreAwaitingApproval.class, result.reply()).jobId();
  }

  private Reply decide(String jobId, String key, ApprovalDecision decision) {
    return entity.<Reply>runCommand(replyTo -> new DecideRestoreApproval(ACCOUNT, jobId, key, decision, replyTo))
        .reply();
  }

  @Test
  void aWaitingRestoreBlocksNoBackupAndRunsOnceASecondKeyApprovesIt() {
    String backup = authorizedWithBackupRunning();
    String job = awaitingApproval("key-1");

    var finished = entity.<RunReportRecorded>runCommand(replyTo -> new BackupFinished(backup, Map.of(), replyTo));
    assertEquals(1, finished.events().size(), "the waiting restore does not start when the backup ends");
    var backupNow = entity.<Reply>runCommand(replyTo -> new StartBackup(ACCOUNT, BackupTrigger.MANUAL, replyTo));
    String second = assertInstanceOf(BackupAccepted.class, backupNow.reply()).jobId();
    assertTrue(restores.isEmpty());

    var approved = entity.<Reply>runCommand(replyTo -> new DecideRestoreApproval(ACCOUNT, job, "key-2",
        ApprovalDecision.APPROVED, replyTo));
    assertEquals("key-2", assertInstanceOf(RestoreApproved.class, approved.event()).approvedBy());
    var decided = (ApprovalOutcome.Decided) assertInstanceOf(ApprovalAnswer.class, approved.reply()).outcome();
    assertTrue(decided.queued(), "approved during a backup, it waits its turn like any restore");

    var ended = entity.<RunReportRecorded>runCommand(replyTo -> new BackupFinished(second, Map.of(), replyTo));
    assertEquals(job, ((RestoreStarted) ended.events().get(1)).jobId());
    assertEquals(List.of("role-1"), restores.stream().map(RestoreSpec::objectId).toList());
  }

  @Test
  void theRequestingKeyCannotApproveItsOwnRestore() {
    String backup = authorizedWithBackupRunning();
    entity.<RunReportRecorded>runCommand(replyTo -> new BackupFinished(backup, Map.of(), replyTo));
    String job = awaitingApproval("key-1");

    var own = entity.<Reply>runCommand(replyTo -> new DecideRestoreApproval(ACCOUNT, job, "key-1",
        ApprovalDecision.APPROVED, replyTo));
    assertTrue(own.hasNoEvents());
    assertEquals(new ApprovalAnswer(new ApprovalOutcome.OwnRequest(job)), own.reply());
    assertTrue(restores.isEmpty());
    var otherAccount = entity.<Reply>runCommand(replyTo -> new DecideRestoreApproval(new AccountId("fabrikam"), job,
        "key-9", ApprovalDecision.APPROVED, replyTo));
    assertInstanceOf(NotFound.class, otherAccount.reply());

    var approved = (ApprovalAnswer) decide(job, "key-2", ApprovalDecision.APPROVED);
    assertFalse(((ApprovalOutcome.Decided) approved.outcome()).queued(), "nothing writes: it runs at once");
    assertEquals(1, restores.size());
  }

  @Test
  void aRejectedRestoreNeverRunsAndCannotBeApprovedAfterwards() {
    String backup = authorizedWithBackupRunning();
    entity.<RunReportRecorded>runCommand(replyTo -> new BackupFinished(backup, Map.of(), replyTo));
    String job = awaitingApproval("key-1");

    var rejected = entity.<Reply>runCommand(replyTo -> new DecideRestoreApproval(ACCOUNT, job, "key-2",
        ApprovalDecision.REJECTED, replyTo));
    assertEquals("key-2", assertInstanceOf(RestoreApprovalRejected.class, rejected.event()).rejectedBy());
    assertInstanceOf(ApprovalOutcome.NotAwaiting.class,
        ((ApprovalAnswer) decide(job, "key-3", ApprovalDecision.APPROVED)).outcome());
    assertTrue(restores.isEmpty());
  }

  @Test
  void anUnapprovedRestoreExpiresWhenItsTimerFires() {
    String backup = authorizedWithBackupRunning();
    entity.<RunReportRecorded>runCommand(replyTo -> new BackupFinished(backup, Map.of(), replyTo));
    String job = awaitingApproval("key-1");

    clock.advance(WINDOW.minusSeconds(1));
    assertTrue(entity.runCommand(new ApprovalDue(job)).hasNoEvents(), "an early timer arms itself again");
    clock.advance(Duration.ofSeconds(1));
    var expired = entity.runCommand(new ApprovalDue(job));
    assertEquals(job, assertInstanceOf(RestoreApprovalExpired.class, expired.event()).jobId());
    assertInstanceOf(ApprovalOutcome.NotAwaiting.class,
        ((ApprovalAnswer) decide(job, "key-2", ApprovalDecision.APPROVED)).outcome());
    assertTrue(restores.isEmpty());
  }

  @Test
  void anApprovalAfterTheWindowIsRefusedEvenWhenTheTimerNeverFiredAcrossARestart() {
    String backup = authorizedWithBackupRunning();
    entity.<RunReportRecorded>runCommand(replyTo -> new BackupFinished(backup, Map.of(), replyTo));
    String job = awaitingApproval("key-1");

    entity.restart();
    clock.advance(WINDOW);
    var late = entity.<Reply>runCommand(replyTo -> new DecideRestoreApproval(ACCOUNT, job, "key-2",
        ApprovalDecision.APPROVED, replyTo));
    assertInstanceOf(RestoreApprovalExpired.class, late.event());
    assertInstanceOf(ApprovalOutcome.NotAwaiting.class, ((ApprovalAnswer) late.reply()).outcome());
    assertTrue(restores.isEmpty());
  }
}
