package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.restore.RestoreRunner;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.tenant.TenantAction;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.CompleteConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Current;
import io.entrabackup.protocol.tenant.TenantCommands.MarkDirectoryDisputed;
import io.entrabackup.protocol.tenant.TenantCommands.NotFound;
import io.entrabackup.protocol.tenant.TenantCommands.Register;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.Reply;
import io.entrabackup.protocol.tenant.TenantCommands.RequestConsent;
import io.entrabackup.protocol.tenant.TenantCommands.StartBackup;
import io.entrabackup.protocol.tenant.TenantCommands.StartRestore;
import io.entrabackup.protocol.tenant.TenantEvents.DirectoryDisputed;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A tenant whose directory the bindings backfill found disputed: stopped until it consents again. */
class DirectoryDisputeTest {

  @RegisterExtension
  static final TenantEntityKit kit = new TenantEntityKit();

  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
  private static final AccountId ACCOUNT = new AccountId("contoso-msp");
  private static final Instant NOW = Instant.parse("2026-11-28T10:15:30.123Z");
  private static final String ENTRA_ID = "e63e151f-0dcf-4b4e-a4ea-b57c68bf966e";

  private final MovableClock clock = MovableClock.at(NOW);
  private final EventSourcedBehaviorTestKit<Command, Event, TenantState> entity = kit.entity(TENANT,
      new TenantEntity.Collaborators(clock, (spec, tenant) -> Behaviors.ignore(), RestoreRunner.UNAVAILABLE));

  private CommandResultWithReply<Command, Event, TenantState, Reply> run(Function<ActorRef<Reply>, Command> command) {
    return entity.runCommand(command::apply);
  }

  private void authorize(String nonce) {
    run(replyTo -> new RequestConsent(ACCOUNT, nonce, false, Duration.ofDays(1), clock.instant().plusSeconds(3600),
        replyTo));
    run(replyTo -> new CompleteConsent(ACCOUNT, nonce, ENTRA_ID, "Contoso Ltd", List.of("contoso.com"), replyTo));
  }

  private CommandResultWithReply<Command, Event, TenantState, Reply> dispute(String directory, Instant at) {
    return run(replyTo -> new MarkDirectoryDisputed(ACCOUNT, directory, at, replyTo));
  }

  @Test
  void aDisputedTenantIsStoppedUntilItConsentsAgain() {
    run(replyTo -> new Register(ACCOUNT, "Contoso", Optional.empty(), replyTo));
    authorize("nonce-1");
    clock.advance(Duration.ofMinutes(1));

    var disputed = dispute(ENTRA_ID.toUpperCase(), clock.instant());

    DirectoryDisputed event = disputed.eventOfType(DirectoryDisputed.class);
    assertEquals(ENTRA_ID, event.entraTenantId());
    var tenant = assertInstanceOf(Current.class, disputed.reply()).tenant();
    assertEquals(TenantStatus.DIRECTORY_DISPUTED, tenant.status());
    assertTrue(tenant.statusReason().orElseThrow().contains("claimed by another tenant"), tenant.toString());
    assertEquals(Optional.empty(), tenant.nextBackupAt());
    assertEquals(List.of(TenantAction.ACTIVATE, TenantAction.SHOW_DETAIL), tenant.actions());
    assertInstanceOf(Rejected.class, run(replyTo -> new StartBackup(ACCOUNT, BackupTrigger.MANUAL, replyTo)).reply());
    assertInstanceOf(Rejected.class,
        run(replyTo -> new StartRestore(ACCOUNT, "key-1", ObjectType.USERS, "u1", "v1", replyTo)).reply());
    assertTrue(dispute(ENTRA_ID, clock.instant()).hasNoEvents(), "marked once");

    clock.advance(Duration.ofMinutes(1));
    authorize("nonce-2");

    assertEquals(TenantStatus.AUTHORIZED, ((TenantState.Registered) entity.getState()).status());
  }

  @Test
  void aTenantAuthorizedSinceTheDisputeOrForAnotherDirectoryIsNotStopped() {
    run(replyTo -> new Register(ACCOUNT, "Contoso", Optional.empty(), replyTo));
    Instant disputeRecorded = clock.instant();
    clock.advance(Duration.ofSeconds(5));
    authorize("nonce-1");

    assertTrue(dispute(ENTRA_ID, disputeRecorded).hasNoEvents(), "it proved itself after the dispute");
    assertTrue(dispute("0a6a4c5e-9a7c-4b7f-8f3e-5d1c2b3a4f50", clock.instant()).hasNoEvents(), "not its directory");
    assertInstanceOf(NotFound.class, run(replyTo -> new MarkDirectoryDisputed(new AccountId("other-msp"), ENTRA_ID,
        clock.instant(), replyTo)).reply());
    assertEquals(TenantStatus.AUTHORIZED, ((TenantState.Registered) entity.getState()).status());
  }
}
