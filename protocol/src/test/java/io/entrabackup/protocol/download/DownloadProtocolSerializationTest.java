package io.entrabackup.protocol.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.download.DownloadCommands.Accepted;
import io.entrabackup.protocol.download.DownloadCommands.Rejected;
import io.entrabackup.protocol.download.DownloadCommands.Start;
import io.entrabackup.protocol.download.DownloadInternal.BuildFailed;
import io.entrabackup.protocol.download.DownloadInternal.BuildSucceeded;
import io.entrabackup.protocol.download.DownloadInternal.Resume;
import io.entrabackup.protocol.download.DownloadInternal.RetryDue;
import io.entrabackup.protocol.download.DownloadInternal.RowsSynced;
import io.entrabackup.protocol.download.DownloadInternal.SyncRows;
import io.entrabackup.protocol.download.DownloadInternal.Wake;
import io.entrabackup.protocol.download.DownloadEvents.BuildStarted;
import io.entrabackup.protocol.download.DownloadEvents.DownloadFailed;
import io.entrabackup.protocol.download.DownloadEvents.DownloadPublished;
import io.entrabackup.protocol.download.DownloadEvents.DownloadRequested;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every download command, reply and event crosses the wire as CBOR and comes back equal; requests validate. */
class DownloadProtocolSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());

  private static final String JOB = "e4b5a960-ebb3-11f1-af93-e706134a20c0";
  private static final AccountId ACCOUNT = new AccountId("contoso-msp");
  private static final Instant AT = Instant.parse("2026-11-28T10:15:30.123Z");
  private static final TenantLabel TENANT = new TenantLabel(TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
      "Contoso", Optional.of("e63e151f-0dcf-4b4e-a4ea-b57c68bf966e"), Optional.empty());
  private static final DownloadSpec OBJECT = new DownloadSpec(DownloadScope.OBJECT, Optional.of(ObjectType.GROUPS),
      Optional.of("g-1"), Optional.empty(), Optional.of(AT), Optional.of(JOB), true);
  private static final BuiltFile FILE = new BuiltFile(2, 123_456, "ab".repeat(32), 1 << 20, 1, 40,
      Map.of("users", 30L, "groups", 10L));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyDownloadMessageRoundTripsThroughCbor() {
    var replies = testKit.<DownloadCommands.Reply>createTestProbe().ref();
    List<Object> messages = List.of(
        new Start(ACCOUNT, TENANT, DownloadSpec.tenant(), replies),
        new Start(ACCOUNT, TENANT, OBJECT, replies),
        new Wake(), new Resume(), new RetryDue(2),
        new BuildSucceeded(2, FILE), new BuildFailed(1, "the build stalled", true),
        new SyncRows(Optional.of(replies)), new SyncRows(Optional.empty()),
        new RowsSynced(Optional.of(replies), Optional.empty()), new RowsSynced(Optional.empty(), Optional.of("down")),
        new Accepted(JOB), new Rejected("job belongs to another account"),
        new DownloadRequested(JOB, ACCOUNT, TENANT, OBJECT, AT),
        new BuildStarted(JOB, ACCOUNT, 1, AT),
        new DownloadPublished(JOB, ACCOUNT, FILE, AT, AT.plusSeconds(7 * 86400)),
        new DownloadFailed(JOB, ACCOUNT, "there is no backed-up users object x", AT),
        new DownloadCommands.StartAwaitingApproval(ACCOUNT, TENANT, DownloadSpec.tenant(), "key-1", "four eyes",
            java.time.Duration.ofHours(24), replies),
        new DownloadCommands.DecideApproval(ACCOUNT, "key-2",
            io.entrabackup.protocol.approval.ApprovalDecision.APPROVED, replies),
        new DownloadInternal.ApprovalDue(),
        new DownloadCommands.ApprovalAnswer(new io.entrabackup.protocol.approval.ApprovalOutcome.Decided(JOB,
            io.entrabackup.protocol.approval.ApprovalDecision.REJECTED, false)),
        new DownloadCommands.ApprovalAnswer(new io.entrabackup.protocol.approval.ApprovalOutcome.OwnRequest(JOB)),
        new DownloadEvents.DownloadApprovalRequested(JOB, ACCOUNT, TENANT, DownloadSpec.tenant(), "key-1",
            "four eyes", AT, AT.plusSeconds(86400)),
        new DownloadEvents.DownloadApprovalDecided(JOB, ACCOUNT,
            io.entrabackup.protocol.approval.ApprovalDecision.EXPIRED, Optional.empty(), AT));
    for (Object message : messages) {
      serialization.verifySerialization(message, true);
    }
  }

  @Test
  void onlyStartAndApprovalsComeFromOutsideEverythingElseIsVisiblyInternal() {
    assertEquals(Set.of(Start.class, DownloadCommands.StartAwaitingApproval.class,
            DownloadCommands.DecideApproval.class, DownloadInternal.InternalCommand.class),
        Set.of(DownloadCommands.Command.class.getPermittedSubclasses()));
  }

  @Test
  void noCommandAndEventShareAName() {
    Set<String> commands = names(DownloadCommands.Command.class);
    Set<String> events = names(DownloadEvents.Event.class);
    assertTrue(commands.containsAll(Set.of("Start", "Wake", "SyncRows", "RowsSynced", "BuildFailed")), commands.toString());
    assertTrue(events.contains("DownloadFailed"), events.toString());
    assertTrue(commands.stream().noneMatch(events::contains), commands + " and " + events);
  }

  /** The simple names of the records a sealed type permits, through its sealed sub-interfaces. */
  private static Set<String> names(Class<?> sealed) {
    return Stream.of(sealed.getPermittedSubclasses())
        .flatMap(type -> type.isSealed() ? names(type).stream() : Stream.of(type.getSimpleName()))
        .collect(Collectors.toSet());
  }

  @Test
  void requestsAreValidatedIntoSpecs() {
    var object = new DownloadRequest("object", "users", "u-1", null, "2026-11-20T08:00:00Z", null, null).validate();
    assertEquals(Optional.of(Instant.parse("2026-11-20T08:00:00Z")), object.spec().orElseThrow().asOf());
    assertTrue(new DownloadRequest("tenant", null, null, null, null, null, true).validate().spec().orElseThrow()
        .includeDeleted());
    for (var invalid : List.of(
        new DownloadRequest(null, null, null, null, null, null, null),
        new DownloadRequest("tenant", "users", null, null, null, null, null),
        new DownloadRequest("type", null, null, null, null, null, null),
        new DownloadRequest("type", "users", "u-1", null, null, null, null),
        new DownloadRequest("object", "users", " ", null, null, null, null),
        new DownloadRequest("object", "users", "u-1", "not-a-version", null, null, null),
        new DownloadRequest("tenant", null, null, null, "2026-11-20T08:00:00Z", JOB, null),
        new DownloadRequest("tenant", null, null, null, "yesterday", null, null))) {
      assertTrue(invalid.validate().problem().isPresent(), invalid.toString());
    }
  }
}
