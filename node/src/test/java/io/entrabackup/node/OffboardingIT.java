package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Offboarding end to end (cluster/OFFBOARDING.md): a tenant backed up and downloaded is deleted with a short grace
 * period, brought back with Undo, deleted again, and purged; then every table of the keyspace is scanned, every
 * column of every row (blobs as bytes), for the tenant's id, its jobs' ids and one of its objects' ids: only what
 * stays by design may name them, and none of it can be read.
 */
class OffboardingIT {

  private static final Duration GRACE = Duration.ofSeconds(10);

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(20).groups(4).seed(41))
          .nodeSettings(String.join("\n",
              "entra-backup.offboarding.grace-period = " + GRACE.toSeconds() + "s",
              "entra-backup.offboarding.retry-delay = 1s",
              "entra-backup.download.chunk-size = 4k"))
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;
  private static final HttpClient http = HttpClient.newHttpClient();

  /**
   * What may still name the tenant after the purge, by design, and why (each checked below): the audit trail's
   * records of what was done to it (who deleted it), the key table's destroyed mark (no key material), and the
   * journal's tombstone with Cassandra persistence's own bookkeeping of its persistence id.
   */
  private static final List<String> KEPT_BY_DESIGN = List.of("audit_records", "tenant_data_keys", "messages",
      "all_persistence_ids", "metadata", "tag_write_progress", "tag_scanning");

  @Test
  void aDeletedTenantCanBeBroughtBackWithinItsGracePeriodAndAfterItNothingOfItRemainsReadable() throws Exception {
    TestNode node = deployment.node();
    String tenant = deployment.tenantId();
    String path = "/api/v1/tenants/" + tenant;
    JsonNode backup = deployment.backups().backUpNow(Duration.ofSeconds(60));
    assertEquals("completed", backup.get("state").asText(), backup.toString());
    String userId = deployment.backups().list("users").get(0).get("id").asText();
    JsonNode download = startDownload(node, tenant);
    String link = download.get("download").get("link").asText();
    assertEquals(200, fetch(node, link).statusCode(), "the download serves before the deletion");

    JsonNode scheduled = node.ok(node.send("DELETE", path, null, KEY), 202);
    Instant deleteAt = Instant.parse(scheduled.get("deletionScheduledFor").asText());
    assertTrue(deleteAt.isAfter(Instant.now()), scheduled.toString());
    var refused = node.send("POST", path + "/backups", "", KEY);
    assertEquals(409, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("scheduled for deletion"), refused.body());
    JsonNode cancelled = node.ok(node.send("POST", path + "/deletion/cancel", "", KEY), 200);
    assertFalse(cancelled.has("deletionScheduledFor") && !cancelled.get("deletionScheduledFor").isNull(),
        cancelled.toString());

    node.ok(node.send("DELETE", path, null, KEY), 202);
    node.await(GRACE.dividedBy(2), () -> {
      JsonNode row = node.get("/api/v1/tenants", KEY).get("items").get(0);
      assertTrue(row.hasNonNull("deletionScheduledFor"), "the dashboard shows the deletion: " + row);
    });
    node.await(GRACE.plusSeconds(60), () -> assertEquals(404, node.send("GET", path, null, KEY).statusCode()));

    List<String> needles = List.of(tenant, backup.get("id").asText(), download.get("id").asText(), userId);
    node.await(Duration.ofSeconds(60), () -> assertOnlyKeptByDesignNames(needles, tenant));
    assertEquals(404, node.send("GET", path + "/objects/users", null, KEY).statusCode());
    assertEquals(404, node.send("GET", path + "/objects/users/" + userId + "/versions", null, KEY).statusCode());
    assertNotEquals(200, fetch(node, link).statusCode(), "the download link no longer serves");
    assertEquals(404, node.send("POST", path + "/deletion/cancel", "", KEY).statusCode(), "too late to undo");
  }

  @Test
  void deletingAnAccountSchedulesTheDeletionOfEachOfItsTenantsAndIsTheInstallAdministratorsAlone() {
    TestNode node = deployment.node();
    String key = node.createAccount("leaving-msp");
    String first = node.ok(node.send("POST", "/api/v1/tenants", "{\"displayName\":\"Leaving One\"}", key), 201)
        .get("id").asText();
    String second = node.ok(node.send("POST", "/api/v1/tenants", "{\"displayName\":\"Leaving Two\"}", key), 201)
        .get("id").asText();

    assertEquals(403, node.send("DELETE", "/api/v1/accounts/leaving-msp", null, key).statusCode(),
        "the account's own admin key may not");
    JsonNode deleted = node.ok(node.send("DELETE", "/api/v1/accounts/leaving-msp", null, KEY), 202);

    List<String> scheduled = new ArrayList<>();
    deleted.get("tenants").forEach(tenant -> {
      assertTrue(tenant.hasNonNull("deletionScheduledFor"), tenant.toString());
      scheduled.add(tenant.get("id").asText());
    });
    assertEquals(List.of(first, second).stream().sorted().toList(), scheduled.stream().sorted().toList());
    assertEquals(404, node.send("DELETE", "/api/v1/accounts/no-such-msp", null, KEY).statusCode());
    node.await(GRACE.plusSeconds(60), () -> {
      assertEquals(404, node.send("GET", "/api/v1/tenants/" + first, null, key).statusCode());
      assertEquals(404, node.send("GET", "/api/v1/tenants/" + second, null, key).statusCode());
    });
  }

  /** Every row of every table that names one of {@code needles} is in a table kept by design, and unreadable. */
  private static void assertOnlyKeptByDesignNames(List<String> needles, String tenant) {
    String keyspace = deployment.cassandra().keyspace();
    List<String> found = new ArrayList<>();
    try (CqlSession cql = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", 9042))
        .withLocalDatacenter("datacenter1").build()) {
      List<String> tables = cql.execute(SimpleStatement.newInstance(
              "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace)).all().stream()
          .map(row -> row.getString("table_name")).toList();
      assertTrue(tables.contains("snapshot_versions") && tables.contains("messages"), tables.toString());
      for (String table : tables) {
        for (Row row : cql.execute(SimpleStatement.newInstance("SELECT * FROM " + keyspace + "." + table))) {
          String text = render(row);
          needles.stream().filter(needle -> text.contains(needle.toLowerCase(Locale.ROOT))).findFirst()
              .ifPresent(needle -> {
                if (!KEPT_BY_DESIGN.contains(table)) {
                  found.add(table + " names " + needle + ": " + text);
                } else {
                  unreadable(table, row, tenant).ifPresent(found::add);
                }
              });
        }
      }
    }
    assertTrue(found.isEmpty(), String.join("\n", found));
  }

  /** Why a row kept by design would be readable after all, if it is. */
  private static java.util.Optional<String> unreadable(String table, Row row, String tenant) {
    String text = render(row);
    switch (table) {
      case "tenant_data_keys":
        return row.isNull("destroyed_at") || !row.isNull("wrapped_key")
            ? java.util.Optional.of("a data key of the tenant is not destroyed: " + text)
            : java.util.Optional.empty();
      case "messages":
        if (text.startsWith("persistence_id=/sharding/")) {
          // Cluster sharding's remembered entities: which entity ids a shard starts again, nothing else.
          return java.util.Optional.empty();
        }
        // The tombstone alone: its event names no account, no directory, nothing but the id and a time.
        return text.contains("tenantpurged") && !text.contains("tenantregistered")
            ? java.util.Optional.empty()
            : java.util.Optional.of("an event of the tenant other than its tombstone: " + text);
      case "audit_records":
        // Who did what to the tenant, kept for the account: no directory content.
        return text.contains(deployment.tenant().displayName().toLowerCase(Locale.ROOT))
            ? java.util.Optional.of("the audit trail holds directory content: " + text)
            : java.util.Optional.empty();
      default:
        // The journal's bookkeeping of persistence ids (which exist, up to which number they were deleted or tagged):
        // ids and numbers, no payload column.
        return java.util.Optional.empty();
    }
  }

  /** Every column of the row as text, lower case; a blob as its bytes (CBOR and JSON carry ids as text). */
  private static String render(Row row) {
    StringBuilder text = new StringBuilder();
    for (ColumnDefinition column : row.getColumnDefinitions()) {
      Object value = row.getObject(column.getName());
      if (value instanceof ByteBuffer bytes) {
        byte[] raw = new byte[bytes.remaining()];
        bytes.duplicate().get(raw);
        text.append(column.getName().asInternal()).append('=').append(new String(raw, StandardCharsets.ISO_8859_1));
      } else {
        text.append(column.getName().asInternal()).append('=').append(value);
      }
      text.append(' ');
    }
    return text.toString().toLowerCase(Locale.ROOT);
  }

  /** A tenant download, waited for until System Status shows its link. */
  private static JsonNode startDownload(TestNode node, String tenant) {
    JsonNode accepted = node.ok(node.send("POST", "/api/v1/tenants/" + tenant + "/downloads",
        "{\"scope\":\"tenant\"}", KEY), 202);
    String jobId = accepted.get("id").asText();
    JsonNode[] job = new JsonNode[1];
    node.await(Duration.ofSeconds(60), () -> {
      job[0] = node.get("/api/v1/jobs/" + jobId, KEY);
      assertTrue(job[0].path("download").has("link"), job[0].toString());
    });
    return job[0];
  }

  private static HttpResponse<byte[]> fetch(TestNode node, String link) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + link)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
