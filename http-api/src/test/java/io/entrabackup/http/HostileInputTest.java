package io.entrabackup.http;

import static io.entrabackup.http.ApiTestServer.assertProblem;
import static io.entrabackup.http.Stubs.done;
import static io.entrabackup.http.Stubs.stub;
import static io.entrabackup.http.Stubs.unused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.http.account.AccountClient;
import io.entrabackup.http.account.AccountRoutes;
import io.entrabackup.http.auth.BearerKeyAuthenticator;
import io.entrabackup.http.consent.ConsentRoutes;
import io.entrabackup.http.health.HealthCheck;
import io.entrabackup.http.health.HealthRoutes;
import io.entrabackup.http.job.JobClient;
import io.entrabackup.http.job.JobRoutes;
import io.entrabackup.http.object.ObjectClient;
import io.entrabackup.http.object.ObjectRoutes;
import io.entrabackup.http.tenant.TenantClient;
import io.entrabackup.http.tenant.TenantRoutes;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.tenant.ConsentOutcome;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The known hostile inputs of issue 15: answered 4xx with a problem document, and no internal text on any page. */
class HostileInputTest {

  private static final String KEY = "eb_key_of_account_a";
  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
  private static final String SECRET_ADVICE =
      "AADSTS7000215: Invalid client secret provided; check entra-backup.graph.client-secret";

  private static ApiTestServer server;

  @Test
  void aCursorTheClusterDidNotGiveOutIsABadRequest() throws Exception {
    var response = server.send("GET", "/api/v1/tenants/" + TENANT + "/objects/users?cursor=garbage", null, KEY);
    assertProblem(response, 400, "cursor is not one this API gave out");
    assertNoInternals(response.body());
  }

  @Test
  void theConsentPageKeepsTheConfigurationAdviceForTheLog() throws Exception {
    var page = server.send("GET", "/auth/callback?state=s&tenant=t&admin_consent=True", null, null);
    assertEquals(502, page.statusCode(), page.body());
    assertFalse(page.body().contains("AADSTS") || page.body().contains("client-secret"), page.body());
    assertTrue(page.body().contains("tell the MSP operator"), page.body());
  }

  @Test
  void aRequestIdIsTakenOnlyWhenItIsAUuidAndEveryAnswerCarriesOne() throws Exception {
    String mine = "0B5E4C3A-1D2F-4E6A-8B7C-9D0E1F2A3B4C";
    var kept = server.send(server.request("/api/v1/nothing-here").header("Authorization", "Bearer " + KEY)
        .header("X-Request-Id", mine).build());
    assertEquals(404, kept.statusCode(), "a problem document carries it too");
    assertEquals(mine.toLowerCase(), kept.headers().firstValue("X-Request-Id").orElse(""));
    for (String hostile : new String[] {"<script>alert(1)</script>", "0b5e4c3a-1d2f-4e6a-8b7c-9d0e1f2a3b4c-x",
        "x".repeat(5000), "0b5e4c3a1d2f4e6a8b7c9d0e1f2a3b4c"}) {
      var replaced = server.send(server.request("/api/v1/tenants").header("X-Request-Id", hostile).build());
      String answered = replaced.headers().firstValue("X-Request-Id").orElse("");
      assertEquals(answered, java.util.UUID.fromString(answered).toString(), "a fresh UUID for " + hostile);
      assertFalse(replaced.body().contains("script") || answered.equals(hostile), replaced.body());
    }
    var none = server.send(server.request("/health/live").build());
    assertTrue(none.headers().firstValue("X-Request-Id").isPresent(), "one is made when none is sent");
  }

  @Test
  void aBodyOfJsonNullIsABadRequestNotANullPointer() throws Exception {
    var response = server.send("POST", "/api/v1/tenants", "null", KEY);
    assertProblem(response, 400, "The body must be a JSON object");
  }

  @Test
  void aFieldGivenTwiceIsRefused() throws Exception {
    var response = server.send("POST", "/api/v1/tenants", "{\"displayName\":\"A\",\"displayName\":7}", KEY);
    assertProblem(response, 400, "Duplicate field 'displayName'");
    assertNoInternals(response.body());
  }

  @Test
  void textThatIsNotWellFormedUnicodeIsRefusedBeforeItCanBeStored() throws Exception {
    // A lone surrogate used to be taken, then failed to be written as an event: 503 and a crashed entity.
    var response = server.send("POST", "/api/v1/tenants", "{\"displayName\":\"\\ud800\"}", KEY);
    assertProblem(response, 400, "Field 'displayName': is not well-formed Unicode text");
  }

  @Test
  void aDetailQuotingALoneSurrogateIsStillWritten() throws Exception {
    // The value of the wrong type is quoted in the detail; unwritable text there would turn the 400 into a 500.
    var response = server.send("POST", "/api/v1/tenants/" + TENANT + "/activation", "{\"immediateBackup\":\"\\ud800\"}",
        KEY);
    assertProblem(response, 400, "Field 'immediateBackup' has a value of the wrong type: \uFFFD");
  }

  @Test
  void jacksonsOwnWordsStayInside() throws Exception {
    for (String body : new String[] {"[".repeat(1500) + "]".repeat(1500), "{\"displayName\":\"a\u0000\"}",
        "{\"displayName\":\"unterminated", "{\"a\":"}) {
      var response = server.send("POST", "/api/v1/tenants", body, KEY);
      assertEquals(400, response.statusCode(), response.body());
      assertNoInternals(response.body());
    }
  }

  @Test
  void aRequestTooMalformedForTheRoutesGetsAProblemDocumentAndNo5xx() throws Exception {
    assertProblem(server.send(server.request("/api/v1/tenants").method("BREW", HttpRequest.BodyPublishers.noBody())
        .build()), 405, "Unsupported HTTP method");
    assertProblem(server.send(server.request("/api/v1/tenants/" + "a".repeat(3000)).build()), 414, "URI length");
    assertProblem(server.send(server.request("/api/v1/tenants").header("X-Padding", "p".repeat(10_000)).build()), 431,
        "header");
    String answer = server.raw("GET /api/v1/tenants HTTP/9.9\r\nHost: a\r\nConnection: close\r\n\r\n");
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertTrue(answer.contains("application/problem+json"), answer);
  }

  private static void assertNoInternals(String body) {
    for (String internal : new String[] {"Exception", "at io.entrabackup", "io.entrabackup", "[Source", "Jackson",
        "StreamReadConstraints", "`"}) {
      assertFalse(body.contains(internal), body);
    }
  }

  @BeforeAll
  static void bind() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
    var authenticator = new BearerKeyAuthenticator(key -> done(KEY.equals(key)
        ? Optional.of(new Caller(new AccountId("msp-a"), "ka", false))
        : Optional.empty()));
    ObjectClient objects = stub(ObjectClient.class, Map.of(
        "objects", CompletableFuture.failedFuture(new CursorRefused())));
    server = ApiTestServer.start(settings -> new ApiRoutes(authenticator,
        new TenantRoutes(unused(TenantClient.class), new ObjectRoutes(objects, settings, Optional.empty()), settings,
            clock),
        new AccountRoutes(unused(AccountClient.class), settings),
        new JobRoutes(unused(JobClient.class), settings, Optional.empty()),
        new ConsentRoutes(query -> done(new ConsentOutcome(ConsentOutcome.Kind.FAILED, Optional.of(TENANT),
            Optional.empty(), SECRET_ADVICE))),
        new HealthRoutes(unused(HealthCheck.class)),
        Optional.empty()));
  }

  @AfterAll
  static void shutdown() {
    server.close();
  }
}
