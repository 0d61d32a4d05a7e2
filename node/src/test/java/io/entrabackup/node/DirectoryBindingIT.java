package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Microsoft directory belongs to one tenant record of one account, end to end: registering or authorizing a
 * directory another tenant already protects is refused (another account learns nothing about the holder), and the
 * refused tenant stays unauthorized.
 */
class DirectoryBindingIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(10).groups(2).seed(11));

  private static Simulator simulator;
  private static TestNode node;
  private static AdminBrowser browser;
  private static TenantInfo contoso;
  private static String keyA;
  private static String keyB;
  /** Account A's tenant, authorized for contoso's directory before each check. */
  private static String tenantOfA;

  @BeforeAll
  static void accountAProtectsContoso() throws Exception {
    simulator = deployment.simulator();
    node = deployment.node();
    contoso = simulator.tenants().get(0);
    browser = new AdminBrowser(simulator);
    keyA = node.createAccount("msp-a");
    keyB = node.createAccount("msp-b");
    tenantOfA = register(keyA, "Contoso of A", contoso.id());
    var landed = consentAccepted(keyA, tenantOfA);
    assertEquals(303, landed.statusCode(), landed.body());
    assertEquals("authorized", status(keyA, tenantOfA));
  }

  private static HttpResponse<String> tryRegister(String key, String name, String entraTenant) {
    return node.send("POST", "/api/v1/tenants",
        "{\"displayName\":\"" + name + "\",\"entraTenant\":\"" + entraTenant + "\"}", key);
  }

  private static String register(String key, String name, String entraTenant) {
    return node.ok(tryRegister(key, name, entraTenant), 201).get("id").asText();
  }

  /**
   * Activate Backup without an immediate backup, and the directory's admin signs in and accepts: answers where the
   * browser lands (a refusal may come at the sign-in already).
   */
  private static HttpResponse<String> consentAccepted(String key, String tenantId) throws Exception {
    return browser.consents(node.consentUrl(key, tenantId, false));
  }

  private static String status(String key, String tenantId) {
    return node.ok(node.send("GET", "/api/v1/tenants/" + tenantId, null, key), 200).get("status").asText();
  }

  private static void revealsNothingOfAccountA(String body) {
    for (String secret : new String[] {"msp-a", tenantOfA, "Contoso of A", contoso.displayName()}) {
      assertFalse(body.contains(secret), "reveals " + secret + ": " + body);
    }
  }

  @Test
  void anotherAccountCannotRegisterTheDirectory() {
    var refused = tryRegister(keyB, "Mine now", contoso.id().toUpperCase());

    assertEquals(409, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("already protected by another account"), refused.body());
    revealsNothingOfAccountA(refused.body());
    JsonNode listOfB = node.ok(node.send("GET", "/api/v1/tenants", null, keyB), 200);
    assertFalse(listOfB.toString().contains("Mine now"), listOfB.toString());
  }

  @Test
  void theSameAccountIsToldWhichOfItsTenantsHoldsTheDirectory() {
    var refused = tryRegister(keyA, "Contoso again", contoso.id());

    assertEquals(409, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains(tenantOfA), refused.body());
  }

  @Test
  void anotherAccountsConsentForTheDirectoryIsRefusedAndChangesNothing() throws Exception {
    // A domain cannot be checked at registration; the consent is where the directory's id is known.
    String tenantOfB = register(keyB, "Contoso by domain", contoso.domain());

    var landed = consentAccepted(keyB, tenantOfB);

    assertEquals(409, landed.statusCode(), landed.body());
    assertTrue(landed.body().contains("already protected by another account"), landed.body());
    revealsNothingOfAccountA(landed.body());
    assertEquals("pending_authorization", status(keyB, tenantOfB));
    assertEquals("authorized", status(keyA, tenantOfA));
  }

  @Test
  void aSecondTenantOfTheSameAccountCannotBeAuthorizedForTheDirectory() throws Exception {
    // A domain the account already lists (verified for tenantOfA) is refused at registration, naming that tenant.
    var listed = tryRegister(keyA, "Contoso twice", contoso.domain());
    assertEquals(409, listed.statusCode(), listed.body());
    assertTrue(listed.body().contains(tenantOfA), listed.body());
    // Registered without naming a directory, the same directory is still refused at consent, where its id is known.
    String second = node.ok(node.send("POST", "/api/v1/tenants", "{\"displayName\":\"Contoso twice\"}", keyA), 201)
        .get("id").asText();

    var landed = consentAccepted(keyA, second);

    assertEquals(409, landed.statusCode(), landed.body());
    assertTrue(landed.body().contains(tenantOfA), landed.body());
    assertEquals("pending_authorization", status(keyA, second));
  }

  @Test
  void theHolderConsentsAgain() throws Exception {
    var landed = consentAccepted(keyA, tenantOfA);

    assertEquals(303, landed.statusCode(), landed.body());
    assertEquals("authorized", status(keyA, tenantOfA));
  }
}
