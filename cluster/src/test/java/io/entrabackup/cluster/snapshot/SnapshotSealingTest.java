package io.entrabackup.cluster.snapshot;

import static io.entrabackup.cluster.snapshot.GraphExamples.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.crypto.CiphertextRejected;
import io.entrabackup.cluster.crypto.DataKeyTable;
import io.entrabackup.cluster.crypto.EncryptionSettings;
import io.entrabackup.cluster.crypto.TenantKeyring;
import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.ObjectType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.zip.Inflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The snapshot store's directory content at rest: sealed per tenant, bound to its row, and still searchable. */
class SnapshotSealingTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.withNodeSchema("sealing");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  /** Distinctive values of a backed-up directory that must never be found in Cassandra in clear. */
  private static final List<String> SECRETS = List.of("Quentin Zyxwvut", "quentin.zyxwvut@fabrikam-sealed.example",
      "+1 555 0199 4242", "Zyxwvut Treasury Admins", "Q-Zyx-Handbook-Member-Note", "Ærøskøbing Ünïcode");
  private static SnapshotStore store;

  @BeforeAll
  static void start() {
    store = new SnapshotStore(cassandra.session(), cassandra.keyspace(), 16,
        TenantKeyring.get(cassandra.testKit().system()));
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }

  private static ObjectNode user(String id, String name, String upn) {
    ObjectNode user = object("{\"accountEnabled\": true}");
    user.put("id", id).put("displayName", name).put("userPrincipalName", upn).put("mobilePhone", "+1 555 0199 4242");
    return user;
  }

  private static ObjectNode group(String id, String name, int members) {
    ObjectNode group = object("{\"securityEnabled\": true}");
    group.put("id", id).put("displayName", name).put("description", "Q-Zyx-Handbook-Member-Note");
    ArrayNode list = group.putArray("members");
    for (int i = 0; i < members; i++) {
      list.addObject().put("@odata.type", "#microsoft.graph.user").put("id", "m-" + i)
          .put("displayName", "Quentin Zyxwvut");
    }
    return SnapshotMerge.apply(Optional.empty(), group);
  }

  private static List<String> names(ObjectPage page) {
    return page.items().stream().map(ObjectSummary::displayName).toList();
  }

  @Test
  void noDirectoryValueIsStoredInClearInAnySnapshotTable() {
    TenantId tenant = TenantId.random();
    await(store.write(tenant, ObjectType.USERS, "r1", user("u1", "Quentin Zyxwvut",
        "quentin.zyxwvut@fabrikam-sealed.example"), Optional.empty(), NOW));
    await(store.write(tenant, ObjectType.USERS, "r1", user("u2", "Ærøskøbing Ünïcode", "aero@fabrikam.example"),
        Optional.empty(), NOW));
    await(store.write(tenant, ObjectType.GROUPS, "r1", group("g-small", "Zyxwvut Treasury Admins", 5), Optional.empty(),
        NOW));
    await(store.write(tenant, ObjectType.GROUPS, "r1", group("g-large", "Zyxwvut Treasury Admins", 250),
        Optional.empty(), NOW));
    int values = 0;
    for (String table : List.of("snapshot_versions", "snapshot_latest", "snapshot_objects", "snapshot_reference_chunks",
        "snapshot_search")) {
      List<Row> rows = await(cassandra.session().selectAll("SELECT * FROM " + cassandra.keyspace() + "." + table
          + " WHERE tenant_id = ? ALLOW FILTERING", tenant.value()));
      assertFalse(rows.isEmpty(), table);
      for (Row row : rows) {
        for (ColumnDefinition column : row.getColumnDefinitions()) {
          ByteBuffer bytes = row.getBytesUnsafe(column.getName());
          if (bytes != null) {
            values++;
            assertNoSecretIn(table + "." + column.getName().asInternal(), bytes);
          }
        }
      }
    }
    assertTrue(values > 100, "scanned " + values + " values");
    // Every one of them reads back.
    assertEquals("Zyxwvut Treasury Admins", await(store.latest(tenant, ObjectType.GROUPS, "g-large")).orElseThrow()
        .displayName());
    assertEquals(250, await(store.latest(tenant, ObjectType.GROUPS, "g-large")).orElseThrow().state()
        .get("members").size());
  }

  /** The value as stored, as text, as base64 decoded, and raw-inflated from any of its first bytes. */
  private static void assertNoSecretIn(String where, ByteBuffer value) {
    byte[] bytes = new byte[value.remaining()];
    value.duplicate().get(bytes);
    List<String> readings = new ArrayList<>();
    readings.add(new String(bytes, StandardCharsets.UTF_8));
    readings.add(new String(bytes, StandardCharsets.ISO_8859_1));
    for (String text : new String(bytes, StandardCharsets.ISO_8859_1).split("[^A-Za-z0-9+/=]+")) {
      try {
        readings.add(new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException notBase64) {
        // not a base64 run
      }
    }
    for (int offset = 0; offset < Math.min(bytes.length, 80); offset++) {
      readings.add(inflated(bytes, offset));
    }
    for (String reading : readings) {
      String lower = reading.toLowerCase(Locale.ROOT);
      for (String secret : SECRETS) {
        assertFalse(lower.contains(secret.toLowerCase(Locale.ROOT)), where + " holds " + secret + " in clear");
      }
    }
  }

  private static String inflated(byte[] bytes, int offset) {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(bytes, offset, bytes.length - offset);
      byte[] out = new byte[64 * 1024];
      int n = inflater.inflate(out);
      return new String(out, 0, n, StandardCharsets.UTF_8);
    } catch (Exception notDeflate) {
      return "";
    } finally {
      inflater.end();
    }
  }

  @Test
  void aSealedStateCopiedToAnotherObjectsRowDoesNotOpen() {
    TenantId tenant = TenantId.random();
    await(store.write(tenant, ObjectType.USERS, "r1", user("u1", "Quentin Zyxwvut", "q@f.example"), Optional.empty(),
        NOW));
    await(store.write(tenant, ObjectType.USERS, "r1", user("u2", "Other", "o@f.example"), Optional.empty(), NOW));
    String versions = cassandra.keyspace() + ".snapshot_versions";
    Row stolen = await(cassandra.session().selectOne("SELECT state_deflated, state_length, display_name FROM "
        + versions + " WHERE tenant_id = ? AND object_type = 'users' AND object_id = 'u1'", tenant.value())).orElseThrow();
    UUID victim = await(store.latest(tenant, ObjectType.USERS, "u2")).map(v -> UUID.fromString(v.versionId()))
        .orElseThrow();
    await(cassandra.session().executeWrite("UPDATE " + versions + " SET state_deflated = ?, state_length = ?"
            + " WHERE tenant_id = ? AND object_type = 'users' AND object_id = 'u2' AND version_id = ?",
        stolen.getByteBuffer("state_deflated"), stolen.getInt("state_length"), tenant.value(), victim));
    CompletionException refused = assertThrows(CompletionException.class, () -> store.version(tenant, ObjectType.USERS,
        "u2", victim.toString()).toCompletableFuture().join());
    assertInstanceOf(CiphertextRejected.class, refused.getCause());
  }

  @Test
  void searchFindsSealedNamesByShortAndLongPrefixesOfNameOrUpn() {
    TenantId tenant = TenantId.random();
    await(store.write(tenant, ObjectType.USERS, "r1", user("u1", "Ærøskøbing Ünïcode", "aero@fabrikam.example"),
        Optional.empty(), NOW));
    await(store.write(tenant, ObjectType.USERS, "r1", user("u2", "Æri", "zed@fabrikam.example"), Optional.empty(), NOW));
    await(store.write(tenant, ObjectType.USERS, "r1", user("u3", "Jo", "jo@fabrikam.example"), Optional.empty(), NOW));
    await(store.write(tenant, ObjectType.GROUPS, "r1", group("g1", "Aerospace", 0), Optional.empty(), NOW));
    assertEquals(List.of("Ærøskøbing Ünïcode", "Æri"), names(await(store.objects(tenant, ObjectType.USERS,
        Optional.of("ær"), Optional.empty(), 10))));
    assertEquals(List.of("Ærøskøbing Ünïcode"), names(await(store.objects(tenant, ObjectType.USERS,
        Optional.of("ÆRØSKØB"), Optional.empty(), 10))), "longer than the indexed prefix: checked decrypted");
    assertEquals(List.of("Ærøskøbing Ünïcode"), names(await(store.objects(tenant, ObjectType.USERS,
        Optional.of("aero@fab"), Optional.empty(), 10))), "by UPN");
    assertEquals(List.of("Jo"), names(await(store.objects(tenant, ObjectType.USERS, Optional.of("jo"), Optional.empty(),
        10))));
    assertEquals(List.of(), names(await(store.objects(tenant, ObjectType.USERS, Optional.of("jon"), Optional.empty(),
        10))));
    assertEquals(List.of("Aerospace"), names(await(store.objects(tenant, ObjectType.GROUPS, Optional.of("aero"),
        Optional.empty(), 10))), "each type searches its own objects");
  }

  @Test
  void valuesStoredWithEncryptionOffAndOnReadEitherWay() {
    var config = com.typesafe.config.ConfigFactory.parseString("entra-backup.encryption.enabled = off")
        .withFallback(cassandra.config());
    var plainKeys = new TenantKeyring(new DataKeyTable(() -> cassandra.session().underlying(), cassandra.keyspace()),
        EncryptionSettings.create(config), Clock.systemUTC());
    SnapshotStore plain = new SnapshotStore(cassandra.session(), cassandra.keyspace(), 16, plainKeys);
    TenantId tenant = TenantId.random();
    await(plain.write(tenant, ObjectType.USERS, "r1", user("u1", "Plain Person", "plain@f.example"), Optional.empty(),
        NOW));
    ByteBuffer state = await(cassandra.session().selectOne("SELECT state_deflated FROM " + cassandra.keyspace()
        + ".snapshot_versions WHERE tenant_id = ? AND object_type = 'users' AND object_id = 'u1'", tenant.value()))
        .orElseThrow().getByteBuffer("state_deflated");
    assertEquals(0, state.get(state.position()), "marked plaintext");
    ObjectSnapshot read = await(store.latest(tenant, ObjectType.USERS, "u1")).orElseThrow();
    assertEquals("Plain Person", read.displayName());
    ObjectNode changed = read.state().deepCopy().put("jobTitle", "Sealed now");
    assertEquals(WriteOutcome.CHANGED, await(store.write(tenant, ObjectType.USERS, "r2", changed, Optional.of(read),
        NOW.plusSeconds(60))));
    assertEquals("Sealed now", await(plain.latest(tenant, ObjectType.USERS, "u1")).orElseThrow().state()
        .get("jobTitle").asText());
    assertEquals(List.of("Plain Person"), names(await(plain.objects(tenant, ObjectType.USERS, Optional.of("plain p"),
        Optional.empty(), 10))));
  }
}
