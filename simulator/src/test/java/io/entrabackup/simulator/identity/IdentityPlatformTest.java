package io.entrabackup.simulator.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IdentityPlatformTest {
  @RegisterExtension
  static final SimulatorFixture f = new SimulatorFixture(b -> b.tenants(2));

  private String tokenUrl() {
    return f.sim.baseUrl() + "/" + f.tenant.id() + "/oauth2/v2.0/token";
  }

  @Test
  void clientCredentialsTokenHasExactlyTheOAuthShapeMsalExpects() {
    JsonNode body = f.tokenFor(f.tenant.id(), SimulatorFixture.CLIENT_ID, SimulatorFixture.SECRET);
    Set<String> keys = new TreeSet<>();
    body.fieldNames().forEachRemaining(keys::add);
    assertEquals(new TreeSet<>(List.of("token_type", "expires_in", "ext_expires_in", "access_token")), keys);
    assertEquals("Bearer", body.get("token_type").asText());
    assertEquals(3599, body.get("expires_in").asInt());
    assertTrue(body.get("expires_in").isInt());
  }

  @Test
  void accessTokenIsASignedJwtCarryingTenantAppRolesAndExpiry() {
    String jwt = f.token();
    String[] parts = jwt.split("\\.");
    assertEquals(3, parts.length);
    JsonNode header = SimulatorFixture.json(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    JsonNode claims = SimulatorFixture.json(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    assertEquals("RS256", header.get("alg").asText());
    assertEquals(f.tenant.id(), claims.get("tid").asText());
    assertEquals(SimulatorFixture.CLIENT_ID, claims.get("appid").asText());
    assertEquals("https://graph.microsoft.com", claims.get("aud").asText());
    assertTrue(claims.get("roles").toString().contains("User.ReadWrite.All"));
    assertTrue(claims.get("exp").asLong() > claims.get("iat").asLong());
  }

  @Test
  void wrongSecretIsInvalidClientWithTheOAuthErrorShape() {
    HttpResponse<String> r = f.postForm(tokenUrl(), Map.of("grant_type", "client_credentials", "client_id",
        SimulatorFixture.CLIENT_ID, "client_secret", "wrong", "scope", "https://graph.microsoft.com/.default"));
    assertEquals(401, r.statusCode());
    JsonNode e = SimulatorFixture.json(r.body());
    assertEquals("invalid_client", e.get("error").asText());
    assertTrue(e.get("error_description").asText().startsWith("AADSTS7000215:"));
    assertEquals(7000215, e.get("error_codes").get(0).asInt());
    for (String k : List.of("timestamp", "trace_id", "correlation_id")) {
      assertTrue(e.hasNonNull(k), k);
    }
  }

  @Test
  void anAppNotConsentedInTheTenantIsUnauthorizedClient() {
    f.sim.registerApp("99999999-0000-0000-0000-000000000001", "x", List.of());
    JsonNode e = f.tokenFor(f.tenant.id(), "99999999-0000-0000-0000-000000000001", "x");
    assertEquals("unauthorized_client", e.get("error").asText());
    assertEquals(700016, e.get("error_codes").get(0).asInt());
  }

  @Test
  void anUnknownAppIsUnauthorizedClientAndAnUnknownTenantIsInvalidRequest() {
    assertEquals("unauthorized_client", f.tokenFor(f.tenant.id(), "nobody", "x").get("error").asText());
    JsonNode e = f.tokenFor("00000000-0000-0000-0000-000000000000", SimulatorFixture.CLIENT_ID, SimulatorFixture.SECRET);
    assertEquals("invalid_request", e.get("error").asText());
    assertEquals(90002, e.get("error_codes").get(0).asInt());
  }

  @Test
  void aScopeOtherThanGraphDefaultIsInvalidScope() {
    HttpResponse<String> r = f.postForm(tokenUrl(), Map.of("grant_type", "client_credentials", "client_id",
        SimulatorFixture.CLIENT_ID, "client_secret", SimulatorFixture.SECRET, "scope", "https://foo.microsoft.com/.default"));
    assertEquals(400, r.statusCode());
    JsonNode e = SimulatorFixture.json(r.body());
    assertEquals("invalid_scope", e.get("error").asText());
    assertEquals(70011, e.get("error_codes").get(0).asInt());
  }

  @Test
  void theTenantDomainWorksAsTheAuthorityPathToo() {
    JsonNode body = f.tokenFor(f.tenant.domain(), SimulatorFixture.CLIENT_ID, SimulatorFixture.SECRET);
    assertTrue(body.hasNonNull("access_token"));
  }

  @Test
  void openIdConfigurationPointsBackAtTheSimulator() {
    HttpResponse<String> r = f.send(HttpRequest.newBuilder(URI.create(f.sim.baseUrl() + "/" + f.tenant.id()
        + "/v2.0/.well-known/openid-configuration")).build());
    assertEquals(200, r.statusCode());
    JsonNode c = SimulatorFixture.json(r.body());
    assertEquals(f.sim.baseUrl() + "/" + f.tenant.id() + "/oauth2/v2.0/token", c.get("token_endpoint").asText());
    assertEquals(f.sim.baseUrl() + "/" + f.tenant.id() + "/v2.0", c.get("issuer").asText());
    HttpResponse<String> keys = f.send(HttpRequest.newBuilder(URI.create(c.get("jwks_uri").asText())).build());
    assertEquals("RSA", SimulatorFixture.json(keys.body()).get("keys").get(0).get("kty").asText());
  }

  @Test
  void instanceDiscoveryAnswersWithTheSimulatorAsTheOnlyAlias() {
    String authorize = f.sim.baseUrl() + "/" + f.tenant.id() + "/oauth2/v2.0/authorize";
    HttpResponse<String> r = f.send(HttpRequest.newBuilder(URI.create(f.sim.baseUrl()
        + "/common/discovery/instance?api-version=1.1&authorization_endpoint=" + SimulatorFixture.enc(authorize))).build());
    assertEquals(200, r.statusCode());
    JsonNode d = SimulatorFixture.json(r.body());
    assertTrue(d.get("tenant_discovery_endpoint").asText().startsWith(f.sim.baseUrl() + "/" + f.tenant.id() + "/v2.0/"));
    assertEquals(f.sim.baseUrl().substring("https://".length()), d.get("metadata").get(0).get("aliases").get(0).asText());
  }

  @Test
  void graphRefusesAMissingTokenWith401InvalidAuthenticationToken() {
    HttpResponse<String> r = f.send(HttpRequest.newBuilder(URI.create(f.sim.graphBaseUrl() + "/users")).build());
    assertEquals(401, r.statusCode());
    JsonNode e = SimulatorFixture.json(r.body()).get("error");
    assertEquals("InvalidAuthenticationToken", e.get("code").asText());
    assertNotNull(e.get("innerError").get("request-id").asText());
    assertEquals(e.get("innerError").get("request-id").asText(), r.headers().firstValue("request-id").orElseThrow());
  }

  @Test
  void graphRefusesAForgedTokenWith401() {
    String forged = f.token().substring(0, f.token().length() - 6) + "AAAAAA";
    HttpResponse<String> r = f.send(HttpRequest.newBuilder(URI.create(f.sim.graphBaseUrl() + "/users"))
        .header("Authorization", "Bearer " + forged).build());
    assertEquals(401, r.statusCode());
    assertEquals("InvalidAuthenticationToken", SimulatorFixture.errorCode(r));
  }

  @Test
  void graphRefusesAnExpiredTokenWith401AfterTheClockMovesAnHour() {
    String token = f.tokenFor(f.tenant.id(), SimulatorFixture.CLIENT_ID, SimulatorFixture.SECRET).get("access_token").asText();
    f.sim.admin().advanceClock(Duration.ofMinutes(61));
    try {
      HttpResponse<String> r = f.send(HttpRequest.newBuilder(URI.create(f.sim.graphBaseUrl() + "/users"))
          .header("Authorization", "Bearer " + token).build());
      assertEquals(401, r.statusCode());
      assertTrue(SimulatorFixture.json(r.body()).get("error").get("message").asText().contains("expired"));
    } finally {
      f.sim.admin().advanceClock(Duration.ofMinutes(-61));
    }
  }

  @Test
  void aTokenIssuedByAnotherCloudForTheSameTenantIdIsRefusedWith401() {
    try (SimulatorFixture otherCloud = new SimulatorFixture(b -> b.tenants(2)
        .stateDir(java.nio.file.Path.of("target", "sim-other-cloud")))) {
      assertEquals(f.tenant.id(), otherCloud.tenant.id(), "same seed, same tenant id");
      HttpResponse<String> r = f.send(HttpRequest.newBuilder(URI.create(f.sim.graphBaseUrl() + "/users"))
          .header("Authorization", "Bearer " + otherCloud.token()).build());
      assertEquals(401, r.statusCode());
      assertEquals("InvalidAuthenticationToken", SimulatorFixture.errorCode(r));
    }
  }

  @Test
  void aTokenOfTheOtherTenantReadsTheOtherTenant() {
    String other = f.sim.tenants().get(1).id();
    String token = f.tokenFor(other, SimulatorFixture.CLIENT_ID, SimulatorFixture.SECRET).get("access_token").asText();
    HttpResponse<String> r = f.send(HttpRequest.newBuilder(URI.create(f.sim.graphBaseUrl() + "/organization"))
        .header("Authorization", "Bearer " + token).build());
    assertEquals(other, SimulatorFixture.json(r.body()).get("value").get(0).get("id").asText());
  }

  @Test
  void readOnlyConsentCanReadButWritesGet403AuthorizationRequestDenied() {
    String reader = "22222222-0000-0000-0000-00000000000a";
    f.sim.admin().registerApp(reader, "r", List.of(), AppRegistry.READ_PERMISSIONS);
    f.sim.admin().consent(f.tenant.id(), reader, null);
    String token = f.tokenFor(f.tenant.id(), reader, "r").get("access_token").asText();
    HttpResponse<String> read = f.send(HttpRequest.newBuilder(URI.create(f.sim.graphBaseUrl() + "/users"))
        .header("Authorization", "Bearer " + token).build());
    assertEquals(200, read.statusCode());
    String userId = SimulatorFixture.json(read.body()).get("value").get(1).get("id").asText();
    HttpResponse<String> write = f.send(HttpRequest.newBuilder(URI.create(f.sim.graphBaseUrl() + "/users/" + userId))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"usageLocation\":\"NL\"}")).build());
    assertEquals(403, write.statusCode());
    assertEquals("Authorization_RequestDenied", SimulatorFixture.errorCode(write));
  }

  @Test
  void aTokenWithoutRolePermissionsCannotReadRoles() {
    String usersOnly = "33333333-0000-0000-0000-00000000000b";
    f.sim.admin().registerApp(usersOnly, "u", List.of(), List.of("User.Read.All"));
    f.sim.admin().consent(f.tenant.id(), usersOnly, null);
    String token = f.tokenFor(f.tenant.id(), usersOnly, "u").get("access_token").asText();
    HttpResponse<String> r = f.send(HttpRequest.newBuilder(URI.create(f.sim.graphBaseUrl() + "/roleManagement/directory/roleAssignments"))
        .header("Authorization", "Bearer " + token).build());
    assertEquals(403, r.statusCode());
    assertFalse(r.body().isEmpty());
  }
}
