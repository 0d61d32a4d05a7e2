package io.entrabackup.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.simulator.identity.AppRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainFlagsTest {

  @Test
  void everyFlagLandsInTheConfig() {
    SimulatorConfig c = Main.parse(new String[] {"--host", "0.0.0.0", "--port", "9555", "--tenants", "3", "--users", "1234",
        "--groups", "56", "--seed", "9", "--state-dir", "/tmp/x", "--keep-state", "--truststore-password", "pw", "--throttle-scale", "0.5",
        "--no-throttle", "--consent-mode", "consent", "--app-permissions", "read", "--app", "id1:sec1:https://a/cb,https://b/cb",
        "--consent-all", "--app-directory-role", "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"});
    assertEquals("0.0.0.0", c.host());
    assertEquals(9555, c.port());
    assertEquals(3, c.tenants());
    assertEquals(1234, c.users());
    assertEquals(56, c.groups());
    assertEquals(9, c.seed());
    assertEquals(Path.of("/tmp/x"), c.stateDir());
    assertTrue(c.keepState());
    assertEquals("pw", c.trustStorePassword());
    assertEquals(0.5, c.throttleScale());
    assertFalse(c.throttleEnabled());
    assertEquals("consent", c.consentMode());
    SimulatorConfig.AppRegistration app = c.apps().get(0);
    assertEquals("id1", app.clientId());
    assertEquals("sec1", app.clientSecret());
    assertEquals(List.of("https://a/cb", "https://b/cb"), app.redirectUris());
    assertEquals(AppRegistry.READ_PERMISSIONS, app.permissions());
    assertTrue(app.consentAllTenants());
    assertEquals(List.of("7be44c8a-adaf-4e2a-84d6-ab2649e08a13"), app.directoryRoles());
  }

  @Test
  void runtimeFlagsSetFaultsQuirksAndTheClock() {
    String[] args = {"--users", "20", "--fault", "STATUS_503:1:2:/users:3", "--quirk", "removedInFullRounds",
        "--clock", "2027-01-01T00:00:00Z", "--fractional-retry-after"};
    SimulatorConfig c = Main.parse(args);
    try (Simulator sim = Simulator.start(SimulatorConfig.builder().port(0).users(c.users()).groups(2)
        .stateDir(Path.of("target", "sim-flags")).build())) {
      Main.applyRuntimeFlags(sim, args);
      assertEquals("STATUS_503", sim.admin().faults().get(0).get("kind"));
      assertEquals(2, sim.admin().faults().get(0).get("remaining"));
      assertEquals(3.0, sim.admin().faults().get(0).get("retryAfterSeconds"));
      assertEquals(true, sim.admin().quirks().get("removedInFullRounds"));
      assertTrue(sim.admin().now().toString().startsWith("2027-01-01T00:00"));
      assertEquals(true, sim.admin().throttleSettings().get("fractionalRetryAfter"));
    }
  }

  @Test
  void theStateIsKeptOnlyWhenAsked() {
    assertFalse(Main.parse(new String[] {"--state-dir", "/tmp/x"}).keepState());
  }

  @Test
  void anUnknownFlagIsRefusedWithTheUsage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--nope"}));
    assertTrue(e.getMessage().contains("--users N"));
  }
}
