package io.entrabackup.http.account;

import static io.entrabackup.http.ApiTestServer.assertProblem;
import static io.entrabackup.http.ApiTestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.http.ApiRoutes;
import io.entrabackup.http.ApiTestServer;
import io.entrabackup.http.Stubs;
import io.entrabackup.http.auth.BearerKeyAuthenticator;
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
import io.entrabackup.protocol.account.ApiKeyView;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.CreatedAccount;
import io.entrabackup.protocol.account.NewApiKey;
import io.entrabackup.protocol.account.Scope;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may make, revoke and rotate keys: never more than the caller holds; the bootstrap key is configuration's. */
class KeyManagementRoutesTest {

  private static final AccountId MSP = new AccountId("msp");
  private static final AccountId ACCOUNT = new AccountId("msp-a");
  private static final AccountId OTHER = new AccountId("msp-b");
  private static final String INSTALL_ADMIN = "bootstrap-secret";
  private static final String MSP_ADMIN = "msp-admin-secret";
  private static final String FIRST = "first-secret";
  private static final String READ_ADMIN = "read-admin-secret";
  private static final String OPERATOR = "operator-secret";
  private static final String OTHER_FIRST = "b-first-secret";

  private static final Keys keys = new Keys();
  private static ApiTestServer server;

  @Test
  void aNewKeyCarriesTheScopesAskedForAndTheListShowsThem() throws Exception {
    JsonNode created = json(created(send("POST", "/api/v1/accounts/msp-a/keys",
        "{\"name\":\"ticketing\",\"scopes\":[\"operate\",\"read\"]}", FIRST)));
    assertEquals("[\"read\",\"operate\"]", created.get("scopes").toString());
    assertTrue(created.get("key").asText().startsWith("eb_"));

    JsonNode listed = listed(created.get("keyId").asText());
    assertEquals("[\"read\",\"operate\"]", listed.get("scopes").toString());
    assertEquals(false, listed.get("installAdmin").asBoolean());
    assertEquals(false, listed.get("admin").asBoolean(), "installAdmin's former name, for one more release");
  }

  @Test
  void aKeyAskedForWithoutScopesMayOnlyRead() throws Exception {
    JsonNode created = json(created(send("POST", "/api/v1/accounts/msp-a/keys", "{\"name\":\"dashboard\"}", FIRST)));

    assertEquals("[\"read\"]", created.get("scopes").toString());
  }

  @Test
  void unknownOrNoScopesAreABadRequest() throws Exception {
    assertProblem(send("POST", "/api/v1/accounts/msp-a/keys", "{\"name\":\"x\",\"scopes\":[\"root\"]}", FIRST),
        400, "scope must be one of read, operate, restore, admin");
    assertProblem(send("POST", "/api/v1/accounts/msp-a/keys", "{\"name\":\"x\",\"scopes\":[]}", FIRST),
        400, "at least one");
    assertEquals(400, send("POST", "/api/v1/accounts/msp-a/keys", "{\"name\":\"x\",\"scopes\":\"read\"}", FIRST)
        .statusCode());
    assertEquals(400, send("POST", "/api/v1/accounts/msp-a/keys", "{\"name\":\"x\",\"scopes\":[null]}", FIRST)
        .statusCode());
  }

  @Test
  void aKeyCannotGrantAScopeItLacks() throws Exception {
    assertProblem(send("POST", "/api/v1/accounts/msp-a/keys", "{\"name\":\"x\",\"scopes\":[\"read\",\"restore\"]}",
        READ_ADMIN), 403, "cannot grant the scope 'restore'");
    created(send("POST", "/api/v1/accounts/msp-a/keys", "{\"name\":\"x\",\"scopes\":[\"read\",\"admin\"]}",
        READ_ADMIN));
  }

  @Test
  void theInstallAdministratorGrantsAnythingInAnyAccount() throws Exception {
    JsonNode created = json(created(send("POST", "/api/v1/accounts/msp-b/keys",
        "{\"name\":\"x\",\"scopes\":[\"restore\",\"admin\"]}", INSTALL_ADMIN)));
    assertEquals("[\"restore\",\"admin\"]", created.get("scopes").toString());
  }

  @Test
  void aKeyWithoutAdminCannotManageKeysAndAnotherAccountsKeysAreNotThere() throws Exception {
    assertProblem(send("GET", "/api/v1/accounts/msp-a/keys", null, OPERATOR), 403, "'admin' scope");
    assertProblem(send("DELETE", "/api/v1/accounts/msp-a/keys/first", null, OPERATOR), 403, "'admin' scope");
    assertProblem(send("GET", "/api/v1/accounts/msp-b/keys", null, FIRST), 404, "No such account");
    assertProblem(send("DELETE", "/api/v1/accounts/msp-b/keys/b-first", null, FIRST), 404, "No such account");
  }

  @Test
  void aKeyRevokesOnlyKeysItCouldHaveMade() throws Exception {
    String reader = json(created(send("POST", "/api/v1/accounts/msp-a/keys",
        "{\"name\":\"r\",\"scopes\":[\"read\"]}", FIRST))).get("keyId").asText();

    assertProblem(send("DELETE", "/api/v1/accounts/msp-a/keys/first", null, READ_ADMIN), 403,
        "cannot revoke key first, which has the scopes 'operate', 'restore'");
    assertEquals(204, send("DELETE", "/api/v1/accounts/msp-a/keys/" + reader, null, READ_ADMIN).statusCode());
    assertTrue(listed(reader).has("revokedAt"));
    assertProblem(send("DELETE", "/api/v1/accounts/msp-a/keys/nope", null, READ_ADMIN), 404, "No key nope");
  }

  @Test
  void onlyTheInstallAdministratorRevokesTheBootstrapKeyAndNobodyRotatesIt() throws Exception {
    assertProblem(send("DELETE", "/api/v1/accounts/msp/keys/bootstrap", null, MSP_ADMIN), 403,
        "managed by configuration");
    assertProblem(send("POST", "/api/v1/accounts/msp/keys/bootstrap/rotate", "", INSTALL_ADMIN), 403,
        "entra-backup.auth.bootstrap-key");
    assertEquals(false, keys.revoked(MSP, "bootstrap"));
  }

  @Test
  void rotatingGivesANewSecretForTheSameKeyAndRevokedKeysStayRevoked() throws Exception {
    JsonNode made = json(created(send("POST", "/api/v1/accounts/msp-a/keys",
        "{\"name\":\"rot\",\"scopes\":[\"read\",\"operate\"]}", FIRST)));
    String keyId = made.get("keyId").asText();

    var rotated = send("POST", "/api/v1/accounts/msp-a/keys/" + keyId + "/rotate", "", FIRST);
    assertEquals(200, rotated.statusCode(), rotated.body());
    JsonNode fresh = json(rotated);
    assertEquals(keyId, fresh.get("keyId").asText());
    assertEquals("[\"read\",\"operate\"]", fresh.get("scopes").toString());
    assertNotEquals(made.get("key").asText(), fresh.get("key").asText());
    assertProblem(send("POST", "/api/v1/accounts/msp-a/keys/" + keyId + "/rotate", "", READ_ADMIN), 403,
        "cannot rotate key " + keyId);

    assertEquals(204, send("DELETE", "/api/v1/accounts/msp-a/keys/" + keyId, null, FIRST).statusCode());
    assertProblem(send("POST", "/api/v1/accounts/msp-a/keys/" + keyId + "/rotate", "", FIRST), 409, "revoked");
  }

  @Test
  void anAccountHoldsAtMostItsLimitOfLiveKeysAndARevokedKeyMakesRoomAgain() throws Exception {
    // reference.conf's max-keys-per-account (50); the account holds a key or two already (other tests add to it).
    String last = null;
    HttpResponse<String> answer = null;
    for (int i = 1; i <= 60; i++) {
      answer = send("POST", "/api/v1/accounts/msp-b/keys", "{\"name\":\"k" + i + "\"}", OTHER_FIRST);
      if (answer.statusCode() != 201) {
        break;
      }
      last = json(answer).get("keyId").asText();
    }

    assertProblem(answer, 409, "limit of 50 live API keys");
    long live = 0;
    for (JsonNode key : json(send("GET", "/api/v1/accounts/msp-b/keys", null, OTHER_FIRST)).get("items")) {
      live += key.hasNonNull("revokedAt") ? 0 : 1;
    }
    assertEquals(50, live);
    assertEquals(204, send("DELETE", "/api/v1/accounts/msp-b/keys/" + last, null, OTHER_FIRST).statusCode());
    created(send("POST", "/api/v1/accounts/msp-b/keys", "{\"name\":\"instead\"}", OTHER_FIRST));
  }

  private static HttpResponse<String> created(HttpResponse<String> response) {
    assertEquals(201, response.statusCode(), response.body());
    return response;
  }

  private static JsonNode listed(String keyId) throws Exception {
    var list = send("GET", "/api/v1/accounts/msp-a/keys", null, FIRST);
    assertEquals(200, list.statusCode(), list.body());
    for (JsonNode key : json(list).get("items")) {
      if (key.get("keyId").asText().equals(keyId)) {
        return key;
      }
    }
    throw new AssertionError("key " + keyId + " not listed: " + list.body());
  }

  private static HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
    return server.send(method, path, body, key);
  }

  @BeforeAll
  static void bind() throws Exception {
    keys.put(MSP, "bootstrap", Scope.ALL, true);
    keys.put(ACCOUNT, "first", Scope.ALL, false);
    keys.put(OTHER, "b-first", Scope.ALL, false);
    Map<String, Caller> callers = Map.of(
        INSTALL_ADMIN, new Caller(MSP, "bootstrap", Scope.ALL, true),
        MSP_ADMIN, new Caller(MSP, "msp-admin", Scope.ALL, false),
        FIRST, new Caller(ACCOUNT, "first", Scope.ALL, false),
        READ_ADMIN, new Caller(ACCOUNT, "read-admin", Set.of(Scope.READ, Scope.ADMIN), false),
        OPERATOR, new Caller(ACCOUNT, "operator", Set.of(Scope.READ, Scope.OPERATE, Scope.RESTORE), false),
        OTHER_FIRST, new Caller(OTHER, "b-first", Scope.ALL, false));
    var authenticator = new BearerKeyAuthenticator(key -> CompletableFuture.completedFuture(
        Optional.ofNullable(callers.get(key))));
    server = ApiTestServer.start(settings -> new ApiRoutes(authenticator,
        new TenantRoutes(Stubs.unused(TenantClient.class),
            new ObjectRoutes(Stubs.unused(ObjectClient.class), settings, Optional.empty()), settings,
            Clock.systemUTC()),
        new AccountRoutes(keys, settings),
        new JobRoutes(Stubs.unused(JobClient.class), settings, Optional.empty()),
        new ConsentRoutes(Stubs.unused(ConsentClient.class)),
        new HealthRoutes(Stubs.unused(HealthCheck.class)),
        Optional.empty()));
  }

  @AfterAll
  static void shutdown() {
    server.close();
  }

  /** Keys in memory; the store's own rules (hashes, caching) are the node's integration tests' business. */
  private static final class Keys implements AccountClient {
    private final Map<String, ApiKeyView> byId = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    void put(AccountId account, String keyId, Set<Scope> scopes, boolean installAdmin) {
      byId.put(account.value() + "/" + keyId,
          new ApiKeyView(keyId, keyId, scopes, installAdmin, Instant.now(), Optional.empty()));
    }

    boolean revoked(AccountId account, String keyId) {
      return byId.get(account.value() + "/" + keyId).revokedAt().isPresent();
    }

    @Override public CompletionStage<Optional<CreatedAccount>> createAccount(AccountId account, String name) {
      throw new AssertionError("not expected");
    }

    @Override
    public CompletionStage<Optional<NewApiKey>> createKey(AccountId account, String name, Set<Scope> scopes) {
      String keyId = "k" + next.incrementAndGet();
      put(account, keyId, scopes, false);
      return done(Optional.of(new NewApiKey(account.value(), keyId, name, scopes, "eb_" + keyId + "_s1",
          Instant.now())));
    }

    @Override public CompletionStage<Optional<List<ApiKeyView>>> listKeys(AccountId account) {
      List<ApiKeyView> list = new ArrayList<>();
      byId.forEach((id, key) -> {
        if (id.startsWith(account.value() + "/")) {
          list.add(key);
        }
      });
      return done(Optional.of(list));
    }

    @Override public CompletionStage<Optional<ApiKeyView>> key(AccountId account, String keyId) {
      return done(Optional.ofNullable(byId.get(account.value() + "/" + keyId)));
    }

    @Override public CompletionStage<Boolean> revokeKey(AccountId account, String keyId) {
      ApiKeyView key = byId.get(account.value() + "/" + keyId);
      if (key == null) {
        return done(false);
      }
      byId.put(account.value() + "/" + keyId, new ApiKeyView(key.keyId(), key.name(), key.scopes(),
          key.installAdmin(), key.createdAt(), Optional.of(Instant.now())));
      return done(true);
    }

    @Override public CompletionStage<Optional<NewApiKey>> rotateKey(AccountId account, String keyId) {
      ApiKeyView key = byId.get(account.value() + "/" + keyId);
      return done(Optional.of(new NewApiKey(account.value(), keyId, key.name(), key.scopes(), "eb_" + keyId + "_s2",
          Instant.now())));
    }

    private static <T> CompletionStage<T> done(T value) {
      return CompletableFuture.completedFuture(value);
    }
  }
}
