package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Adding a tenant and authorizing it through Microsoft's admin consent, end to end: our API, the
 * simulator's identity platform and Graph over HTTPS (MSAL4J and the Graph SDK inside the node), and
 * the real Cassandra.
 */
class TenantAuthorizationIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(2).users(20).groups(4).seed(7));

  private static Simulator simulator;
  private static TestNode node;
  private static AdminBrowser browser;
  private static TenantInfo contoso;
  private static String keyA;
  private static String keyB;

  @BeforeAll
  static void createTwoAccounts() {
    simulator = deployment.simulator();
    node = deployment.node();
    contoso = simulator.tenants().get(0);
    browser = new AdminBrowser(simulator);
    keyA = node.createAccount("msp-a");
    keyB = node.createAccount("msp-b");
  }

  private static String register(String key, String entraTenant) {
    String body = entraTenant == null
        ? "{\"displayName\":\"Contoso\"}"
        : "{\"displayName\":\"Contoso\",\"entraTenant\":\"" + entraTenant + "\"}";
    return node.ok(node.send("POST", "/api/v1/tenants", body, key), 201).get("id").asText();
  }


  @Test
  void anAdminsConsentAuthorizesTheTenantAndSchedulesAnImmediateBackup() throws Exception {
    String tenantId = register(keyA, contoso.domain());
    String url = node.consentUrl(keyA, tenantId, true);
    // "Sign in with Microsoft" starts with the admin's OpenID Connect sign-in at the registered directory.
    assertTrue(url.startsWith(simulator.baseUrl() + "/" + contoso.domain() + "/oauth2/v2.0/authorize?"), url);
    assertTrue(url.contains("client_id=" + TestNode.CLIENT_ID), url);
    assertTrue(url.contains("response_type=code") && url.contains("scope=openid+profile"), url);
    assertTrue(url.contains("&nonce=") && url.contains("&code_challenge_method=S256"), url);

    String callback = browser.decides(url, "accept");
    assertTrue(callback.startsWith("http://127.0.0.1:" + node.port + "/auth/callback?"), callback);
    var landed = browser.follow(callback);
    assertEquals(303, landed.statusCode(), landed.body());
    String portal = landed.headers().firstValue("Location").orElseThrow();
    assertEquals("/portal/tenants/" + tenantId + "?consent=authorized", portal);
    assertTrue(browser.follow("http://127.0.0.1:" + node.port + portal).body().contains("Tenant authorized"));

    JsonNode tenant = node.ok(node.send("GET", "/api/v1/tenants/" + tenantId, null, keyA), 200);
    assertEquals("authorized", tenant.get("status").asText());
    assertEquals(contoso.id(), tenant.get("entraTenantId").asText());
    assertEquals(contoso.displayName(), tenant.get("organizationName").asText());
    assertTrue(tenant.get("verifiedDomains").toString().contains(contoso.domain()), tenant.toString());
    assertEquals("P1D", tenant.get("backupFrequency").asText());
    Instant nextBackup = Instant.parse(tenant.get("nextBackupAt").asText());
    assertTrue(Duration.between(nextBackup, Instant.now()).abs().toMinutes() < 5, "immediate backup is due now");
    assertEquals("[\"backup_now\",\"download\",\"show_detail\"]", tenant.get("actions").toString());

    node.await(Duration.ofSeconds(30), () -> {
      JsonNode listed = listed(keyA, tenantId);
      assertEquals("authorized", listed.get("status").asText());
      assertEquals(contoso.id(), listed.get("entraTenantId").asText());
      assertTrue(listed.has("nextBackupAt"));
    });

    // The same callback again: the state was used up; nothing changes.
    var replay = browser.follow(callback);
    assertEquals(400, replay.statusCode());
    assertTrue(replay.body().contains("already used"), replay.body());
  }

  @Test
  void aRefusalIsShownWithMicrosoftsDescription() throws Exception {
    String tenantId = register(keyA, null);

    String callback = browser.decides(node.consentUrl(keyA, tenantId, false), "refuse");
    assertTrue(callback.contains("error=access_denied"), callback);
    var landed = browser.follow(callback);
    assertEquals("/portal/tenants/" + tenantId + "?consent=refused", landed.headers().firstValue("Location").orElse(""));

    JsonNode tenant = node.ok(node.send("GET", "/api/v1/tenants/" + tenantId, null, keyA), 200);
    assertEquals("authorization_refused", tenant.get("status").asText());
    assertTrue(tenant.get("statusReason").asText().startsWith("access_denied"), tenant.toString());
    assertEquals("[\"activate\",\"show_detail\"]", tenant.get("actions").toString());
  }

  @Test
  void aForgedOrTamperedStateChangesNothing() throws Exception {
    String tenantId = register(keyA, null);
    String callback = browser.decides(node.consentUrl(keyA, tenantId, true), "accept");

    String forged = callback.replaceFirst("state=[^&]+", "state=v1.forged");
    var refused = browser.follow(forged);
    assertEquals(400, refused.statusCode());
    assertTrue(refused.body().contains("not one of ours"), refused.body());
    // A state signed for one tenant cannot be pointed at another: the signature covers the tenant.
    String tampered = callback.replaceFirst("state=([^.&]+)", "state=$1x");
    assertEquals(400, browser.follow(tampered).statusCode());

    JsonNode tenant = node.ok(node.send("GET", "/api/v1/tenants/" + tenantId, null, keyA), 200);
    assertEquals("pending_authorization", tenant.get("status").asText());
  }

  @Test
  void consentFromAnotherDirectoryThanRegisteredIsNotAccepted() throws Exception {
    TenantInfo fabrikam = simulator.tenants().get(1);
    String tenantId = register(keyA, fabrikam.domain());
    String url = node.consentUrl(keyA, tenantId, true)
        .replace("/" + fabrikam.domain() + "/", "/" + contoso.domain() + "/");

    var landed = browser.follow(browser.decides(url, "accept"));

    assertEquals(409, landed.statusCode(), landed.body());
    assertTrue(landed.body().contains("registered as " + fabrikam.domain()), landed.body());
    assertEquals("pending_authorization",
        node.ok(node.send("GET", "/api/v1/tenants/" + tenantId, null, keyA), 200).get("status").asText());
  }

  @Test
  void revokedConsentIsDetectedAndShownAsLost() throws Exception {
    TenantInfo fabrikam = simulator.tenants().get(1);
    String tenantId = register(keyA, fabrikam.id());
    browser.follow(browser.decides(node.consentUrl(keyA, tenantId, false), "accept"));
    assertEquals("authorized", node.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/authorization-check", "",
        keyA), 200).get("status").asText());

    // As with Microsoft, a token already issued outlives the consent until it expires.
    simulator.admin().revokeConsent(fabrikam.id(), TestNode.CLIENT_ID);
    simulator.admin().advanceClock(Duration.ofHours(2));
    JsonNode checked;
    try {
      checked = node.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/authorization-check", "", keyA), 200);
    } finally {
      // Back to the node's time: a later test's sign-in must not bring ID tokens from the future.
      simulator.admin().advanceClock(Duration.ofHours(-2));
    }

    assertEquals("authorization_lost", checked.get("status").asText(), checked.toString());
    assertFalse(checked.get("statusReason").asText().isBlank());
    assertFalse(checked.get("statusReason").asText().contains(TestNode.CLIENT_SECRET));
    node.await(Duration.ofSeconds(30), () ->
        assertEquals("authorization_lost", listed(keyA, tenantId).get("status").asText()));
  }

  @Test
  void anotherAccountGetsNotFoundOnEveryTenantRoute() {
    String tenantId = register(keyA, null);

    for (var route : List.of(
        new String[] {"GET", "/api/v1/tenants/" + tenantId, null},
        new String[] {"POST", "/api/v1/tenants/" + tenantId + "/activation", "{\"immediateBackup\":true}"},
        new String[] {"POST", "/api/v1/tenants/" + tenantId + "/authorization-check", ""})) {
      var response = node.send(route[0], route[1], route[2], keyB);
      assertEquals(404, response.statusCode(), route[1] + " " + response.body());
      assertFalse(response.body().contains("Contoso"), response.body());
    }
    JsonNode list = node.ok(node.send("GET", "/api/v1/tenants", null, keyB), 200);
    assertFalse(list.toString().contains(tenantId));
  }

  @Test
  void apiKeysAreStoredOnlyAsHashesAndARevokedKeyStopsWorking() throws Exception {
    JsonNode created = node.ok(node.send("POST", "/api/v1/accounts/msp-a/keys", "{\"name\":\"ci pipeline\"}", keyA), 201);
    String key = created.get("key").asText();
    String keyId = created.get("keyId").asText();
    assertEquals(200, node.send("GET", "/api/v1/tenants", null, key).statusCode());
    JsonNode keys = node.ok(node.send("GET", "/api/v1/accounts/msp-a/keys", null, keyA), 200);
    assertTrue(keys.toString().contains(keyId) && !keys.toString().contains(key), keys.toString());

    for (String secret : List.of(key, keyA, keyB, TestNode.BOOTSTRAP_KEY)) {
      assertTrue(everyValueInTheKeyspace().stream().noneMatch(value -> value.contains(secret)),
          "a raw API key was found in Cassandra");
    }

    assertEquals(204, node.send("DELETE", "/api/v1/accounts/msp-a/keys/" + keyId, null, keyA).statusCode());
    assertEquals(401, node.send("GET", "/api/v1/tenants", null, key).statusCode());
    assertEquals(404, node.send("DELETE", "/api/v1/accounts/msp-a/keys/" + keyId, null, keyB).statusCode());
  }

  private static JsonNode listed(String key, String tenantId) {
    JsonNode list = node.ok(node.send("GET", "/api/v1/tenants?limit=500", null, key), 200);
    for (JsonNode tenant : list.get("tenants")) {
      if (tenant.get("id").asText().equals(tenantId)) {
        return tenant;
      }
    }
    throw new AssertionError("tenant " + tenantId + " not listed: " + list);
  }

  /** Every text and blob value of every table of the test keyspace, blobs read as UTF-8. */
  private static List<String> everyValueInTheKeyspace() {
    List<String> values = new ArrayList<>();
    String keyspace = deployment.cassandra().keyspace();
    try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", 9042))
        .withLocalDatacenter("datacenter1").build()) {
      for (Row table : session.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?",
          keyspace)) {
        for (Row row : session.execute("SELECT * FROM " + keyspace + "." + table.getString(0))) {
          for (int i = 0; i < row.size(); i++) {
            ColumnDefinition column = row.getColumnDefinitions().get(i);
            if (column.getType().equals(DataTypes.BLOB)) {
              ByteBuffer blob = row.getByteBuffer(i);
              if (blob != null) {
                values.add(StandardCharsets.UTF_8.decode(blob).toString());
              }
            } else {
              values.add(String.valueOf(row.getObject(i)));
            }
          }
        }
      }
    }
    return values;
  }
}
