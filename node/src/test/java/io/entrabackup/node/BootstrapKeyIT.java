package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bootstrap administrator key belongs to configuration: a node started with another
 * {@code entra-backup.auth.bootstrap-key} revokes the old key, one started with the setting emptied leaves no
 * bootstrap key valid, and a bootstrap key revoked through the API does not come back with a restart.
 */
class BootstrapKeyIT {

  @RegisterExtension
  static final TestCassandra cassandra = new TestCassandra();

  private static final String SECOND_KEY = "eb_bootstrap_second-key-0123456789abcdefghijkl";
  private static final String THIRD_KEY = "eb_bootstrap_third-key-0123456789abcdefghijklm";

  private static Simulator simulator;

  @BeforeAll
  static void startSimulator() throws Exception {
    Files.createDirectories(Path.of("target"));
    Path state = Files.createTempDirectory(Path.of("target"), "simulator-BootstrapKeyIT-");
    simulator = Simulator.start(SimulatorConfig.builder().tenants(1).users(2).groups(1).seed(5).port(0)
        .stateDir(state).build());
  }

  @AfterAll
  static void stopSimulator() {
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  void aChangedBootstrapKeyRevokesTheOldOneAndAnEmptiedSettingLeavesNone() throws Exception {
    try (TestNode node = startWithBootstrapKey(TestNode.BOOTSTRAP_KEY)) {
      assertEquals(200, tenants(node, TestNode.BOOTSTRAP_KEY));
    }
    try (TestNode node = startWithBootstrapKey(SECOND_KEY)) {
      assertEquals(401, tenants(node, TestNode.BOOTSTRAP_KEY), "the previous bootstrap key is revoked");
      assertEquals(200, tenants(node, SECOND_KEY));
      JsonNode bootstrap = bootstrapKeyAsListed(node, SECOND_KEY);
      assertTrue(bootstrap.get("installAdmin").asBoolean(), bootstrap.toString());
      assertEquals("[\"read\",\"operate\",\"restore\",\"admin\"]", bootstrap.get("scopes").toString());
    }
    try (TestNode node = startWithBootstrapKey("")) {
      assertEquals(401, tenants(node, SECOND_KEY), "an emptied setting leaves no bootstrap key valid");
      assertEquals(401, tenants(node, TestNode.BOOTSTRAP_KEY));
    }
  }

  @Test
  void aBootstrapKeyRevokedThroughTheApiStaysRevokedAfterARestart() throws Exception {
    try (TestNode node = startWithBootstrapKey(THIRD_KEY)) {
      assertEquals(204, node.send("DELETE", "/api/v1/accounts/msp/keys/bootstrap", null, THIRD_KEY).statusCode(),
          "an install administrator may revoke it");
      assertEquals(401, tenants(node, THIRD_KEY));
    }
    try (TestNode node = startWithBootstrapKey(THIRD_KEY)) {
      assertEquals(401, tenants(node, THIRD_KEY), "a leaked key must not return with a restart");
    }
  }

  private static TestNode startWithBootstrapKey(String key) throws Exception {
    return TestNode.start(cassandra, simulator, Clock.systemUTC(),
        ConfigFactory.parseString("entra-backup.auth.bootstrap-key = \"" + key + "\""));
  }

  private static int tenants(TestNode node, String key) {
    return node.send("GET", "/api/v1/tenants", null, key).statusCode();
  }

  private static JsonNode bootstrapKeyAsListed(TestNode node, String key) {
    for (JsonNode listed : node.get("/api/v1/accounts/msp/keys", key).get("items")) {
      if (listed.get("keyId").asText().equals("bootstrap")) {
        return listed;
      }
    }
    throw new AssertionError("no bootstrap key listed");
  }
}
