package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.cluster.audit.AuditVerifyCommand;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit trail end to end: an MSP account's journey (keys, a tenant registered and authorized through the consent
 * page, Backup Now, a download made and fetched by its signed link, a restore planned and run) is in its trail as
 * {@code GET /api/v1/audit} lists it, no other account sees any of it, and an altered or removed record is found by the
 * verify command and the verification route. Then what no request of the account shows: four eyes switched on, a
 * second key approving and rejecting downloads and one expiring, a crafted consent callback with the account's signed
 * state, a consent declined and a consent lost, each with its fields.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditTrailIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(2).users(12).groups(3).seed(31));

  private static final Duration SETTLE = Duration.ofSeconds(60);

  private static TestNode node;
  private static String account;
  private static String key;
  private static String tenantId;
  private static String backupJob;
  private static String downloadJob;
  private static String restoreJob;

  @BeforeAll
  static void anAccountGoesThroughAJourney() throws Exception {
    node = deployment.node();
    Simulator simulator = deployment.simulator();
    account = "audited-" + Long.toHexString(System.nanoTime());
    key = node.createAccount(account);

    JsonNode second =
        node.ok(node.send("POST", "/api/v1/accounts/" + account + "/keys", "{\"name\":\"ci\"}", key), 201);
    node.ok(node.send("DELETE", "/api/v1/accounts/" + account + "/keys/" + second.get("keyId").asText(), null, key),
        204);

    TenantInfo contoso = simulator.tenants().get(0);
    tenantId = node.addAuthorizedTenant(simulator, contoso, key, false);
    var backups = new BackedUpDirectory(node, simulator, contoso.id(), tenantId, key);
    JsonNode backup = backups.backUpNow(SETTLE);
    assertEquals("completed", backup.get("state").asText(), backup.toString());
    backupJob = backup.get("id").asText();

    JsonNode download = node.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/downloads",
        "{\"scope\":\"tenant\"}", key), 202);
    downloadJob = download.get("id").asText();
    JsonNode[] ready = new JsonNode[1];
    node.await(SETTLE, () -> {
      ready[0] = node.get("/api/v1/jobs/" + downloadJob, key);
      assertTrue(ready[0].path("download").has("link"), ready[0].toString());
    });
    var fetched = node.send("GET", ready[0].get("download").get("link").asText(), null, null);
    assertEquals(200, fetched.statusCode());

    String user = backups.list("users").get(0).get("id").asText();
    String version = backups.latestVersionId("users", user);
    var restores = new TenantRestores(node, tenantId, key);
    restores.plan("users", user, version);
    JsonNode restore = restores.restore("users", user, version);
    restoreJob = restore.get("id").asText();
  }

  @Test
  @Order(1)
  void everyActionOfTheJourneyIsInTheAccountsTrail() {
    node.await(SETTLE, () -> {
      List<JsonNode> trail = all("/api/v1/audit?limit=3", key);
      Set<String> actions = new HashSet<>();
      trail.forEach(record -> actions.add(record.get("action").asText()));
      assertTrue(actions.containsAll(List.of("account.created", "key.created", "key.revoked",
          "key.used-from-new-address", "tenant.registered", "tenant.activation-requested",
          "tenant.consent-completed", "backup.requested", "download.created", "download.fetched",
          "restore.planned", "restore.requested", "restore.run")), actions.toString());
    });
    List<JsonNode> trail = all("/api/v1/audit", key);
    for (int i = 0; i < trail.size(); i++) {
      JsonNode record = trail.get(i);
      assertEquals(account, record.get("account").asText());
      assertEquals(trail.size() - i, record.get("sequence").asLong(), "newest first, without gaps");
      if (i + 1 < trail.size()) {
        assertEquals(trail.get(i + 1).get("hash").asText(), record.get("previousHash").asText());
      }
    }
    JsonNode backup = only(trail, "backup.requested");
    assertEquals(tenantId, backup.get("target").get("tenant").asText());
    assertEquals(backupJob, backup.get("target").get("job").asText());
    assertEquals("success", backup.get("outcome").asText());
    assertEquals(202, backup.get("status").asInt());
    assertEquals("127.0.0.1", backup.get("source").asText());
    assertTrue(backup.get("userAgent").asText().length() > 0, backup.toString());
    assertTrue(backup.get("keyId").asText().length() > 0, backup.toString());

    JsonNode fetched = only(trail, "download.fetched");
    assertEquals(downloadJob, fetched.get("target").get("job").asText());
    assertFalse(fetched.has("keyId"), "a signed link is fetched without a key");
    assertEquals(restoreJob, only(trail, "restore.run").get("target").get("job").asText());
    assertEquals(restoreJob, only(trail, "restore.requested").get("target").get("job").asText());
    assertEquals(tenantId, only(trail, "tenant.consent-completed").get("target").get("tenant").asText());
    assertEquals(TestNode.BOOTSTRAP_KEY.split("_")[1], only(trail, "account.created").get("keyId").asText());
  }

  @Test
  @Order(2)
  void theTrailFiltersByActionTenantAndTimeAndRefusesWhatItCannotRead() {
    List<JsonNode> backups = all("/api/v1/audit?action=backup.requested", key);
    assertEquals(1, backups.size(), backups.toString());
    List<JsonNode> ofTenant = all("/api/v1/audit?tenant=" + tenantId, key);
    assertTrue(ofTenant.size() >= 6 && ofTenant.stream().allMatch(r -> tenantId.equals(
        r.path("target").path("tenant").asText())), ofTenant.toString());
    assertEquals(0, all("/api/v1/audit?to=2001-01-01", key).size());
    assertEquals(all("/api/v1/audit", key).size(), all("/api/v1/audit?from=2001-01-01T00:00:00Z", key).size());

    for (String bad : List.of("from=yesterday", "to=2026-13-45", "action=key.stolen", "tenant=..%2F..",
        "cursor=bm90LWEtY3Vyc29y", "limit=0", "from=2026-12-06&to=2026-12-01")) {
      var answer = node.send("GET", "/api/v1/audit?" + bad, null, key);
      assertEquals(400, answer.statusCode(), bad + ": " + answer.body());
      assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(""), bad);
    }
    String otherCursor = node.get("/api/v1/audit?limit=1", TestNode.BOOTSTRAP_KEY).get("next").asText();
    assertEquals(400, node.send("GET", "/api/v1/audit?cursor=" + otherCursor, null, key).statusCode(),
        "a cursor of another account's trail is refused");
  }

  @Test
  @Order(3)
  void anotherAccountSeesNoneOfIt() {
    String otherKey = node.createAccount("other-" + Long.toHexString(System.nanoTime()));
    node.get("/api/v1/tenants", otherKey);
    // Its key's first use from this address is recorded beside the request, a moment later.
    node.await(SETTLE, () -> assertTrue(all("/api/v1/audit", otherKey).size() >= 2));
    List<JsonNode> theirs = all("/api/v1/audit", otherKey);
    assertTrue(theirs.stream().noneMatch(r -> r.toString().contains(tenantId) || r.toString().contains(account)),
        theirs.toString());
    assertTrue(theirs.stream().allMatch(r -> !r.get("account").asText().equals(account)), theirs.toString());
    assertEquals(403, node.send("GET", "/api/v1/audit?trail=install", null, otherKey).statusCode());
  }

  @Test
  @Order(4)
  void aBurstOfFailedAuthenticationsIsRecordedOnceInTheInstallsTrail() {
    for (int i = 0; i < 25; i++) {
      assertEquals(401, node.send("GET", "/api/v1/tenants", null, "eb_wrong_" + i).statusCode());
    }
    List<JsonNode> bursts = all("/api/v1/audit?trail=install&action=auth.failed-burst", TestNode.BOOTSTRAP_KEY);
    assertEquals(1, bursts.size(), bursts.toString());
    assertEquals("127.0.0.1", bursts.get(0).get("source").asText());
    assertEquals(401, bursts.get(0).get("status").asInt());
  }

  @Test
  @Order(5)
  void theVerifyCommandAndRouteFindAnAlteredAndARemovedRecord() {
    JsonNode intact = node.get("/api/v1/audit/verification", key);
    assertFalse(intact.has("firstBreak"), intact.toString());
    assertTrue(intact.get("intact").asBoolean(), intact.toString());
    assertEquals(0, verify("--account", account).status());

    String keyspace = deployment.cassandra().keyspace();
    try (CqlSession cql = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", 9042))
        .withLocalDatacenter("datacenter1").build()) {
      cql.execute(SimpleStatement.newInstance("UPDATE " + keyspace + ".audit_records SET source = '198.51.100.1'"
          + " WHERE account_id = ? AND bucket = 0 AND sequence = 4", account));
      Verified altered = verify("--account", account);
      assertEquals(1, altered.status(), altered.out());
      assertTrue(altered.out().contains("BROKEN at record 4") && altered.out().contains("altered"), altered.out());
      JsonNode broken = node.get("/api/v1/audit/verification", key);
      assertEquals(4, broken.get("firstBreak").get("sequence").asLong(), broken.toString());
      assertFalse(broken.get("intact").asBoolean(), broken.toString());

      cql.execute(SimpleStatement.newInstance("DELETE FROM " + keyspace + ".audit_records"
          + " WHERE account_id = ? AND bucket = 0 AND sequence = 2", account));
      Verified removed = verify();
      assertEquals(1, removed.status(), removed.out());
      assertTrue(removed.out().contains("account " + account + ": BROKEN at record 2")
          && removed.out().contains("missing"), removed.out());
    }
  }

  private record Verified(int status, String out) {}

  private static Verified verify(String... args) {
    var out = new ByteArrayOutputStream();
    int status = AuditVerifyCommand.run(deployment.cassandra().nodeConfig(), List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    return new Verified(status, out.toString(StandardCharsets.UTF_8));
  }

  /** Every record of a filtered list, following its cursor. */
  @Test
  @Order(6)
  void settingsFourEyesDecisionsAndConsentOutcomesAreInTheTrailWithTheirFields() throws Exception {
    String requester = makeKey("requester");
    String approver = makeKey("approver");
    JsonNode settings = node.ok(node.send("PUT", "/api/v1/accounts/" + account + "/settings",
        "{\"fourEyes\":{\"tenantDownloads\":true,\"approvalWindow\":\"PT30S\"}}", key), 200);
    assertTrue(settings.get("fourEyes").get("tenantDownloads").asBoolean(), settings.toString());
    String downloads = "/api/v1/tenants/" + tenantId + "/downloads";
    String expiring = node.ok(node.send("POST", downloads, "{\"scope\":\"tenant\"}", requester), 202).get("id").asText();
    String approved = node.ok(node.send("POST", downloads, "{\"scope\":\"tenant\"}", requester), 202).get("id").asText();
    String rejected = node.ok(node.send("POST", downloads, "{\"scope\":\"tenant\"}", requester), 202).get("id").asText();
    node.ok(node.send("POST", "/api/v1/jobs/" + approved + "/approve", null, approver), 200);
    node.ok(node.send("POST", "/api/v1/jobs/" + rejected + "/reject", null, approver), 200);

    Simulator simulator = deployment.simulator();
    TenantInfo fabrikam = simulator.tenants().get(1);
    String declined = node.ok(node.send("POST", "/api/v1/tenants",
        "{\"displayName\":\"Fabrikam\",\"entraTenant\":\"" + fabrikam.id() + "\"}", key), 201).get("id").asText();
    var browser = new AdminBrowser(simulator);
    String callback = browser.decides(node.consentUrl(key, declined, false), "accept");
    TenantInfo contoso = simulator.tenants().get(0);
    // The account's own signed state, with another directory in the consent answer (CraftedCallbackIT's attack).
    var crafted = browser.follow(callback.replaceFirst("tenant=" + fabrikam.id(), "tenant=" + contoso.id()));
    assertTrue(crafted.statusCode() >= 400, crafted.statusCode() + " " + crafted.body());
    browser.follow(browser.decides(node.consentUrl(key, declined, false), "refuse"));

    simulator.admin().revokeConsent(contoso.id(), TestNode.CLIENT_ID);
    simulator.admin().advanceClock(Duration.ofHours(2));
    try {
      assertEquals("authorization_lost", node.ok(node.send("POST", "/api/v1/tenants/" + tenantId
          + "/authorization-check", "", key), 200).get("status").asText());
    } finally {
      simulator.admin().advanceClock(Duration.ofHours(-2));
    }

    node.await(Duration.ofSeconds(90), () -> {
      Set<String> actions = new HashSet<>();
      all("/api/v1/audit", key).forEach(record -> actions.add(record.get("action").asText()));
      assertTrue(actions.containsAll(List.of("settings.changed", "job.approved", "job.rejected", "job.expired",
          "tenant.consent-callback-refused", "tenant.consent-refused", "tenant.consent-lost")), actions.toString());
    });
    List<JsonNode> trail = all("/api/v1/audit", key);
    JsonNode changed = only(trail, "settings.changed");
    assertRequest(changed, "success", 200);
    assertEquals(account, changed.get("target").get("account").asText(), changed.toString());
    for (String[] decision : new String[][] {{"job.approved", approved}, {"job.rejected", rejected}}) {
      JsonNode record = only(trail, decision[0]);
      assertRequest(record, "success", 200);
      assertEquals(decision[1], record.get("target").get("job").asText(), record.toString());
    }
    JsonNode expired = only(trail, "job.expired");
    assertEquals(expiring, expired.get("target").get("job").asText(), expired.toString());
    assertEquals(tenantId, expired.get("target").get("tenant").asText(), expired.toString());
    assertEquals("refused", expired.get("outcome").asText(), expired.toString());

    JsonNode refusedCallback = only(trail, "tenant.consent-callback-refused");
    assertEquals(declined, refusedCallback.get("target").get("tenant").asText(), refusedCallback.toString());
    assertEquals("refused", refusedCallback.get("outcome").asText(), refusedCallback.toString());
    assertEquals("127.0.0.1", refusedCallback.get("source").asText(), refusedCallback.toString());
    assertTrue(refusedCallback.get("userAgent").asText().length() > 0, refusedCallback.toString());
    assertFalse(refusedCallback.has("keyId"), "a browser carries no key: " + refusedCallback);
    JsonNode refused = only(trail, "tenant.consent-refused");
    assertEquals(declined, refused.get("target").get("tenant").asText(), refused.toString());
    assertEquals("refused", refused.get("outcome").asText(), refused.toString());
    JsonNode lost = only(trail, "tenant.consent-lost");
    assertEquals(tenantId, lost.get("target").get("tenant").asText(), lost.toString());
    assertEquals("failed", lost.get("outcome").asText(), lost.toString());
    for (JsonNode record : List.of(changed, expired, refusedCallback, refused, lost)) {
      assertEquals(account, record.get("account").asText(), record.toString());
      assertTrue(java.time.Instant.parse(record.get("at").asText()).isAfter(java.time.Instant.now().minusSeconds(600)),
          record.toString());
    }
  }

  private static String makeKey(String name) {
    return node.ok(node.send("POST", "/api/v1/accounts/" + account + "/keys",
        "{\"name\":\"" + name + "\",\"scopes\":[\"read\",\"operate\"]}", key), 201).get("key").asText();
  }

  /** A record of an API request: its key, address, user agent, outcome and status are all there. */
  private static void assertRequest(JsonNode record, String outcome, int status) {
    assertTrue(record.get("keyId").asText().length() > 0, record.toString());
    assertEquals("127.0.0.1", record.get("source").asText(), record.toString());
    assertTrue(record.get("userAgent").asText().length() > 0, record.toString());
    assertEquals(outcome, record.get("outcome").asText(), record.toString());
    assertEquals(status, record.get("status").asInt(), record.toString());
  }

  private static List<JsonNode> all(String path, String key) {
    List<JsonNode> records = new ArrayList<>();
    String next = null;
    do {
      String page = next == null ? path
          : path + (path.contains("?") ? "&" : "?") + "cursor=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
      JsonNode answer = node.get(page, key);
      answer.get("items").forEach(records::add);
      next = answer.hasNonNull("next") ? answer.get("next").asText() : null;
    } while (next != null);
    return records;
  }

  private static JsonNode only(List<JsonNode> trail, String action) {
    List<JsonNode> found = trail.stream().filter(r -> r.get("action").asText().equals(action)).toList();
    assertEquals(1, found.size(), action + " in " + trail);
    return found.get(0);
  }
}
