package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Old-flow version, run once to record whether the attack worked before the fix. */
class CraftedCallbackIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(2).users(10).groups(2).seed(17));

  private static Simulator simulator;
  private static TestNode node;
  private static AdminBrowser browser;
  private static TenantInfo customerOfB;
  private static String keyA;
  private static String keyB;

  @BeforeAll
  static void twoAccounts() {
    simulator = deployment.simulator();
    node = deployment.node();
    customerOfB = simulator.tenants().get(0);
    browser = new AdminBrowser(simulator);
    keyA = node.createAccount("msp-a");
    keyB = node.createAccount("msp-b");
  }

  @Test
  void aHandMadeCallbackForAnotherAccountsDirectoryIsRefused() throws Exception {
    String tenantOfB = node.ok(node.send("POST", "/api/v1/tenants",
        "{\"displayName\":\"B's customer\",\"entraTenant\":\"" + customerOfB.id() + "\"}", keyB), 201).get("id").asText();
    String callbackOfB = browser.decides(node.consentUrl(keyB, tenantOfB, true), "accept");

    String tenantOfA = node.ok(node.send("POST", "/api/v1/tenants", "{\"displayName\":\"Mine\"}", keyA), 201)
        .get("id").asText();
    String url = node.consentUrl(keyA, tenantOfA, true);
    String state = URLDecoder.decode(url.replaceFirst(".*[?&]state=([^&]+).*", "$1"), StandardCharsets.UTF_8);
    var crafted = node.send("GET", "/auth/callback?state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)
        + "&tenant=" + customerOfB.id() + "&admin_consent=True", null, null);
    System.out.println("CRAFTED " + crafted.statusCode() + " " + crafted.headers().firstValue("Location").orElse("")
        + " " + crafted.body());
    System.out.println("A's TENANT " + node.get("/api/v1/tenants/" + tenantOfA, keyA));
    var landedB = browser.follow(callbackOfB);
    System.out.println("B's CALLBACK " + landedB.statusCode() + " " + landedB.body());
    assertTrue(crafted.statusCode() >= 400 && crafted.statusCode() < 500, crafted.body());
    assertEquals("pending_authorization", node.get("/api/v1/tenants/" + tenantOfA, keyA).get("status").asText());
  }
}
