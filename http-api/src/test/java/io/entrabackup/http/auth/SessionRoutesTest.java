package io.entrabackup.http.auth;

import static io.entrabackup.http.ApiTestServer.assertProblem;
import static io.entrabackup.http.ApiTestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.http.ApiRoutes;
import io.entrabackup.http.ApiTestServer;
import io.entrabackup.http.Stubs;
import io.entrabackup.http.account.AccountClient;
import io.entrabackup.http.account.AccountRoutes;
import io.entrabackup.http.consent.ConsentClient;
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
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/session}: any valid key learns its own account, id and scopes; nothing else answers. */
class SessionRoutesTest {

  private static final String READER = "reader-secret";
  private static final String OPERATOR = "operator-secret";
  private static final String INSTALL_ADMIN = "bootstrap-secret";

  private static ApiTestServer server;

  @Test
  void aReadOnlyKeyLearnsItsAccountIdAndScopes() throws Exception {
    var answer = server.send("GET", "/api/v1/session", null, READER);

    assertEquals(200, answer.statusCode(), answer.body());
    JsonNode session = json(answer);
    assertEquals("msp-a", session.get("account").asText());
    assertEquals("wall-screen", session.get("keyId").asText());
    assertEquals("[\"read\"]", session.get("scopes").toString());
    assertFalse(session.get("installAdmin").asBoolean());
  }

  @Test
  void scopesAreListedInTheirOrderWhateverTheKeyHolds() throws Exception {
    JsonNode session = json(server.send("GET", "/api/v1/session", null, OPERATOR));

    assertEquals("[\"operate\",\"restore\"]", session.get("scopes").toString());
  }

  @Test
  void theInstallAdministratorIsToldSo() throws Exception {
    JsonNode session = json(server.send("GET", "/api/v1/session", null, INSTALL_ADMIN));

    assertEquals("msp", session.get("account").asText());
    assertEquals(true, session.get("installAdmin").asBoolean());
    assertEquals("[\"read\",\"operate\",\"restore\",\"admin\"]", session.get("scopes").toString());
  }

  @Test
  void theAnswerHoldsNothingButTheSessionNeverTheSecret() throws Exception {
    var answer = server.send("GET", "/api/v1/session", null, READER);

    assertEquals(Set.of("account", "keyId", "scopes", "installAdmin"), fieldNames(json(answer)));
    assertFalse(answer.body().contains(READER), answer.body());
  }

  @Test
  void anUnknownKeyOrNoKeyIsUnauthorized() throws Exception {
    assertProblem(server.send("GET", "/api/v1/session", null, "not-a-key"), 401, "valid account API key");
    assertProblem(server.send(server.request("/api/v1/session").GET().build()), 401, "valid account API key");
  }

  @Test
  void theSessionIsOnlyRead() throws Exception {
    var posted = server.send("POST", "/api/v1/session", "{}", READER);

    assertNotEquals(200, posted.statusCode(), posted.body());
    assertEquals(405, posted.statusCode(), posted.body());
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new java.util.HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @BeforeAll
  static void bind() throws Exception {
    Map<String, Caller> callers = Map.of(
        READER, new Caller(new AccountId("msp-a"), "wall-screen", Set.of(Scope.READ), false),
        OPERATOR, new Caller(new AccountId("msp-a"), "desk", Set.of(Scope.RESTORE, Scope.OPERATE), false),
        INSTALL_ADMIN, new Caller(new AccountId("msp"), "bootstrap", Scope.ALL, true));
    var authenticator = new BearerKeyAuthenticator(key -> CompletableFuture.completedFuture(
        Optional.ofNullable(callers.get(key))));
    server = ApiTestServer.start(settings -> new ApiRoutes(authenticator,
        new TenantRoutes(Stubs.unused(TenantClient.class),
            new ObjectRoutes(Stubs.unused(ObjectClient.class), settings, Optional.empty()), settings,
            Clock.systemUTC()),
        new AccountRoutes(Stubs.unused(AccountClient.class), settings),
        new JobRoutes(Stubs.unused(JobClient.class), settings, Optional.empty()),
        new ConsentRoutes(Stubs.unused(ConsentClient.class)),
        new HealthRoutes(Stubs.unused(HealthCheck.class)),
        Optional.empty()));
  }

  @AfterAll
  static void shutdown() {
    server.close();
  }
}
