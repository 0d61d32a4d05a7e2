package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.entrabackup.cluster.offboarding.TenantPurge;
import io.entrabackup.cluster.restore.RestoreRunner;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantInternal;
import io.entrabackup.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tenant entity hands System Status's job rows every event of a backup run as soon as it is persisted (start,
 * slot, milestone, end, whatever started the run), and nothing it did not persist.
 */
class TenantBackupJobRowsTest {

  /** Its first consent starts a run in a cold actor system: on a loaded 2-core machine that took over the 3 s default. */
  @RegisterExtension
  static final TenantEntityKit kit =
      new TenantEntityKit(ConfigFactory.parseString("pekko.actor.testkit.typed.single-expect-default = 20s"));

  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
  private static final AccountId ACCOUNT = new AccountId("contoso-msp");
  private static final Instant NOW = Instant.parse("2026-11-28T10:15:30.123Z");

  private final List<Event> handed = new CopyOnWriteArrayList<>();
  private final EventSourcedBehaviorTestKit<Command, Event, TenantState> entity = kit.entity(TENANT,
      new TenantEntity.Collaborators(MovableClock.at(NOW), (spec, tenant) -> Behaviors.ignore(),
          RestoreRunner.UNAVAILABLE, TenantPurge.UNAVAILABLE, handed::addAll));

  private CommandResultWithReply<Command, Event, TenantState, TenantCommands.Reply> run(
      Function<ActorRef<TenantCommands.Reply>, Command> command) {
    return entity.runCommand(command::apply);
  }

  private CommandResultWithReply<Command, Event, TenantState, TenantInternal.RunReportRecorded> report(
      Function<ActorRef<TenantInternal.RunReportRecorded>, Command> report) {
    return entity.runCommand(report::apply);
  }

  @Test
  void everyEventOfARunIsHandedToTheJobRowsAsItIsPersisted() {
    run(replyTo -> new TenantCommands.Register(ACCOUNT, "Contoso", Optional.empty(), replyTo));
    run(replyTo -> new TenantCommands.RequestConsent(ACCOUNT, "n", true, Duration.ofDays(1),
        NOW.plusSeconds(3600), replyTo));
    var consent = run(replyTo -> new TenantCommands.CompleteConsent(ACCOUNT, "n",
        "e63e151f-0dcf-4b4e-a4ea-b57c68bf966e", "Contoso Ltd", List.of("contoso.com"), replyTo));
    String runId = ((TenantEvents.BackupStarted) consent.events().get(1)).runId();
    var slot = entity.runCommand(new TenantInternal.BackupSlotTaken(runId, NOW.plusSeconds(1)));
    var counts = new TypeCounts(3, 3, 0, 0, 0);
    var typeDone = report(replyTo -> new TenantInternal.TypeDone(runId, ObjectType.USERS, counts,
        GraphTraffic.NONE, Optional.empty(), replyTo));
    var finished = report(replyTo -> new TenantInternal.BackupFinished(runId, Map.of("users", 3L),
        replyTo));
    // A report again after the end persists nothing, and hands nothing.
    report(replyTo -> new TenantInternal.BackupFinished(runId, Map.of("users", 3L), replyTo));
    var now = run(replyTo -> new TenantCommands.StartBackup(ACCOUNT, BackupTrigger.MANUAL, replyTo));

    List<Event> persisted = new ArrayList<>();
    for (var result : List.of(consent, slot, typeDone, finished, now)) {
      persisted.addAll(result.events());
    }
    // Every persisted event is handed, in order (the registration and the consent request first): the rows take
    // what is a backup's and skip the rest.
    assertEquals(persisted, handed.subList(2, handed.size()));
    assertEquals(List.of(TenantEvents.TenantAuthorized.class, TenantEvents.BackupStarted.class,
        TenantEvents.BackupRunning.class, TenantEvents.TypeBackedUp.class, TenantEvents.BackupCompleted.class,
        TenantEvents.BackupStarted.class), persisted.stream().map(Object::getClass).toList());
  }
}
