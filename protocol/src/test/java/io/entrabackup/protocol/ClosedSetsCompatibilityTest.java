package io.entrabackup.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.restore.LiveState;
import io.entrabackup.protocol.restore.RestoreAction;
import io.entrabackup.protocol.restore.RestorePlan;
import io.entrabackup.protocol.restore.SkipReason;
import io.entrabackup.protocol.restore.SkippedItem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The closed sets that were strings (job kinds, skip reasons, live states) are enums now: in JSON and in CBOR each is
 * written exactly as its old string was, and every old string reads back, so stored rows, old clients and old
 * messages see no difference.
 */
class ClosedSetsCompatibilityTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final JacksonObjectMapperProvider mappers = JacksonObjectMapperProvider.get(testKit.system());
  private static final ObjectMapper JSON = mappers.getOrCreate("jackson-json", Optional.empty());
  private static final ObjectMapper CBOR = mappers.getOrCreate("jackson-cbor", Optional.empty());

  /** The strings written before the enums, copied from the constants they replace. */
  private static final Map<JobKind, String> OLD_KINDS = Map.of(
      JobKind.BACKUP, "backup", JobKind.DOWNLOAD, "download", JobKind.RESTORE, "restore",
      JobKind.RETENTION, "retention");
  private static final Map<SkipReason, String> OLD_REASONS = Map.of(
      SkipReason.READ_ONLY, "read_only_property",
      SkipReason.SYNCED, "synced_from_on_premises",
      SkipReason.DYNAMIC_MEMBERSHIP, "dynamic_group_members",
      SkipReason.MAIL_ENABLED, "mail_enabled_or_distribution_group",
      SkipReason.NOT_RESTORED, "not_restored_by_entra_backup",
      SkipReason.MEMBER_GONE, "member_no_longer_exists",
      SkipReason.PERMISSION_REFUSED, "permission_refused",
      SkipReason.REFUSED, "refused_by_graph");
  private static final Map<LiveState, String> OLD_LIVE_STATES = Map.of(
      LiveState.LIVE, "live", LiveState.SOFT_DELETED, "soft_deleted", LiveState.GONE, "gone");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static <E extends Enum<E>> void writtenAndReadAsTheOldStrings(Class<E> type, Map<E, String> old)
      throws Exception {
    assertEquals(type.getEnumConstants().length, old.size(), "every value has its old string");
    for (ObjectMapper mapper : List.of(JSON, CBOR)) {
      for (Map.Entry<E, String> entry : old.entrySet()) {
        byte[] oldBytes = mapper.writeValueAsBytes(entry.getValue());
        assertArrayEquals(oldBytes, mapper.writeValueAsBytes(entry.getKey()), entry.getKey() + " as before");
        assertEquals(entry.getKey(), mapper.readValue(oldBytes, type));
      }
      byte[] unknown = mapper.writeValueAsBytes("cleanup");
      assertThrows(ValueInstantiationException.class, () -> mapper.readValue(unknown, type));
    }
  }

  @Test
  void jobKindsAreTheirOldNames() throws Exception {
    writtenAndReadAsTheOldStrings(JobKind.class, OLD_KINDS);
    OLD_KINDS.forEach((kind, name) -> assertEquals(Optional.of(kind), JobKind.fromApiName(name)));
    assertEquals(Optional.empty(), JobKind.fromApiName("BACKUP"));
    assertEquals("backup, download, restore, retention", JobKind.names());
  }

  @Test
  void skipReasonsAreTheirOldCodes() throws Exception {
    writtenAndReadAsTheOldStrings(SkipReason.class, OLD_REASONS);
    OLD_REASONS.forEach((reason, code) -> assertEquals(Optional.of(reason), SkipReason.fromCode(code)));
  }

  @Test
  void liveStatesAreTheirOldNames() throws Exception {
    writtenAndReadAsTheOldStrings(LiveState.class, OLD_LIVE_STATES);
  }

  @Test
  void aJobViewShowsItsKindAsBefore() {
    var job = new JobView("6a1f2c4e-0f0e-11f1-8000-000000000001", JobKind.RESTORE, "t-1", JobState.COMPLETED,
        Optional.empty(), Instant.EPOCH, Optional.empty(), Optional.empty(), Map.of(), Map.of(), TypeCounts.ZERO,
        GraphTraffic.NONE, Optional.empty(), Optional.empty());
    assertEquals("restore", JSON.valueToTree(job).get("kind").asText());
  }

  @Test
  void aSkippedItemAndAPlanWrittenWithStringsReadBackAndWriteTheSame() throws Exception {
    String item = "{\"objectType\":\"users\",\"objectId\":\"u1\",\"item\":\"memberOf/g1\","
        + "\"reason\":\"permission_refused\",\"message\":\"Graph refused\",\"graphCode\":\"Authorization_RequestDenied\"}";
    for (ObjectMapper mapper : List.of(JSON, CBOR)) {
      byte[] old = mapper.writeValueAsBytes(JSON.readTree(item));
      SkippedItem read = mapper.readValue(old, SkippedItem.class);
      assertEquals(SkipReason.PERMISSION_REFUSED, read.reason());
      assertEquals(JSON.readTree(item), mapper.readTree(mapper.writeValueAsBytes(read)));
    }
    var plan = new RestorePlan("users", "u1", "v1", LiveState.SOFT_DELETED, RestoreAction.UNDELETE, Map.of(),
        List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of(SkippedItem.of("users", "u1", "createdDateTime", SkipReason.READ_ONLY, "Read-only")));
    JsonNode tree = JSON.valueToTree(plan);
    assertEquals("soft_deleted", tree.get("liveState").asText());
    assertEquals("undelete", tree.get("action").asText());
    assertEquals("read_only_property", tree.get("skipped").get(0).get("reason").asText());
    assertEquals(plan, JSON.treeToValue(tree, RestorePlan.class));
  }
}
