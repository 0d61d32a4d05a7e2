package io.entrabackup.cluster.tenant;

import io.entrabackup.testing.MovableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.backup.BackupRunner;
import io.entrabackup.cluster.restore.RestoreRunner;
import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.restore.RestoreAction;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantInternal;
import io.entrabackup.protocol.tenant.TenantInternal.RunReportRecorded;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the tenant entity does with the messages of its timer and workers ({@link TenantInternal}). */
class TenantInternalMessagesTest {

  @RegisterExtension
  static final TenantEntityKit kit = new TenantEntityKit();
  private static final ActorTestKit testKit = kit.testKit();
  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3303");
  private static final AccountId ACCOUNT = new AccountId("contoso-msp");
  private static final Instant NOW = Instant.parse("2026-11-28T10:15:30.123Z");
  private static final String RUN = "00000000-0000-1000-8000-000000000001";
  private static final String JOB = "00000000-0000-1000-8000-000000000002";

  private final BackupRunner backups = (spec, tenant) -> Behaviors.ignore();
  private final RestoreRunner restores = (spec, tenant) -> Behaviors.ignore();
  private final EventSourcedBehaviorTestKit<Command, Event, TenantState> entity =
      kit.entity(TENANT, new TenantEntity.Collaborators(MovableClock.at(NOW), backups, restores));

  private RunReportRecorded report(Function<ActorRef<RunReportRecorded>, Command> report) {
    var result = entity.<RunReportRecorded>runCommand(report::apply);
    assertTrue(result.hasNoEvents(), result.events().toString());
    return result.reply();
  }

  /** Its run must not ask again and again (nor wait for the ask timeout) when there is no tenant to record it. */
  @Test
  void anUnknownTenantAnswersEveryKindOfRunReportAsRecorded() {
    var counts = TypeCounts.ZERO;
    assertEquals(new RunReportRecorded(RUN), report(replyTo -> new TenantInternal.TypeDone(RUN, ObjectType.USERS,
        counts, GraphTraffic.NONE, Optional.empty(), replyTo)));
    assertEquals(new RunReportRecorded(RUN), report(replyTo -> new TenantInternal.BackupFinished(RUN, Map.of(),
        replyTo)));
    assertEquals(new RunReportRecorded(RUN), report(replyTo -> new TenantInternal.BackupRunFailed(RUN, "users: 500",
        false, replyTo)));
    assertEquals(new RunReportRecorded(JOB), report(replyTo -> new TenantInternal.ReportObjectRecreated(JOB, "new-id",
        replyTo)));
    assertEquals(new RunReportRecorded(JOB), report(replyTo -> new TenantInternal.RestoreFinished(JOB,
        RestoreAction.UPDATE, 1, 0, Optional.empty(), GraphTraffic.NONE, replyTo)));
    assertEquals(new RunReportRecorded(JOB), report(replyTo -> new TenantInternal.RestoreRunFailed(JOB, "no",
        GraphTraffic.NONE, replyTo)));
  }

  @Test
  void anUnknownTenantIgnoresItsTimerAndAPasswordAndStaysUnregistered() {
    var due = entity.runCommand(new TenantInternal.ScheduleDue());
    var password = entity.runCommand(new TenantInternal.RestorePasswordIssued(JOB, "Secret-1"));

    assertTrue(due.hasNoEvents() && password.hasNoEvents());
    assertInstanceOf(TenantState.Unregistered.class, password.state());
  }

  /** Asked again because our answer came late, the milestone is not recorded twice. */
  @Test
  void aRecreationReportedTwiceIsRecordedOnce() {
    String job = runningRestore();

    var first = entity.<RunReportRecorded>runCommand(
        replyTo -> new TenantInternal.ReportObjectRecreated(job, "new-id", replyTo));
    var again = entity.<RunReportRecorded>runCommand(
        replyTo -> new TenantInternal.ReportObjectRecreated(job, "new-id", replyTo));

    first.eventOfType(TenantEvents.RestoreObjectRecreated.class);
    assertEquals(new RunReportRecorded(job), again.reply());
    assertTrue(again.hasNoEvents(), again.events().toString());
  }

  @Test
  void aRestoreOutcomeReportedAgainAfterItWasRecordedChangesNothing() {
    String job = runningRestore();
    entity.<RunReportRecorded>runCommand(replyTo -> new TenantInternal.RestoreFinished(job, RestoreAction.RECREATE, 3,
        0, Optional.of("new-id"), GraphTraffic.NONE, replyTo));

    var again = entity.<RunReportRecorded>runCommand(replyTo -> new TenantInternal.RestoreRunFailed(job, "late",
        GraphTraffic.NONE, replyTo));

    assertEquals(new RunReportRecorded(job), again.reply());
    assertTrue(again.hasNoEvents(), again.events().toString());
  }

  /** Snapshots taken before {@code TenantState.Authorization} became {@code Consent} keep reading. */
  @Test
  void aSnapshotKeepsTheConsentUnderItsFormerName() throws Exception {
    runningRestore();
    Registered state = (Registered) entity.getState();
    var mapper = JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-cbor", Optional.empty());

    var tree = mapper.valueToTree(state);

    assertTrue(tree.has("authorization") && !tree.has("consent"), tree.toString());
    assertEquals(state, mapper.treeToValue(tree, Registered.class));
  }

  /** Registers and authorizes the tenant (no immediate backup), then starts a restore; answers its job id. */
  private String runningRestore() {
    TenantEntityKit.authorize(entity, ACCOUNT, false, NOW);
    var accepted = entity.<TenantCommands.Reply>runCommand(replyTo -> new TenantCommands.StartRestore(ACCOUNT,
        "key-1", ObjectType.USERS, "u1", "version-1", replyTo)).reply();
    return assertInstanceOf(TenantCommands.RestoreAccepted.class, accepted).jobId();
  }
}
