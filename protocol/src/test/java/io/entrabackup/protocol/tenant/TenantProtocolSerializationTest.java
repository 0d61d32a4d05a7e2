package io.entrabackup.protocol.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.restore.RestoreAction;
import io.entrabackup.protocol.tenant.TenantCommands.CheckConsentState;
import io.entrabackup.protocol.tenant.TenantCommands.CompleteConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Current;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenant;
import io.entrabackup.protocol.tenant.TenantCommands.MarkAuthorizationLost;
import io.entrabackup.protocol.tenant.TenantCommands.NotFound;
import io.entrabackup.protocol.tenant.TenantCommands.RefuseConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Register;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.RequestConsent;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.ConsentRequested;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every tenant command, reply and event crosses the wire as CBOR and comes back equal. */
class TenantProtocolSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());

  private static final TenantId TENANT = TenantId.parse("3F2504E0-4F89-41D3-9A0C-0305E82C3301");
  private static final AccountId ACCOUNT = new AccountId("contoso-msp");
  private static final Instant AT = Instant.parse("2026-11-28T10:15:30.123Z");
  private static final TenantView VIEW = new TenantView(TENANT, ACCOUNT, "Contoso", Optional.of("contoso.com"),
      TenantStatus.AUTHORIZED, Optional.empty(), Optional.of("e63e151f-0dcf-4b4e-a4ea-b57c68bf966e"),
      Optional.of("Contoso Ltd"), List.of("contoso.com", "contoso.onmicrosoft.com"), Optional.of("P1D"),
      Optional.of(AT), Optional.of(new LastBackup(LastBackup.Result.COMPLETED, AT)), Map.of("users", 12L),
      TenantAction.availableIn(TenantStatus.AUTHORIZED), AT, Optional.empty());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyTenantMessageRoundTripsThroughCbor() {
    var replies = testKit.<TenantCommands.Reply>createTestProbe().ref();
    var recorded = testKit.<TenantInternal.RunReportRecorded>createTestProbe().ref();
    List<Object> messages = List.of(
        new Register(ACCOUNT, "Contoso", Optional.of("contoso.com"), replies),
        new Register(ACCOUNT, "Contoso", Optional.empty(), replies),
        new GetTenant(ACCOUNT, replies),
        new RequestConsent(ACCOUNT, "n0nce", true, Duration.ofDays(1), AT, replies),
        new CheckConsentState(ACCOUNT, "n0nce", replies),
        new CompleteConsent(ACCOUNT, "n0nce", "e63e151f-0dcf-4b4e-a4ea-b57c68bf966e", "Contoso Ltd",
            List.of("contoso.com"), replies),
        new RefuseConsent(ACCOUNT, "n0nce", "access_denied", "The admin declined", replies),
        new MarkAuthorizationLost(ACCOUNT, "invalid_grant: consent revoked", replies),
        new Current(VIEW),
        new Rejected("tenant is already registered"),
        new NotFound(),
        new TenantRegistered(TENANT, ACCOUNT, "Contoso", Optional.empty(), AT),
        new ConsentRequested(TENANT, "n0nce", false, Duration.ofDays(1), AT, AT.plusSeconds(3600)),
        new TenantAuthorized(TENANT, ACCOUNT, "e63e151f-0dcf-4b4e-a4ea-b57c68bf966e", "Contoso Ltd", List.of("contoso.com"),
            Duration.ofDays(1), true, AT, AT),
        new AuthorizationRefused(TENANT, ACCOUNT, "access_denied", "The admin declined", AT),
        new AuthorizationLost(TENANT, ACCOUNT, "invalid_grant", AT),
        new TenantCommands.MarkDirectoryDisputed(ACCOUNT, "e63e151f-0dcf-4b4e-a4ea-b57c68bf966e", AT, replies),
        new TenantEvents.DirectoryDisputed(TENANT, ACCOUNT, "e63e151f-0dcf-4b4e-a4ea-b57c68bf966e", "disputed", AT),
        new TenantCommands.StartRestore(ACCOUNT, "key-1", io.entrabackup.protocol.backup.ObjectType.USERS, "u1",
            "v1", replies),
        new TenantCommands.ClaimRestorePassword(ACCOUNT, "job-1", replies),
        new TenantCommands.RestoreAccepted("job-1", true),
        new TenantCommands.RestorePassword(Optional.of("secret")),
        new TenantCommands.StartBackup(ACCOUNT, BackupTrigger.MANUAL, replies),
        new TenantCommands.BackupAccepted("run-1"),
        new TenantCommands.BackupAlreadyRunning("run-1"),
        new TenantInternal.ScheduleDue(),
        new TenantInternal.BackupSlotTaken("run-1", AT),
        new TenantEvents.BackupRunning(TENANT, ACCOUNT, "run-1", AT),
        new TenantInternal.TypeDone("run-1", ObjectType.USERS, new TypeCounts(3, 1, 1, 0, 1), new GraphTraffic(2, 0, 10),
            Optional.of("https://graph/users/delta?$deltatoken=1"), recorded),
        new TenantInternal.BackupFinished("run-1", Map.of("users", 3L), recorded),
        new TenantInternal.BackupRunFailed("run-1", "users: unauthorized_client", true, recorded),
        new TenantInternal.RunReportRecorded("run-1"),
        new TenantInternal.RestorePasswordIssued("job-1", "secret"),
        new TenantInternal.ReportObjectRecreated("job-1", "new-id", recorded),
        new TenantInternal.RestoreFinished("job-1", RestoreAction.UPDATE, 2, 1, Optional.empty(),
            new GraphTraffic(9, 1, 2048), recorded),
        new TenantInternal.RestoreRunFailed("job-1", "try again later", new GraphTraffic(6, 6, 0), recorded),
        new TenantEvents.RestoreRequested(TENANT, ACCOUNT, "job-1", "key-1", io.entrabackup.protocol.backup.ObjectType.GROUPS,
            "g1", "v1", false, AT),
        new TenantEvents.RestoreStarted(TENANT, ACCOUNT, "job-1", AT),
        new TenantEvents.RestoreObjectRecreated(TENANT, ACCOUNT, "job-1", "new-id", AT),
        new TenantEvents.RestoreCompleted(TENANT, ACCOUNT, "job-1", RestoreAction.RECREATE, 3, 1, Optional.of("new-id"), AT,
            new GraphTraffic(12, 2, 4096)),
        new TenantEvents.RestoreFailed(TENANT, ACCOUNT, "job-1", "Graph said no", AT, new GraphTraffic(6, 6, 0)));

    for (Object message : messages) {
      serialization.verifySerialization(message, true);
    }
  }

  @Test
  void everyOffboardingMessageRoundTripsThroughCbor() {
    var replies = testKit.<TenantCommands.Reply>createTestProbe().ref();
    var scheduled = new TenantView(TENANT, ACCOUNT, "Contoso", Optional.empty(), TenantStatus.AUTHORIZED,
        Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.of("P1D"), Optional.empty(),
        Optional.empty(), Map.of(), TenantAction.availableIn(TenantStatus.AUTHORIZED, true), AT,
        Optional.of(AT.plusSeconds(604800)));
    List<Object> messages = List.of(
        new TenantCommands.ScheduleDeletion(ACCOUNT, "key-1", replies),
        new TenantCommands.CancelDeletion(ACCOUNT, "key-1", replies),
        new Current(scheduled),
        new TenantInternal.DeletionDue(),
        new TenantInternal.PurgeDone(),
        new TenantInternal.PurgeFailed("Cassandra timed out"),
        new TenantEvents.TenantDeletionScheduled(TENANT, ACCOUNT, "key-1", AT, AT.plusSeconds(604800)),
        new TenantEvents.TenantDeletionCancelled(TENANT, ACCOUNT, "key-2", AT),
        new TenantEvents.TenantPurgeStarted(TENANT, ACCOUNT, AT),
        new TenantEvents.TenantPurged(TENANT, AT));
    for (Object message : messages) {
      serialization.verifySerialization(message, true);
    }
  }

  @Test
  void everyFourEyesMessageRoundTripsThroughCbor() {
    var replies = testKit.<TenantCommands.Reply>createTestProbe().ref();
    var groups = io.entrabackup.protocol.backup.ObjectType.GROUPS;
    var approved = io.entrabackup.protocol.approval.ApprovalDecision.APPROVED;
    List<Object> messages = List.of(
        new TenantCommands.StartRestoreAwaitingApproval(ACCOUNT, "key-1", groups, "g1", "v1", "privileged",
            Duration.ofHours(24), replies),
        new TenantCommands.DecideRestoreApproval(ACCOUNT, "job-1", "key-2", approved, replies),
        new TenantCommands.RestoreAwaitingApproval("job-1", "privileged", AT, AT.plusSeconds(60)),
        new TenantCommands.ApprovalAnswer(new io.entrabackup.protocol.approval.ApprovalOutcome.Decided("job-1",
            approved, true)),
        new TenantCommands.ApprovalAnswer(new io.entrabackup.protocol.approval.ApprovalOutcome.NotAwaiting("job-1",
            "expired")),
        new TenantInternal.ApprovalDue("job-1"),
        new TenantEvents.RestoreApprovalRequested(TENANT, ACCOUNT, "job-1", "key-1", groups, "g1", "v1",
            "privileged", AT, AT.plusSeconds(86400)),
        new TenantEvents.RestoreApproved(TENANT, ACCOUNT, "job-1", "key-2", true, AT),
        new TenantEvents.RestoreApprovalRejected(TENANT, ACCOUNT, "job-1", "key-2", AT),
        new TenantEvents.RestoreApprovalExpired(TENANT, ACCOUNT, "job-1", AT));
    for (Object message : messages) {
      serialization.verifySerialization(message, true);
    }
  }

  /** Restore events persisted before their Graph traffic was recorded read back with none. */
  @Test
  void restoreEventsWrittenWithoutGraphTrafficReadWithNone() throws Exception {
    var mapper = JacksonObjectMapperProvider.get(testKit.system())
        .getOrCreate("jackson-cbor", Optional.empty());
    var completed = (ObjectNode) mapper.valueToTree(new TenantEvents.RestoreCompleted(
        TENANT, ACCOUNT, "job-1", RestoreAction.UPDATE, 2, 0, Optional.empty(), AT, new GraphTraffic(1, 1, 1)));
    var failed = (ObjectNode) mapper.valueToTree(new TenantEvents.RestoreFailed(
        TENANT, ACCOUNT, "job-1", "no", AT, new GraphTraffic(1, 1, 1)));
    completed.remove("graph");
    failed.remove("graph");

    assertEquals(GraphTraffic.NONE, mapper.treeToValue(completed, TenantEvents.RestoreCompleted.class).graph());
    assertEquals(GraphTraffic.NONE, mapper.treeToValue(failed, TenantEvents.RestoreFailed.class).graph());
  }

  /**
   * The restore action and a backup's result were strings before they were enums: what the journal and snapshots hold
   * (and what the API shows) is still that string, so events written then read back, and new ones look the same.
   */
  @Test
  void restoreActionsAndBackupResultsAreWrittenAndReadAsTheirFormerStrings() throws Exception {
    var mapper = JacksonObjectMapperProvider.get(testKit.system())
        .getOrCreate("jackson-cbor", Optional.empty());
    var completed = (ObjectNode) mapper.valueToTree(new TenantEvents.RestoreCompleted(
        TENANT, ACCOUNT, "job-1", RestoreAction.UNDELETE, 2, 0, Optional.empty(), AT, GraphTraffic.NONE));
    assertEquals("undelete", completed.get("action").textValue());

    for (String written : List.of("update", "undelete", "recreate")) {
      completed.put("action", written);
      byte[] journal = mapper.writeValueAsBytes(completed);
      var read = mapper.readValue(journal, TenantEvents.RestoreCompleted.class);
      assertEquals(written, read.action().apiName());
    }
    var view = (ObjectNode) mapper.valueToTree(VIEW);
    assertEquals("completed", view.get("lastBackup").get("result").textValue());
    ((ObjectNode) view.get("lastBackup")).put("result", "failed");
    assertEquals(LastBackup.Result.FAILED,
        mapper.readValue(mapper.writeValueAsBytes(view), TenantView.class).lastBackup().orElseThrow().result());
    assertThrows(Exception.class, () -> mapper.readValue(mapper.writeValueAsBytes(
        completed.put("action", "teleport")), TenantEvents.RestoreCompleted.class));
  }

  @Test
  void everyTenantMessageUsesTheCborSerializer() {
    var serializer = SerializationExtension.get(testKit.system().classicSystem())
        .findSerializerFor(new NotFound());
    assertEquals("JacksonCborSerializer", serializer.getClass().getSimpleName());
  }

  @Test
  void onlyADailyFrequencyIsOfferedToday() {
    assertEquals(Duration.ofDays(1), BackupFrequency.parse("P1D"));
    assertEquals("P1D", BackupFrequency.format(Duration.ofDays(1)));
    assertThrows(IllegalArgumentException.class, () -> BackupFrequency.parse("PT1H"));
    assertThrows(IllegalArgumentException.class, () -> BackupFrequency.parse("daily"));
  }

  @Test
  void idsAreNormalisedAndValidated() {
    assertEquals("3f2504e0-4f89-41d3-9a0c-0305e82c3301", TENANT.value());
    assertThrows(IllegalArgumentException.class, () -> TenantId.parse("../etc/passwd"));
    assertThrows(IllegalArgumentException.class, () -> new AccountId("Has Spaces"));
  }
}
