package io.entrabackup.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.io.InputStream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StartupAndTlsTest {
  @RegisterExtension
  static final SimulatorFixture f = SimulatorFixture.start();

  @Test
  void startsOnAnEphemeralPortAndReportsHttpsUrls() {
    assertTrue(f.sim.baseUrl().startsWith("https://127.0.0.1:"));
    assertNotEquals(0, f.sim.port());
    assertEquals(f.sim.baseUrl() + "/v1.0", f.sim.graphBaseUrl());
  }

  @Test
  void writesCaPemAndAPkcs12TrustStoreHoldingTheCa() throws Exception {
    assertTrue(Files.readString(f.sim.caPemPath()).startsWith("-----BEGIN CERTIFICATE-----"));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(f.sim.trustStorePath())) {
      ks.load(in, f.sim.trustStorePassword().toCharArray());
    }
    assertTrue(ks.isCertificateEntry("simulator-ca"));
  }

  @Test
  void aClientThatDoesNotTrustTheCaIsRefusedByTls() {
    HttpClient plain = HttpClient.newHttpClient();
    HttpRequest r = HttpRequest.newBuilder(URI.create(f.sim.baseUrl() + "/_simulator/health")).build();
    assertThrows(SSLHandshakeException.class, () -> plain.send(r, HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void aClientTrustingTheStoreReachesTheAdminApi() {
    HttpResponse<String> r = f.admin("GET", "/health", null);
    assertEquals(200, r.statusCode());
  }

  @Test
  void sameSeedGivesTheSameTenantAndIds() {
    try (SimulatorFixture other = SimulatorFixture.start()) {
      assertEquals(f.tenant, other.tenant);
      JsonNode a = f.getJson("/users?$top=5");
      JsonNode b = other.getJson("/users?$top=5");
      assertEquals(a.get("value"), b.get("value"));
    }
  }

  @Test
  void afterARestartTokensStillWorkButOldDeltaLinksAnswerSyncStateNotFound() {
    String delta;
    String token;
    try (SimulatorFixture first = new SimulatorFixture(b -> b.stateDir(java.nio.file.Path.of("target", "sim-restart")))) {
      token = first.token();
      delta = SimulatorFixture.deltaLink(first.crawl("/users/delta"));
      delta = delta.substring(first.sim.baseUrl().length());
    }
    try (SimulatorFixture second = new SimulatorFixture(b -> b.stateDir(java.nio.file.Path.of("target", "sim-restart")))) {
      HttpResponse<String> r = second.send(HttpRequest.newBuilder(URI.create(second.sim.baseUrl() + delta))
          .header("Authorization", "Bearer " + token).build());
      assertEquals(400, r.statusCode(), "the token is accepted, the delta link is not");
      assertEquals("syncStateNotFound", SimulatorFixture.errorCode(r));
    }
  }

  @Test
  void unknownGraphSegmentsAnswer400LikeGraph() {
    HttpResponse<String> r = f.get("/nothingHere");
    assertEquals(400, r.statusCode());
    assertEquals("BadRequest", SimulatorFixture.json(r.body()).path("error").path("code").asText());
  }
}
