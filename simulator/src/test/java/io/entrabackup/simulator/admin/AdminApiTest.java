package io.entrabackup.simulator.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorFixture;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin HTTP API under /_simulator, driven over HTTPS as a benchmark or an operator would. */
class AdminApiTest {
  @RegisterExtension
  static final SimulatorFixture f = new SimulatorFixture(b -> b.users(200).groups(20));

  private JsonNode admin(String method, String path, Object body) {
    HttpResponse<String> r = f.admin(method, path, body);
    assertTrue(r.statusCode() < 300, r.statusCode() + " " + r.body());
    return r.body().isEmpty() ? null : SimulatorFixture.json(r.body());
  }

  @Test
  void tenantsCanBeListedAndCreated() {
    JsonNode created = admin("POST", "/tenants", Map.of("users", 30, "groups", 5));
    assertEquals(30, created.get("users").asInt());
    assertEquals(2, admin("GET", "/tenants", null).get("value").size());
    f.sim.admin().consent(created.get("id").asText(), SimulatorFixture.CLIENT_ID, null);
    assertTrue(f.tokenFor(created.get("id").asText(), SimulatorFixture.CLIENT_ID, SimulatorFixture.SECRET).has("access_token"));
  }

  @Test
  void churnIsDeterministicBySeedAndReportsWhatItTouched() {
    Map<String, Object> spec = Map.of("seed", 5, "users", Map.of("update", "5%", "delete", 2),
        "groups", Map.of("addMembers", 3, "removeMembers", 2, "update", 1));
    try (SimulatorFixture twin = new SimulatorFixture(b -> b.users(200).groups(20));
         SimulatorFixture other = new SimulatorFixture(b -> b.users(200).groups(20))) {
      JsonNode a = SimulatorFixture.json(twin.admin("POST", "/tenants/" + twin.tenant.id() + "/churn", spec).body());
      JsonNode b = SimulatorFixture.json(other.admin("POST", "/tenants/" + other.tenant.id() + "/churn", spec).body());
      assertEquals(a.get("usersUpdated"), b.get("usersUpdated"));
      assertEquals(a.get("membersAdded"), b.get("membersAdded"));
      assertEquals(10, b.get("usersUpdated").size());
      assertEquals(2, b.get("usersDeleted").size());
      JsonNode state = SimulatorFixture.json(other.admin("GET", "/tenants/" + other.tenant.id() + "/objects/"
          + b.get("usersDeleted").get(0).asText(), null).body());
      assertEquals("softDeleted", state.get("state").asText());
    }
  }

  @Test
  void theAdminClientDrivesTheSameApiOverHttps() {
    AdminClient client = AdminClient.of(f.sim.baseUrl(), f.sim.trustStorePath(), f.sim.trustStorePassword());
    assertTrue(client.tenants().size() >= 1);
    JsonNode report = client.churn(f.tenant.id(), 3, Map.of("update", "2"), Map.of("addMembers", "1"));
    assertEquals(2, report.get("usersUpdated").size());
    assertEquals("live", client.object(f.tenant.id(), report.get("usersUpdated").get(0).asText()).get("state").asText());
    client.addFault("STATUS_504", 1.0, 1, "/organization", null, 0);
    assertEquals(504, f.get("/organization").statusCode());
    client.clearFaults();
    client.resetStats();
    f.get("/organization");
    assertEquals(1, client.stats().get("requests").asInt());
  }

  @Test
  void churnAlsoRestoresGroupsChangesOwnersAndRoleAssignments() {
    JsonNode deleted = admin("POST", "/tenants/" + f.tenant.id() + "/churn", Map.of("seed", 11, "groups", Map.of("delete", 6)));
    assertEquals(6, deleted.get("groupsDeleted").size());
    JsonNode r = admin("POST", "/tenants/" + f.tenant.id() + "/churn", Map.of("seed", 12,
        "groups", Map.of("restore", 1, "addOwners", 2, "removeOwners", 1), "roles", Map.of("assign", 3, "unassign", 2)));
    assertTrue(r.get("groupsRestored").size() <= 1);
    assertEquals(2, r.get("ownersAdded").size());
    assertEquals(3, r.get("rolesAssigned").size());
    assertEquals(2, r.get("rolesUnassigned").size());
    String assigned = r.get("rolesAssigned").get(0).asText();
    assertEquals("roleAssignment", admin("GET", "/tenants/" + f.tenant.id() + "/objects/" + assigned, null).get("kind").asText());
  }

  @Test
  void objectStateShowsPropertiesAndRelations() {
    String groupId = f.getJson("/groups?$top=1").get("value").get(0).get("id").asText();
    JsonNode state = admin("GET", "/tenants/" + f.tenant.id() + "/objects/" + groupId, null);
    assertEquals("group", state.get("kind").asText());
    assertEquals("live", state.get("state").asText());
    assertEquals(200, state.get("members").get("count").asInt());
    assertEquals(404, f.admin("GET", "/tenants/" + f.tenant.id() + "/objects/nope", null).statusCode());
  }

  @Test
  void theClockMovesForwardThroughTheApi() {
    Instant before = f.sim.admin().now();
    JsonNode now = admin("POST", "/clock", Map.of("advanceDays", 2));
    assertTrue(Instant.parse(now.get("now").asText()).isAfter(before.plusSeconds(2 * 86400 - 5)));
    admin("POST", "/clock", Map.of("advanceDays", -2));
    f.resetToken();
  }

  @Test
  void appsConsentModeThrottleFaultsAndStatsAreSettable() {
    admin("POST", "/apps", Map.of("clientId", "app-x", "clientSecret", "s", "redirectUris", List.of("https://a/cb"),
        "permissions", List.of("User.Read.All"), "consentAllTenants", true));
    assertTrue(f.tokenFor(f.tenant.id(), "app-x", "s").has("access_token"));
    JsonNode apps = admin("GET", "/apps", null).get("value");
    JsonNode appX = null;
    for (JsonNode a : apps) {
      appX = a.get("clientId").asText().equals("app-x") ? a : appX;
    }
    assertEquals("[\"User.Read.All\"]", appX.get("consents").get(f.tenant.id()).get("permissions").toString());
    assertTrue(!appX.toString().contains("clientSecret"));
    assertEquals("refuse", admin("PUT", "/consent-mode", Map.of("mode", "refuse")).get("mode").asText());
    admin("PUT", "/consent-mode", Map.of("mode", "page"));
    assertEquals(0.5, admin("PUT", "/throttle", Map.of("scale", 0.5)).get("scale").asDouble());
    admin("PUT", "/throttle", Map.of("scale", 1.0));
    JsonNode faults = admin("POST", "/faults", Map.of("kind", "status_503", "count", 1, "pathContains", "/organization"));
    assertEquals("STATUS_503", faults.get("value").get(0).get("kind").asText());
    assertEquals(503, f.get("/organization").statusCode());
    admin("DELETE", "/faults", null);
    admin("DELETE", "/stats", null);
    f.get("/organization");
    JsonNode stats = admin("GET", "/stats", null);
    assertEquals(1, stats.get("byEndpointAndStatus").get("GET /v1.0/organization 200").asInt());
    assertTrue(admin("GET", "/requests", null).get("value").size() >= 1);
  }
}
