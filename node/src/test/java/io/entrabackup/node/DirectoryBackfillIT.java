package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tenants authorized before directory bindings existed, end to end: their rows are made as that release left them
 * (authorized, no binding; the bindings written by today's consent are deleted), and a node start gives a lone
 * tenant its binding, and stops two tenants of one directory (the old crafted-callback attack's result) until one of
 * them consents again through the sign-in, which then holds the directory for good.
 */
class DirectoryBackfillIT {

  private static final Duration BACKFILL = Duration.ofSeconds(60);

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(2).users(10).groups(2).seed(23))
          // A loaded CI machine starts a tenant entity slowly; this test is about the backfill, not the timeout.
          .nodeSettings("entra-backup.tenant.ask-timeout = 30s");

  @Test
  void aNodeStartBindsALoneLegacyTenantAndStopsTwoTenantsOfOneDirectoryUntilOneConsentsAgain() throws Exception {
    Simulator simulator = deployment.simulator();
    TenantInfo contoso = simulator.tenants().get(0);
    TenantInfo fabrikam = simulator.tenants().get(1);
    String keyA = deployment.node().createAccount("msp-a");
    String keyB = deployment.node().createAccount("msp-b");
    // The victim's tenant, then the attacker's for the same directory, each authorized with no binding left behind.
    String victim = authorizedWithoutBinding(keyA, "Contoso of A", contoso);
    String attacker = authorizedWithoutBinding(keyB, "Contoso of B", contoso);
    String lone = authorizedWithoutBinding(keyA, "Fabrikam of A", fabrikam);
    assertEquals(Set.of(), holders(contoso.id()));

    deployment.restartNode(() -> { });

    awaitTrue(() -> "directory_disputed".equals(tenant(keyA, victim).get("status").asText())
        && "directory_disputed".equals(tenant(keyB, attacker).get("status").asText())
        && holders(fabrikam.id()).equals(Set.of(lone)));
    assertEquals("authorized", tenant(keyA, lone).get("status").asText());
    JsonNode disputed = tenant(keyB, attacker);
    assertTrue(disputed.get("statusReason").asText().contains("claimed by another tenant"), disputed.toString());
    assertFalse(disputed.toString().contains("msp-a") || disputed.toString().contains(victim), disputed.toString());
    // The dashboard list follows the dispute through its projection, a moment after the tenant itself.
    awaitTrue(() -> list(keyA, "needs_attention").contains(victim));
    assertFalse(list(keyA, "needs_attention").contains(lone));
    for (var stopped : new String[][] {{keyA, victim}, {keyB, attacker}}) {
      assertRefused(send("POST", "/api/v1/tenants/" + stopped[1] + "/backups", null, stopped[0]));
      assertRefused(send("POST", "/api/v1/tenants/" + stopped[1] + "/downloads", "{\"scope\":\"tenant\"}", stopped[0]));
      // The audit projection follows the tenant's events a moment later.
      awaitTrue(() -> send("GET", "/api/v1/audit?action=tenant.directory-disputed", null, stopped[0]).body()
          .contains(stopped[1]));
    }
    assertEquals(Set.of(), holders(contoso.id()), "a disputed directory is held by nobody");

    // The victim's admin signs in and consents again: the victim holds the directory; the attacker cannot.
    assertEquals(303, consent(keyA, victim).statusCode());
    assertEquals("authorized", tenant(keyA, victim).get("status").asText());
    assertEquals(Set.of(victim), holders(contoso.id()));
    HttpResponse<String> taken = consent(keyB, attacker);
    assertEquals(409, taken.statusCode(), taken.body());
    assertEquals("directory_disputed", tenant(keyB, attacker).get("status").asText());

    // Idempotent: the next start changes nothing of it.
    deployment.restartNode(() -> { });
    awaitTrue(() -> deployment.node().send("GET", "/api/v1/tenants", null, keyA).statusCode() == 200);
    assertEquals("authorized", tenant(keyA, victim).get("status").asText());
    assertEquals("directory_disputed", tenant(keyB, attacker).get("status").asText());
    assertEquals(Set.of(victim), holders(contoso.id()));
    assertEquals(202, send("POST", "/api/v1/tenants/" + victim + "/backups", null, keyA).statusCode());
  }

  /** Registered and authorized as today, then its binding deleted: what a tenant of an older release looks like. */
  private static String authorizedWithoutBinding(String key, String name, TenantInfo directory) throws Exception {
    // Registered by directory id: the sign-in link then names it, and its admin signs in there.
    String id = deployment.node().ok(send("POST", "/api/v1/tenants", "{\"displayName\":\"" + name
        + "\",\"entraTenant\":\"" + directory.id() + "\"}", key), 201).get("id").asText();
    var landed = consent(key, id);
    assertEquals(303, landed.statusCode(), landed.body());
    // A lightweight transaction, as the binding was written: a plain delete may lose to its Paxos timestamp.
    cql("DELETE FROM %s.directory_bindings WHERE entra_tenant_id = ? IF EXISTS", directory.id().toLowerCase(Locale.ROOT));
    return id;
  }

  private static HttpResponse<String> consent(String key, String tenantId) throws Exception {
    return new AdminBrowser(deployment.simulator()).consents(deployment.node().consentUrl(key, tenantId, false));
  }

  private static void assertRefused(HttpResponse<String> response) {
    assertEquals(409, response.statusCode(), response.body());
    assertTrue(response.body().contains("application/problem+json") || response.body().contains("\"status\""),
        response.body());
  }

  private static HttpResponse<String> send(String method, String path, String body, String key) {
    return deployment.node().send(method, path, body, key);
  }

  private static JsonNode tenant(String key, String tenantId) {
    return deployment.node().ok(send("GET", "/api/v1/tenants/" + tenantId, null, key), 200);
  }

  private static String list(String key, String status) {
    return deployment.node().ok(send("GET", "/api/v1/tenants?status=" + status, null, key), 200).toString();
  }

  /** Who holds the directory in directory_bindings (empty: no row, or disputed). */
  private static Set<String> holders(String entraTenant) {
    var holders = new java.util.HashSet<String>();
    cql("SELECT tenant_id FROM %s.directory_bindings WHERE entra_tenant_id = ?", entraTenant.toLowerCase(Locale.ROOT))
        .forEach(row -> {
          if (row.getString("tenant_id") != null) {
            holders.add(row.getString("tenant_id"));
          }
        });
    return holders;
  }

  private static java.util.List<Row> cql(String statement, Object... values) {
    try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", 9042))
        .withLocalDatacenter("datacenter1").build()) {
      return session.execute(String.format(statement, deployment.cassandra().keyspace()), values).all();
    }
  }

  /** Polls what the node's background backfill does. */
  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + BACKFILL.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + BACKFILL);
      Thread.sleep(200);
    }
  }
}
