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
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The attack of issue 15, tried as an attacker would: account B's customer directory has consented to our app (B's
 * admin accepted at Microsoft, B's browser not back yet), and account A calls our callback by hand with its own signed
 * state and B's directory as {@code tenant}, never visiting Microsoft. Before the admin's OpenID Connect sign-in this
 * authorized A's tenant for B's directory (and left B locked out); now it is refused and changes nothing.
 */
class CraftedCallbackIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(4).users(10).groups(2).seed(17));

  private static Simulator simulator;
  private static TestNode node;
  private static AdminBrowser browser;
  private static TenantInfo customerOfB;
  private static TenantInfo customerOfA;
  private static String keyA;
  private static String keyB;

  @BeforeAll
  static void twoAccountsEachWithACustomer() {
    simulator = deployment.simulator();
    node = deployment.node();
    customerOfB = simulator.tenants().get(0);
    customerOfA = simulator.tenants().get(1);
    browser = new AdminBrowser(simulator);
    keyA = node.createAccount("msp-a");
    keyB = node.createAccount("msp-b");
  }

  @Test
  void aHandMadeCallbackForAnotherAccountsDirectoryIsRefusedAndChangesNothing() throws Exception {
    String tenantOfB = register(keyB, "B's customer", customerOfB.id());
    String callbackOfB = browser.decidesAs(customerOfB, node.consentUrl(keyB, tenantOfB, true), "accept");
    String tenantOfA = register(keyA, "Mine", null);
    String linkOfA = node.consentUrl(keyA, tenantOfA, true);

    // A's own state from Activate Backup, B's directory, never at Microsoft.
    var crafted = callback(stateOf(linkOfA), customerOfB.id());
    assertRefused(crafted, "sign-in with Microsoft, which comes first");

    // A signs in properly, as the admin of its own directory, and swaps the directory in the consent step's answer.
    var toConsent = browser.follow(browser.signedIn(customerOfA, linkOfA));
    assertEquals(302, toConsent.statusCode(), toConsent.body());
    String consentStateOfA = stateOf(toConsent.headers().firstValue("Location").orElseThrow());
    assertRefused(callback(consentStateOfA, customerOfB.id()), "another Microsoft directory");
    assertRefused(callback(consentStateOfA, customerOfB.id().toUpperCase(Locale.ROOT)), "another Microsoft directory");

    // Nothing changed: A's tenant is not authorized, no backup is due, B's directory is bound to nobody yet...
    JsonNode tenantA = node.get("/api/v1/tenants/" + tenantOfA, keyA);
    assertEquals("pending_authorization", tenantA.get("status").asText(), tenantA.toString());
    assertFalse(tenantA.has("entraTenantId") || tenantA.has("nextBackupAt"), tenantA.toString());
    assertEquals(0, bindingsOf(customerOfB.id()));
    // ... and B's own answer from Microsoft still completes B's authorization.
    var landedB = browser.follow(callbackOfB);
    assertEquals(303, landedB.statusCode(), landedB.body());
    assertEquals("authorized", node.get("/api/v1/tenants/" + tenantOfB, keyB).get("status").asText());
    assertEquals(1, bindingsOf(customerOfB.id()));

    // A's own request was not used up by the refusals: A's admin consents for A's own directory.
    var landedA = browser.follow(browser.decidesAs(customerOfA, linkOfA, "accept"));
    assertEquals(303, landedA.statusCode(), landedA.body());
    assertEquals(customerOfA.id(), node.get("/api/v1/tenants/" + tenantOfA, keyA).get("entraTenantId").asText());
  }

  /**
   * The case the OpenID Connect sign-in alone left open: B's customer directory has consented to our app (B's admin
   * accepted, B's browser not back yet), and someone of A with an ordinary account in that directory, no administrator,
   * signs in through A's link to go on and hand-make the consent callback. Without the role check the sign-in was
   * accepted and handed out a consent state carrying B's directory, so the hand-made callback authorized A's tenant;
   * now the sign-in itself is refused, hands out nothing, and changes nothing.
   */
  @Test
  void aUserOfTheDirectoryWhoIsNoAdministratorIsRefusedAtSignInAndChangesNothing() throws Exception {
    TenantInfo directory = simulator.tenants().get(3);
    String tenantOfB = register(keyB, "B's second customer", null);
    // B's admin consents at Microsoft: our app has consent in the directory, which is bound to nobody yet.
    String callbackOfB = browser.decidesAs(directory, node.consentUrl(keyB, tenantOfB, true), "accept");
    String tenantOfA = register(keyA, "Not mine", null);
    String linkOfA = node.consentUrl(keyA, tenantOfA, true);
    String member = simulator.admin().memberWithoutRoles(directory.id());

    var refused = browser.follow(browser.signedInAs(member, linkOfA));

    assertEquals(403, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("Global Administrator or Privileged Role Administrator"), refused.body());
    // No consent state is handed out, so there is nothing to hand-make the consent callback with.
    assertFalse(refused.headers().firstValue("Location").isPresent(), refused.headers().toString());
    assertFalse(refused.body().contains("state=") || refused.body().contains("Exception")
        || refused.body().contains("msp-b"), refused.body());
    // Nothing changed: A's tenant is not authorized, no backup is due, the directory is bound to nobody...
    JsonNode tenantA = node.get("/api/v1/tenants/" + tenantOfA, keyA);
    assertEquals("pending_authorization", tenantA.get("status").asText(), tenantA.toString());
    assertFalse(tenantA.has("entraTenantId") || tenantA.has("nextBackupAt"), tenantA.toString());
    assertEquals(0, bindingsOf(directory.id()));
    // ... B's answer from Microsoft still completes B's authorization ...
    var landedB = browser.follow(callbackOfB);
    assertEquals(303, landedB.statusCode(), landedB.body());
    assertEquals(directory.id(), node.get("/api/v1/tenants/" + tenantOfB, keyB).get("entraTenantId").asText());
    assertEquals(1, bindingsOf(directory.id()));
    // ... and A's link was not used up: A's own admin signs in with it.
    assertEquals(302, browser.follow(browser.signedIn(customerOfA, linkOfA)).statusCode());
  }

  /**
   * An app registration whose groupMembershipClaims does not ask for directory roles gives ID tokens without
   * {@code wids}: nobody can be told apart from an administrator, so every sign-in is refused, with a page that says
   * what the MSP operator must set, and nothing changes.
   */
  @Test
  void withoutDirectoryRolesInTheTokenEverySignInIsRefusedNamingTheSetting() throws Exception {
    String tenantOfA = register(keyA, "Roles hidden", null);
    String linkOfA = node.consentUrl(keyA, tenantOfA, false);
    simulator.groupMembershipClaims(TestNode.CLIENT_ID, null);
    try {
      var refused = browser.follow(browser.signedIn(customerOfA, linkOfA));

      assertEquals(403, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("groupMembershipClaims"), refused.body());
      assertTrue(refused.body().contains("MSP operator"), refused.body());
      assertFalse(refused.body().contains("wids") || refused.body().contains("Exception"), refused.body());
    } finally {
      simulator.groupMembershipClaims(TestNode.CLIENT_ID, "DirectoryRole");
    }
    assertEquals("pending_authorization", node.get("/api/v1/tenants/" + tenantOfA, keyA).get("status").asText());
    // Once the operator fixes the registration, the same link works.
    assertEquals(302, browser.follow(browser.signedIn(customerOfA, linkOfA)).statusCode());
  }

  @Test
  void aSignInAnswerIsUsedOnceAndItsCodeCannotBeReplayed() throws Exception {
    String tenantOfA = register(keyA, "Replayed", null);
    String signInCallback = browser.signedIn(customerOfA, node.consentUrl(keyA, tenantOfA, false));

    assertEquals(302, browser.follow(signInCallback).statusCode());
    var replay = browser.follow(signInCallback);

    assertRefused(replay, "could not be verified");
    assertEquals("pending_authorization", node.get("/api/v1/tenants/" + tenantOfA, keyA).get("status").asText());
  }

  @Test
  void aTenantRegisteredByDirectoryIdRefusesAnAdminOfAnotherDirectoryAtSignIn() throws Exception {
    TenantInfo registered = simulator.tenants().get(2);
    String tenantOfA = register(keyA, "Registered by id", registered.id());
    // The link signs in at the registered directory; the caller moves it to organizations to bring another admin.
    String link = node.consentUrl(keyA, tenantOfA, true)
        .replace("/" + registered.id() + "/oauth2/", "/organizations/oauth2/");

    var refused = browser.follow(browser.signedIn(customerOfA, link));

    assertEquals(409, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("registered as " + registered.id()), refused.body());
    assertEquals("pending_authorization", node.get("/api/v1/tenants/" + tenantOfA, keyA).get("status").asText());
  }

  private static String register(String key, String name, String entraTenant) {
    String body = entraTenant == null ? "{\"displayName\":\"" + name + "\"}"
        : "{\"displayName\":\"" + name + "\",\"entraTenant\":\"" + entraTenant + "\"}";
    return node.ok(node.send("POST", "/api/v1/tenants", body, key), 201).get("id").asText();
  }

  private static HttpResponse<String> callback(String state, String entraTenant) {
    return node.send("GET", "/auth/callback?state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)
        + "&tenant=" + entraTenant + "&admin_consent=True", null, null);
  }

  private static String stateOf(String url) {
    return URLDecoder.decode(url.replaceFirst(".*[?&]state=([^&]+).*", "$1"), StandardCharsets.UTF_8);
  }

  private static void assertRefused(HttpResponse<String> response, String why) {
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(response.body().contains(why), response.body());
    assertFalse(response.body().contains("Exception") || response.body().contains("msp-b"), response.body());
  }

  /** Rows of the install-wide directory index for the directory. */
  private static int bindingsOf(String entraTenant) {
    try (CqlSession session = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", 9042))
        .withLocalDatacenter("datacenter1").build()) {
      int rows = 0;
      for (Row ignored : session.execute("SELECT tenant_id FROM " + deployment.cassandra().keyspace()
          + ".directory_bindings WHERE entra_tenant_id = ?", entraTenant.toLowerCase(Locale.ROOT))) {
        rows++;
      }
      return rows;
    }
  }
}
