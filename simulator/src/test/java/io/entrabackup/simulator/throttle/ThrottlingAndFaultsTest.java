package io.entrabackup.simulator.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ThrottlingAndFaultsTest {
  @RegisterExtension
  final SimulatorFixture f = SimulatorFixture.start();

  @BeforeEach
  void fetchTheTokenBeforeAnyFaultIsSet() {
    f.token();
  }

  private static JsonNode example(String name) throws IOException {
    return SimulatorFixture.JSON.readTree(ThrottlingAndFaultsTest.class.getResourceAsStream("/graph-examples/" + name));
  }

  @Test
  void aScaledDownBudgetAnswers429WithRetryAfterAndThrottleScopeAndTheDocumentedBody() throws IOException {
    f.sim.admin().throttle(0.001, true, null);
    HttpResponse<String> r = null;
    int ok = 0;
    for (int i = 0; i < 10; i++) {
      r = f.get("/users");
      if (r.statusCode() == 429) {
        break;
      }
      ok++;
    }
    assertEquals(429, r.statusCode());
    assertEquals(2, ok, "50-user tenant: 5,000 RU x 0.001 = 5 RU; GET /users costs 2");
    double retryAfter = Double.parseDouble(r.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 10, "retry after " + retryAfter);
    assertEquals("Tenant_Application/ReadWrite/" + SimulatorFixture.CLIENT_ID + "/" + f.tenant.id(),
        r.headers().firstValue("x-ms-throttle-scope").orElseThrow(), "<Scope>/<Limit>/<ApplicationId>/<TenantId>");
    assertEquals("ResourceUnitLimitExceeded", r.headers().firstValue("x-ms-throttle-information").orElseThrow());
    JsonNode body = SimulatorFixture.json(r.body());
    JsonNode doc = example("error-429.json");
    assertEquals(doc.get("error").get("code"), body.get("error").get("code"));
    assertTrue(body.get("error").get("innerError").has("request-id"));
    assertEquals(1L, f.sim.admin().stats().get("throttled429"));
    f.sim.admin().throttle(1.0, null, null);
    assertEquals(200, f.get("/users").statusCode());
  }

  @Test
  void selectLowersTheCostOfAUsersList() {
    f.sim.admin().throttle(0.001, true, null);
    int ok = 0;
    while (f.get("/users?$select=id").statusCode() == 200 && ok < 10) {
      ok++;
    }
    assertEquals(5, ok, "GET /users with $select costs 1");
  }

  @Test
  void aSmallTopLowersTheCostAndPast80PercentTheLimitPercentageHeaderAppears() {
    f.sim.admin().throttle(0.001, true, null);
    HttpResponse<String> first = f.get("/users?$top=5");
    assertEquals("1", first.headers().firstValue("x-ms-resource-unit").orElseThrow(), "GET /users 2, $top < 20 -1");
    f.get("/users?$top=5");
    f.get("/users?$top=5");
    HttpResponse<String> fourth = f.get("/users?$top=5");
    assertEquals("0.8", fourth.headers().firstValue("x-ms-throttle-limit-percentage").orElseThrow());
  }

  @Test
  void fractionalRetryAfterCanBeSwitchedOn() {
    f.sim.admin().throttle(0.0001, true, true);
    HttpResponse<String> r = f.get("/users");
    r = r.statusCode() == 429 ? r : f.get("/users");
    assertTrue(r.headers().firstValue("Retry-After").orElseThrow().contains("."));
  }

  @Test
  void an503FaultWithRetryAfterHitsOnceThenServiceResumes() {
    f.sim.admin().addFault(Faults.Kind.STATUS_503, 1.0, 1, "/users", 2.0, 0);
    HttpResponse<String> r = f.get("/users");
    assertEquals(503, r.statusCode());
    assertEquals("2", r.headers().firstValue("Retry-After").orElseThrow());
    assertEquals(200, f.get("/users").statusCode());
  }

  @Test
  void a504FaultCanComeWithoutRetryAfter() {
    f.sim.admin().addFault(Faults.Kind.STATUS_504, 1.0, 1, "", null, 0);
    HttpResponse<String> r = f.get("/groups");
    assertEquals(504, r.statusCode());
    assertTrue(r.headers().firstValue("Retry-After").isEmpty());
  }

  @Test
  void aSlowFaultDelaysTheAnswer() {
    f.sim.admin().addFault(Faults.Kind.SLOW, 1.0, 1, "", null, 400);
    long t0 = System.nanoTime();
    assertEquals(200, f.get("/users").statusCode());
    assertTrue((System.nanoTime() - t0) / 1_000_000 >= 400);
  }

  @Test
  void aResetFaultBreaksTheConnection() {
    // Unlimited while asserting: java.net.http retries an idempotent GET once when the connection drops early.
    f.sim.admin().addFault(Faults.Kind.RESET, 1.0, -1, "", null, 0);
    HttpRequest req = HttpRequest.newBuilder(URI.create(f.sim.graphBaseUrl() + "/users"))
        .header("Authorization", "Bearer " + f.token()).build();
    assertThrows(IOException.class, () -> f.http.send(req, HttpResponse.BodyHandlers.ofString()));
    f.sim.admin().clearFaults();
    assertEquals(200, f.get("/users").statusCode());
  }

  @Test
  void aTruncateFaultCutsThePageMidJson() {
    f.sim.admin().addFault(Faults.Kind.TRUNCATE, 1.0, 1, "/users/delta", null, 0);
    HttpResponse<String> r = f.get("/users/delta");
    assertEquals(200, r.statusCode());
    assertThrows(IOException.class, () -> SimulatorFixture.JSON.readTree(r.body()));
  }

  @Test
  void anExpiredDeltaFaultAnswersSyncStateNotFoundAndAGoneFaultAnswers410WithLocation() {
    List<JsonNode> pages = f.crawl("/users/delta");
    String delta = SimulatorFixture.deltaLink(pages);
    f.sim.admin().addFault(Faults.Kind.EXPIRED_DELTA, 1.0, 1, "/users/delta", null, 0);
    HttpResponse<String> r = f.get(delta);
    assertEquals(400, r.statusCode());
    assertEquals("syncStateNotFound", SimulatorFixture.errorCode(r));
    f.sim.admin().addFault(Faults.Kind.GONE_410, 1.0, 1, "/users/delta", null, 0);
    HttpResponse<String> gone = f.get(delta);
    assertEquals(410, gone.statusCode());
    assertEquals(f.sim.graphBaseUrl() + "/users/delta", gone.headers().firstValue("Location").orElseThrow());
  }

  @Test
  void anExpiredAccessTokenFaultAnswers401Once() {
    f.sim.admin().addFault(Faults.Kind.EXPIRED_ACCESS_TOKEN, 1.0, 1, "", null, 0);
    HttpResponse<String> r = f.get("/users");
    assertEquals(401, r.statusCode());
    assertEquals("InvalidAuthenticationToken", SimulatorFixture.errorCode(r));
    assertEquals(200, f.get("/users").statusCode());
  }

  @Test
  void theTokenEndpointCanBeFaultedButOnlyByARuleThatNamesItsPath() {
    f.sim.admin().addFault(Faults.Kind.STATUS_504, 1.0, 1, "", null, 0);
    assertTrue(f.tokenFor(f.tenant.id(), SimulatorFixture.CLIENT_ID, SimulatorFixture.SECRET).has("access_token"));
    f.sim.admin().clearFaults();
    f.sim.admin().addFault(Faults.Kind.STATUS_503, 1.0, 1, "/oauth2/v2.0/token", 1.0, 0);
    JsonNode refused = f.tokenFor(f.tenant.id(), SimulatorFixture.CLIENT_ID, SimulatorFixture.SECRET);
    assertEquals("temporarily_unavailable", refused.get("error").asText());
    assertTrue(f.tokenFor(f.tenant.id(), SimulatorFixture.CLIENT_ID, SimulatorFixture.SECRET).has("access_token"));
  }

  @Test
  void aFaultRateBelowOneHitsSomeRequestsRepeatably() {
    f.sim.admin().addFault(Faults.Kind.STATUS_503, 0.3, -1, "/organization", null, 0);
    int failed = 0;
    for (int i = 0; i < 40; i++) {
      if (f.get("/organization").statusCode() == 503) {
        failed++;
      }
    }
    assertTrue(failed > 3 && failed < 25, "failed " + failed);
    f.sim.admin().clearFaults();
    assertEquals(200, f.get("/organization").statusCode());
  }

  @Test
  void theRequestLogCountsRequestsByEndpointAndStatusWithResourceUnitsAndBytes() {
    f.sim.admin().resetStats();
    f.get("/users");
    f.get("/users/delta");
    f.get("/users/6f1c1b0e-0000-4000-8000-000000000000");
    Map<String, Object> stats = f.sim.admin().stats();
    @SuppressWarnings("unchecked")
    Map<String, Long> by = (Map<String, Long>) stats.get("byEndpointAndStatus");
    assertEquals(1L, by.get("GET /v1.0/users 200"));
    assertEquals(1L, by.get("GET /v1.0/users/delta 200"));
    assertEquals(1L, by.get("GET /v1.0/users/{id} 404"));
    assertEquals(4L, stats.get("resourceUnits"));
    assertTrue((Long) stats.get("bytesSent") > 1000);
    assertFalse(by.isEmpty());
  }
}
