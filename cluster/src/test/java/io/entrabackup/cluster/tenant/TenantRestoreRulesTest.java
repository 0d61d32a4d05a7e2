package io.entrabackup.cluster.tenant;

import io.entrabackup.testing.MovableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.backup.BackupRunSpec;
import io.entrabackup.cluster.backup.BackupRunner;
import io.entrabackup.cluster.restore.RestoreRunner;
import io.entrabackup.cluster.restore.RestoreSpec;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.RestoreAction;
import io.entrabackup.protocol.tenant.TenantInternal.BackupFinished;
import io.entrabackup.protocol.tenant.TenantCommands.ClaimRestorePassword;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.Reply;
import io.entrabackup.protocol.tenant.TenantCommands.RestoreAccepted;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.tenant.TenantInternal.RestoreFinished;
import io.entrabackup.protocol.tenant.TenantInternal.ReportObjectRecreated;
import io.entrabackup.protocol.tenant.TenantCommands.RestorePassword;
import io.entrabackup.protocol.tenant.TenantInternal.RestorePasswordIssued;
import io.entrabackup.protocol.tenant.TenantCommands.StartBackup;
import io.entrabackup.protocol.tenant.TenantInternal.RunReportRecorded;
import io.entrabackup.protocol.tenant.TenantCommands.StartRestore;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreRequested;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreStarted;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tenant's rule for jobs that write: one backup or restore at a time; restores wait, then run in order. */
class TenantRestoreRulesTest {

  @RegisterExtension
  static final TenantEntityKit kit = new TenantEntityKit();
  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3302");
  private static final AccountId ACCOUNT = new AccountId("contoso-msp");
  private static final Instant NOW = Instant.parse("2026-11-28T10:15:30.123Z");

  private final List<BackupRunSpec> backups = new CopyOnWriteArrayList<>();
  private final List<RestoreSpec> restores = new CopyOnWriteArrayList<>();
  private final BackupRunner backupRunner = (spec, tenant) -> {
    backups.add(spec);
    return Behaviors.ignore();
  };
  private final RestoreRunner restoreRunner = (spec, tenant) -> {
    restores.add(spec);
    return Behaviors.ignore();
  };
  private final EventSourcedBehaviorTestKit<Command, Event, TenantState> entity =
      kit.entity(TENANT, new TenantEntity.Collaborators(MovableClock.at(NOW), backupRunner, restoreRunner));

  /** Authorizes the tenant with an immediate backup; answers that backup's run id. */
  private String authorizedWithBackupRunning() {
    return TenantEntityKit.authorizedWithBackupRunning(entity, ACCOUNT, NOW);
  }

  private RestoreAccepted startRestore(String objectId) {
    var result = entity.<Reply>runCommand(replyTo -> new StartRestore(ACCOUNT, "key-1", ObjectType.USERS, objectId,
        "version-1", replyTo));
    assertInstanceOf(RestoreRequested.class, result.event());
    return assertInstanceOf(RestoreAccepted.class, result.reply());
  }

  @Test
  void aRestoreAskedForDuringABackupIsQueuedAndStartsWhenTheBackupEnds() {
    String backup = authorizedWithBackupRunning();

    RestoreAccepted first = startRestore("u1");
    RestoreAccepted second = startRestore("u2");
    assertTrue(first.queued() && second.queued());
    assertTrue(restores.isEmpty(), "nothing restores while the backup writes");

    var finished = entity.<RunReportRecorded>runCommand(replyTo -> new BackupFinished(backup, Map.of(), replyTo));
    assertEquals(first.jobId(), ((RestoreStarted) finished.events().get(1)).jobId());
    assertEquals(List.of("u1"), restores.stream().map(RestoreSpec::objectId).toList());

    var done = entity.<RunReportRecorded>runCommand(replyTo -> new RestoreFinished(first.jobId(),
        RestoreAction.UPDATE, 2, 0, Optional.empty(), new GraphTraffic(5, 1, 1024), replyTo));
    assertInstanceOf(RestoreCompleted.class, done.events().get(0));
    assertEquals(new GraphTraffic(5, 1, 1024), ((RestoreCompleted) done.events().get(0)).graph(),
        "the restore's Graph traffic is kept with its outcome");
    assertEquals(second.jobId(), ((RestoreStarted) done.events().get(1)).jobId(), "the next one waits its turn");
    assertEquals(List.of("u1", "u2"), restores.stream().map(RestoreSpec::objectId).toList());
  }

  @Test
  void aRestoreBeyondAFullQueueIsRefusedSayingSoAndAcceptedAgainOnceOneStarted() {
    String backup = authorizedWithBackupRunning();
    int limit = TenantSettings.create(kit.testKit().system()).maxQueuedRestores();
    List<RestoreAccepted> waiting = new java.util.ArrayList<>();
    for (int i = 0; i < limit; i++) {
      waiting.add(startRestore("u" + i));
    }

    var refused = entity.<Reply>runCommand(replyTo -> new StartRestore(ACCOUNT, "key-1", ObjectType.USERS, "one-more",
        "version-1", replyTo));
    assertTrue(refused.hasNoEvents());
    String reason = assertInstanceOf(Rejected.class, refused.reply()).reason();
    assertTrue(reason.contains("restore queue") && reason.contains("is full") && reason.contains(limit + " restores"),
        reason);

    entity.<RunReportRecorded>runCommand(replyTo -> new BackupFinished(backup, Map.of(), replyTo));
    assertTrue(startRestore("one-more").queued(), "the first waiting restore started, so there is room again");
  }

  @Test
  void backupNowDuringARestoreIsRefusedAndTheScheduleWaits() {
    String backup = authorizedWithBackupRunning();
    entity.<RunReportRecorded>runCommand(replyTo -> new BackupFinished(backup, Map.of(), replyTo));
    RestoreAccepted restore = startRestore("u1");
    assertTrue(!restore.queued());

    var refused = entity.<Reply>runCommand(replyTo -> new StartBackup(ACCOUNT, BackupTrigger.MANUAL, replyTo));
    assertInstanceOf(Rejected.class, refused.reply());
    assertTrue(refused.hasNoEvents());
    assertEquals(1, backups.size());
  }

  @Test
  void aRecreatedObjectIsRememberedSoAResumedRestoreGoesOnWithIt() {
    String backup = authorizedWithBackupRunning();
    entity.<RunReportRecorded>runCommand(replyTo -> new BackupFinished(backup, Map.of(), replyTo));
    RestoreAccepted restore = startRestore("u1");
    entity.<RunReportRecorded>runCommand(replyTo -> new ReportObjectRecreated(restore.jobId(), "new-id", replyTo));

    entity.restart();

    assertEquals(Optional.of("new-id"), restores.get(restores.size() - 1).recreatedId(),
        "the restart resumed the restore with the recreated object");
  }

  @Test
  void aTemporaryPasswordIsHandedOutOnceAndNeverPersisted() {
    String backup = authorizedWithBackupRunning();
    entity.<RunReportRecorded>runCommand(replyTo -> new BackupFinished(backup, Map.of(), replyTo));
    RestoreAccepted restore = startRestore("u1");
    var issued = entity.runCommand(new RestorePasswordIssued(restore.jobId(), "Secret-123!abc"));
    assertTrue(issued.hasNoEvents());

    var first = entity.<Reply>runCommand(replyTo -> new ClaimRestorePassword(ACCOUNT, restore.jobId(), replyTo));
    assertEquals(new RestorePassword(Optional.of("Secret-123!abc")), first.reply());
    var second = entity.<Reply>runCommand(replyTo -> new ClaimRestorePassword(ACCOUNT, restore.jobId(), replyTo));
    assertEquals(new RestorePassword(Optional.empty()), second.reply());
  }
}
