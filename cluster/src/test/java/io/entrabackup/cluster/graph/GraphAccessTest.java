package io.entrabackup.cluster.graph;

import static io.entrabackup.testing.Awaits.await;
import static io.entrabackup.testing.Awaits.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.cluster.graph.http.GraphAnswer;
import io.entrabackup.cluster.graph.http.GraphExchange;
import io.entrabackup.cluster.graph.http.GraphTrafficCounter;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GraphAccess against the real simulator over HTTPS: MSAL4J for tokens, the Graph HTTP layer for calls, no mocks. */
class GraphAccessTest {
  static final String CLIENT_ID = "0b5e3c2a-6d1f-4e8a-9c7b-2f4d6e8a0c1e";
  static final String SECRET = "graph-access~test~secret";
  static final String REDIRECT = "http://127.0.0.1:8080/auth/callback";
  static final String TOKEN_OK = "POST /{tenant}/oauth2/v2.0/token 200";
  static final ObjectMapper JSON = new ObjectMapper();

  static Simulator sim;
  /** Consented at start; tests that change consent use their own tenant. */
  static TenantInfo consented;
  static TenantInfo neverConsented;
  static TenantInfo toRevoke;
  static TenantInfo consentsThroughThePage;
  static TenantInfo consentedForUsersOnly;

  ExecutorService blocking;
  AtomicInteger blockingTasks;

  @BeforeAll
  static void startSimulator() {
    sim = Simulator.start(SimulatorConfig.builder().port(0).tenants(5).users(20).groups(5).seed(7)
        .stateDir(Path.of("target", "graph-access-sim")).consentMode("page").build());
    sim.registerApp(CLIENT_ID, SECRET, List.of(REDIRECT));
    List<TenantInfo> tenants = sim.tenants();
    consented = tenants.get(0);
    neverConsented = tenants.get(1);
    toRevoke = tenants.get(2);
    consentsThroughThePage = tenants.get(3);
    consentedForUsersOnly = tenants.get(4);
    sim.admin().consent(consentedForUsersOnly.id(), CLIENT_ID, List.of("User.Read.All"));
    sim.admin().consent(consented.id(), CLIENT_ID, null);
    sim.admin().consent(toRevoke.id(), CLIENT_ID, null);
  }

  @AfterAll
  static void stopSimulator() {
    sim.close();
  }

  @BeforeEach
  void startExecutor() {
    blocking = Executors.newFixedThreadPool(2);
    blockingTasks = new AtomicInteger();
    sim.admin().resetStats();
  }

  @AfterEach
  void stopExecutor() {
    blocking.shutdownNow();
  }

  GraphSettings settings(String secret, Duration refreshMargin) {
    return GraphSettings.create(ConfigFactory.parseMap(Map.of(
            "entra-backup.graph.login-base-url", sim.baseUrl(),
            "entra-backup.graph.graph-base-url", sim.graphBaseUrl(),
            "entra-backup.graph.client-id", CLIENT_ID,
            "entra-backup.graph.client-secret", secret,
            "entra-backup.graph.redirect-uri", REDIRECT,
            "entra-backup.graph.trust-store", sim.trustStorePath().toString(),
            "entra-backup.graph.trust-store-password", sim.trustStorePassword(),
            "entra-backup.graph.token-refresh-margin", refreshMargin.toSeconds() + "s"))
        .withFallback(ConfigFactory.defaultReference()));
  }

  GraphAccess access() {
    return access(SECRET, Duration.ofMinutes(5));
  }

  GraphAccess access(String secret, Duration refreshMargin) {
    return new GraphAccess(settings(secret, refreshMargin), task -> {
      blockingTasks.incrementAndGet();
      blocking.execute(task);
    });
  }

  static long count(String endpointAndStatus) {
    @SuppressWarnings("unchecked")
    Map<String, Long> by = (Map<String, Long>) sim.admin().stats().get("byEndpointAndStatus");
    return by.getOrDefault(endpointAndStatus, 0L);
  }

  static JsonNode claims(String jwt) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }

  @Test
  void accessTokenIsAcquiredThroughMsalForTheRequestedTenant() throws Exception {
    try (GraphAccess graph = access()) {
      String token = await(graph.accessToken(consented.id()));
      JsonNode claims = claims(token);
      assertEquals(consented.id(), claims.path("tid").asText(), "MSAL put the per-call tenant into the authority");
      assertEquals(CLIENT_ID, claims.path("appid").asText());
      assertEquals(1, count(TOKEN_OK));
      @SuppressWarnings("unchecked")
      Map<String, Long> by = (Map<String, Long>) sim.admin().stats().get("byEndpointAndStatus");
      assertTrue(by.keySet().stream().noneMatch(k -> k.contains("discovery") || k.contains("openid")),
          "no instance discovery or metadata call: " + by);
      assertTrue(blockingTasks.get() > 0, "the token request ran on the blocking executor");
    }
  }

  @Test
  void aSecondAccessTokenCallIsServedFromTheCache() throws Exception {
    try (GraphAccess graph = access()) {
      String first = await(graph.accessToken(consented.id()));
      String second = await(graph.accessToken(consented.id()));
      await(graph.readOrganization(consented.id()));
      assertEquals(first, second);
      assertEquals(1, count(TOKEN_OK), "one token request for two accessToken calls and a Graph call");
    }
  }

  @Test
  void concurrentCallsForOneTenantShareOneTokenRequest() throws Exception {
    try (GraphAccess graph = access()) {
      List<CompletionStage<String>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        calls.add(graph.accessToken(consented.id()));
        calls.add(graph.readOrganization(consented.id()).thenApply(Organization::tenantId));
      }
      for (CompletionStage<String> call : calls) {
        await(call);
      }
      assertEquals(1, count(TOKEN_OK));
    }
  }

  @Test
  void aTenantsRequestsGoThroughTheHttpLayerAndARefusalIsAnsweredOnceNotRetried() throws Exception {
    try (GraphAccess graph = access()) {
      String tenant = consentedForUsersOnly.id();
      var users = await(graph.http().send(GraphExchange.of(tenant, "GET", sim.graphBaseUrl() + "/users",
          Optional.empty(), "users", graph.settings().http().consentCheck(), new GraphTrafficCounter())));
      assertEquals(200, users.status());
      assertEquals(20, users.body().path("value").size());
      GraphTrafficCounter traffic = new GraphTrafficCounter();
      GraphAnswer refused = await(graph.http().send(GraphExchange.of(tenant, "GET", sim.graphBaseUrl() + "/groups",
          Optional.empty(), "groups", graph.settings().http().consentCheck(), traffic)));
      assertEquals(403, refused.status());
      assertEquals(1, traffic.total().requests(), "a 403 is not retried");
      assertEquals(1, count("GET /v1.0/groups 403"));
      AuthorizationLostException e = assertInstanceOf(AuthorizationLostException.class, GraphFailures.fromGraph(tenant,
          refused.status(), refused.errorCode(), refused.errorMessage(), null));
      assertEquals("Authorization_RequestDenied", e.errorCode());
      assertTrue(e.getMessage().contains("403"), e.getMessage());
    }
  }

  @Test
  void aTokenInsideTheRefreshMarginIsReplaced() throws Exception {
    // Tokens live 3599 s; a two-hour margin makes every cached token due for refresh.
    try (GraphAccess graph = access(SECRET, Duration.ofHours(2))) {
      await(graph.accessToken(consented.id()));
      await(graph.accessToken(consented.id()));
      assertEquals(2, count(TOKEN_OK));
    }
  }

  @Test
  void readOrganizationReturnsTheTenantsIdNameAndVerifiedDomains() throws Exception {
    try (GraphAccess graph = access()) {
      Organization org = await(graph.readOrganization(consented.id()));
      assertEquals(consented.id(), org.tenantId());
      assertEquals(consented.displayName(), org.displayName());
      assertTrue(org.verifiedDomains().contains(consented.domain()), org.toString());
      assertEquals(consented.domain(), org.defaultDomain());
      assertEquals(1, count("GET /v1.0/organization 200"));
    }
  }

  @Test
  void aTenantThatNeverConsentedFailsWithAuthorizationLostAndMicrosoftsReason() throws Exception {
    try (GraphAccess graph = access()) {
      AuthorizationLostException e = assertInstanceOf(AuthorizationLostException.class,
          failureOf(graph.readOrganization(neverConsented.id())));
      assertEquals("unauthorized_client", e.errorCode());
      assertTrue(e.getMessage().contains("AADSTS700016"), e.getMessage());
      assertTrue(e.getMessage().contains("admin consent"), e.getMessage());
      assertEquals(Optional.of(neverConsented.id()), e.tenantId());
      assertFalse(e.isRetriable());
      assertInstanceOf(AuthorizationLostException.class, failureOf(graph.accessToken(neverConsented.id())));
      assertEquals(0, count("GET /v1.0/organization 200") + count("GET /v1.0/organization 401"), "no Graph call without a token");
    }
  }

  @Test
  void revokedConsentFailsWithAuthorizationLostOnceTheIssuedTokenIsGone() throws Exception {
    try (GraphAccess graph = access()) {
      await(graph.readOrganization(toRevoke.id()));
      sim.admin().revokeConsent(toRevoke.id(), CLIENT_ID);
      // Issued tokens stay valid until they expire, as with Microsoft: the cached one still works.
      await(graph.readOrganization(toRevoke.id()));
      // A fresh process has no cached token and is refused one.
      try (GraphAccess fresh = access()) {
        AuthorizationLostException e = assertInstanceOf(AuthorizationLostException.class,
            failureOf(fresh.accessToken(toRevoke.id())));
        assertEquals("unauthorized_client", e.errorCode());
      }
      // Once the cached token expires (simulator time), Graph answers 401; the token is then dropped and the same
      // request asks the token endpoint for a fresh one, which refuses.
      sim.admin().advanceClock(Duration.ofHours(2));
      try {
        AuthorizationLostException expired = assertInstanceOf(AuthorizationLostException.class,
            failureOf(graph.readOrganization(toRevoke.id())));
        assertEquals("unauthorized_client", expired.errorCode());
        assertEquals(1, count("GET /v1.0/organization 401"), "one 401, then no request without a token");
        AuthorizationLostException refused = assertInstanceOf(AuthorizationLostException.class,
            failureOf(graph.readOrganization(toRevoke.id())));
        assertEquals("unauthorized_client", refused.errorCode());
      } finally {
        sim.admin().advanceClock(Duration.ofHours(-2));
        sim.admin().consent(toRevoke.id(), CLIENT_ID, null);
      }
    }
  }

  @Test
  void aWrongClientSecretFailsWithAppCredentialRejectedNotAuthorizationLost() throws Exception {
    String wrong = "not-the-secret-" + System.nanoTime();
    try (GraphAccess graph = access(wrong, Duration.ofMinutes(5))) {
      AppCredentialRejectedException e = assertInstanceOf(AppCredentialRejectedException.class,
          failureOf(graph.readOrganization(consented.id())));
      assertEquals("invalid_client", e.errorCode());
      assertTrue(e.getMessage().contains("AADSTS7000215"), e.getMessage());
      assertTrue(e.getMessage().contains("client-secret"), e.getMessage());
      assertFalse(e.getMessage().contains(wrong), "the secret never shows in a message");
      // A failed fetch is not cached: the next call asks again.
      failureOf(graph.accessToken(consented.id()));
      assertEquals(2, count("POST /{tenant}/oauth2/v2.0/token 401"));
    }
  }

  @Test
  void theAdminConsentUrlHasTheIdentityPlatformsShapeAndTheSimulatorAcceptsIt() throws Exception {
    try (GraphAccess graph = access()) {
      String state = "st/ate+1 ü&x=y";
      String encodedState = "st%2Fate%2B1+%C3%BC%26x%3Dy";
      String query = "?client_id=" + CLIENT_ID + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
          + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fauth%2Fcallback&state=" + encodedState;
      assertEquals(sim.baseUrl() + "/organizations/v2.0/adminconsent" + query, graph.adminConsentUrl(Optional.empty(), state));
      String url = graph.adminConsentUrl(Optional.of(consentsThroughThePage.id()), state);
      assertEquals(sim.baseUrl() + "/" + consentsThroughThePage.id() + "/v2.0/adminconsent" + query, url);

      // The tenant admin clicks Accept on the simulator's consent page.
      HttpResponse<String> answer = sim.httpClient().send(
          HttpRequest.newBuilder(URI.create(url + "&sim_decision=accept")).GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertEquals(302, answer.statusCode(), answer.body());
      String location = answer.headers().firstValue("Location").orElseThrow();
      assertTrue(location.startsWith(REDIRECT + "?"), location);
      assertTrue(location.contains("tenant=" + consentsThroughThePage.id()), location);
      assertTrue(location.contains("admin_consent=True"), location);
      assertTrue(location.contains("state=" + encodedState), "state round-trips: " + location);
      assertEquals(consentsThroughThePage.id(), await(graph.readOrganization(consentsThroughThePage.id())).tenantId());
    }
  }

  @Test
  void aSingleThreadedBlockingExecutorDoesNotDeadlockOnATokenFetch() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    try (GraphAccess graph = new GraphAccess(settings(SECRET, Duration.ofMinutes(5)), single)) {
      // The organization read claims the token fetch on the only thread; accessToken must not queue a second one
      // that the read would wait for.
      CompletionStage<Organization> org = graph.readOrganization(consented.id());
      CompletionStage<String> token = graph.accessToken(consented.id());
      assertEquals(consented.id(), await(org).tenantId());
      assertEquals(consented.id(), claims(await(token)).path("tid").asText());
      assertEquals(1, count(TOKEN_OK));
    } finally {
      single.shutdownNow();
    }
  }

  @Test
  void graph503sThatOutlastTheConsentChecksBudgetFailAsTransientAfterExactlyItsAttempts() throws Exception {
    sim.admin().addFault(io.entrabackup.simulator.throttle.Faults.Kind.STATUS_503, 1.0, -1, "/organization", 0.0, 0);
    try (GraphAccess graph = access()) {
      TransientGraphException e = assertInstanceOf(TransientGraphException.class,
          failureOf(graph.readOrganization(consented.id())));
      assertTrue(e.isRetriable());
      assertTrue(e.getMessage().contains("503"), e.getMessage());
      // consent-check.max-attempts = 3, each sent once: no retry handler of the SDK inside ours.
      assertEquals(3, count("GET /v1.0/organization 503"));
      assertTrue(e.getMessage().contains("client-request-id "), e.getMessage());
    } finally {
      sim.admin().clearFaults();
    }
  }

  @Test
  void tokensAreSentToTheGraphHostOnly() throws Exception {
    try (GraphAccess graph = access()) {
      var provider = new io.entrabackup.cluster.graph.internal.GraphTokenProvider(consented.id(),
          graph.settings().graphUri(), null, GraphAccessException.class::cast);
      URI graphHost = URI.create(sim.graphBaseUrl() + "/users");
      assertEquals("", provider.getAuthorizationToken(URI.create("https://evil.example/v1.0/users"), Map.of()));
      assertEquals("", provider.getAuthorizationToken(URI.create("http://127.0.0.1:" + sim.port() + "/v1.0/users"), Map.of()));
      assertEquals("", provider.getAuthorizationToken(URI.create("https://127.0.0.1:1/v1.0/users"), Map.of()));
      assertNotEquals(graphHost.getPort(), 1);
      assertEquals(0, count(TOKEN_OK));
    }
  }

  @Test
  void settingsNeverShowTheSecretAndReadItFromAFile() throws Exception {
    GraphSettings s = settings(SECRET, Duration.ofMinutes(5));
    assertFalse(s.toString().contains(SECRET), s.toString());
    assertEquals("***", s.clientSecret().toString());
    assertEquals("https://graph.microsoft.com/.default", s.scope());
    assertEquals(Duration.ofMinutes(5), s.tokenRefreshMargin());
    GraphSettings defaults = GraphSettings.create(ConfigFactory.defaultReference());
    assertEquals("https://login.microsoftonline.com", defaults.loginBaseUrl());
    assertEquals("https://graph.microsoft.com/v1.0", defaults.graphBaseUrl());
    assertEquals(Optional.empty(), defaults.trustStore());
    assertFalse(defaults.isConfigured());
    Path file = Path.of("target", "graph-access-secret.txt");
    java.nio.file.Files.writeString(file, "from-a-file\n");
    GraphSettings fromFile = GraphSettings.create(ConfigFactory.parseMap(Map.of(
        "entra-backup.graph.client-secret-file", file.toString())).withFallback(ConfigFactory.defaultReference()));
    assertEquals("from-a-file", fromFile.clientSecret().value());
  }
}
