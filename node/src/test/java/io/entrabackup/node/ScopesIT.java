package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scoped keys end to end, against Cassandra and the simulator: every API route refuses a key lacking its scope with a
 * 403 naming it and serves a key holding only that scope; who may revoke and rotate which key; a revoked or rotated
 * secret stops working on this node at once, whatever it had cached.
 */
class ScopesIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(8).groups(2).seed(15))
          .withAuthorizedTenant();

  private static final String KEY = TestDeployment.KEY;
  private static final String KEYS = "/api/v1/accounts/msp/keys";

  /** Keys of the bootstrap account holding one scope, and keys holding every scope but one. */
  private static final Map<Scope, String> only = new EnumMap<>(Scope.class);
  private static final Map<Scope, String> allBut = new EnumMap<>(Scope.class);

  private static String userId;
  private static String versionId;
  private static String backupJob;
  private static String restoreJob;

  @BeforeAll
  static void keysAndABackup() {
    for (Scope scope : Scope.values()) {
      only.put(scope, createKey("only " + scope.apiName(), EnumSet.of(scope), KEY).get("key").asText());
      allBut.put(scope, createKey("all but " + scope.apiName(), EnumSet.complementOf(EnumSet.of(scope)), KEY)
          .get("key").asText());
    }
    backupJob = deployment.backups().backUpNow(Duration.ofSeconds(60)).get("id").asText();
    JsonNode user = node().get(tenant() + "/objects/users?limit=1", KEY).get("items").get(0);
    userId = user.get("id").asText();
    versionId = user.get("versionId").asText();
    restoreJob = node().ok(node().send("POST", object() + "/restores",
        "{\"version\":\"" + versionId + "\"}", KEY), 202).get("id").asText();
    node().awaitJob(restoreJob, KEY, Duration.ofSeconds(60));
  }

  /** A route as a request: what it needs, and the answers a key with that scope may get. */
  private record Call(String method, String path, String body, Scope scope, List<Integer> served) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** Every route of the API (as in http-api/API-SECURITY.md), on this deployment's real tenant, object and jobs. */
  private static List<Call> everyRoute() {
    String pending = node().ok(node().send("POST", "/api/v1/tenants", "{\"displayName\":\"Pending\"}", KEY), 201)
        .get("id").asText();
    String revocable = createKey("to revoke", EnumSet.of(Scope.ADMIN), KEY).get("keyId").asText();
    String rotatable = createKey("to rotate", EnumSet.of(Scope.ADMIN), KEY).get("keyId").asText();
    List<Call> calls = new ArrayList<>();
    calls.add(new Call("GET", "/api/v1/tenants", null, Scope.READ, List.of(200)));
    calls.add(new Call("POST", "/api/v1/tenants", "{\"displayName\":\"Fabrikam\"}", Scope.ADMIN, List.of(201)));
    calls.add(new Call("GET", tenant(), null, Scope.READ, List.of(200)));
    calls.add(new Call("POST", "/api/v1/tenants/" + pending + "/activation", "{\"immediateBackup\":false}",
        Scope.OPERATE, List.of(200)));
    calls.add(new Call("POST", tenant() + "/authorization-check", "", Scope.OPERATE, List.of(200)));
    calls.add(new Call("POST", tenant() + "/backups", "", Scope.OPERATE, List.of(202, 409)));
    calls.add(new Call("POST", tenant() + "/downloads", "{\"scope\":\"tenant\"}", Scope.OPERATE, List.of(202)));
    calls.add(new Call("GET", tenant() + "/objects", null, Scope.READ, List.of(200)));
    calls.add(new Call("GET", tenant() + "/objects/users", null, Scope.READ, List.of(200)));
    calls.add(new Call("GET", object() + "/versions", null, Scope.READ, List.of(200)));
    calls.add(new Call("GET", object() + "/versions/" + versionId, null, Scope.READ, List.of(200)));
    calls.add(new Call("GET", object() + "/diff?from=" + versionId + "&to=" + versionId, null, Scope.READ,
        List.of(200)));
    calls.add(new Call("POST", object() + "/restore-plans", "{\"version\":\"" + versionId + "\"}", Scope.RESTORE,
        List.of(200)));
    calls.add(new Call("POST", object() + "/restores", "{\"version\":\"" + versionId + "\"}", Scope.RESTORE,
        List.of(202)));
    calls.add(new Call("GET", "/api/v1/jobs?kind=backup", null, Scope.READ, List.of(200)));
    calls.add(new Call("GET", "/api/v1/jobs/" + backupJob, null, Scope.READ, List.of(200)));
    calls.add(new Call("GET", "/api/v1/jobs/" + restoreJob + "/skipped-items", null, Scope.READ, List.of(200)));
    calls.add(new Call("GET", KEYS, null, Scope.ADMIN, List.of(200)));
    calls.add(new Call("POST", KEYS, "{\"name\":\"made by admin\",\"scopes\":[\"admin\"]}", Scope.ADMIN,
        List.of(201)));
    calls.add(new Call("DELETE", KEYS + "/" + revocable, null, Scope.ADMIN, List.of(204)));
    calls.add(new Call("POST", KEYS + "/" + rotatable + "/rotate", "", Scope.ADMIN, List.of(200)));
    String settings = KEYS.replace("/keys", "/settings");
    calls.add(new Call("GET", settings, null, Scope.ADMIN, List.of(200)));
    calls.add(new Call("PUT", settings, "{\"fourEyes\":{\"privilegedRestores\":false}}", Scope.ADMIN, List.of(200)));
    // Neither job waits for approval: a key with the scope is told so (409), one without it is refused first.
    calls.add(new Call("POST", "/api/v1/jobs/" + restoreJob + "/approve", "", Scope.RESTORE, List.of(409)));
    calls.add(new Call("POST", "/api/v1/jobs/" + restoreJob + "/reject", "", Scope.RESTORE, List.of(409)));
    calls.add(new Call("GET", "/api/v1/audit", null, Scope.READ, List.of(200)));
    calls.add(new Call("GET", "/api/v1/audit/verification", null, Scope.ADMIN, List.of(200)));
    return calls;
  }

  @Test
  void everyRouteRefusesAKeyLackingItsScopeAndServesAKeyWithOnlyThatScope() {
    List<String> wrong = new ArrayList<>();
    for (Call call : everyRoute()) {
      var refused = node().send(call.method(), call.path(), call.body(), allBut.get(call.scope()));
      if (refused.statusCode() != 403 || !refused.body().contains("lacks the '" + call.scope().apiName() + "' scope")) {
        wrong.add(call + " without " + call.scope().apiName() + ": " + refused.statusCode() + " " + refused.body());
      }
      var served = node().send(call.method(), call.path(), call.body(), only.get(call.scope()));
      if (!call.served().contains(served.statusCode())) {
        wrong.add(call + " with " + call.scope().apiName() + ": " + served.statusCode() + " " + served.body());
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void aKeyWithoutAdminCannotRevokeAnAdminKeyNorGrantWhatItLacks() {
    String admin = createKey("account admin", EnumSet.of(Scope.READ, Scope.ADMIN), KEY).get("keyId").asText();
    String worker = createKey("worker", EnumSet.of(Scope.READ, Scope.OPERATE, Scope.RESTORE), KEY).get("key").asText();

    assertProblem(node().send("DELETE", KEYS + "/" + admin, null, worker), 403, "lacks the 'admin' scope");
    assertProblem(node().send("POST", KEYS, "{\"name\":\"escalate\",\"scopes\":[\"admin\"]}", worker), 403,
        "lacks the 'admin' scope");
    assertProblem(node().send("POST", KEYS, "{\"name\":\"escalate\",\"scopes\":[\"read\",\"restore\"]}",
        only.get(Scope.ADMIN)), 403, "cannot grant the scopes 'read', 'restore'");
    assertProblem(node().send("DELETE", KEYS + "/bootstrap", null, createKey("admin key", EnumSet.allOf(Scope.class),
        KEY).get("key").asText()), 403, "managed by configuration");
    assertEquals(200, node().send("GET", "/api/v1/tenants", null, KEY).statusCode(), "the bootstrap key still works");
    assertTrue(listed(admin).get("revokedAt") == null, "the admin key is not revoked");
  }

  @Test
  void aRevokedKeyStopsWorkingAtOnceThoughItWasCached() {
    JsonNode made = createKey("revoked soon", EnumSet.of(Scope.READ), KEY);
    String secret = made.get("key").asText();
    assertEquals(200, node().send("GET", "/api/v1/tenants", null, secret).statusCode());

    assertEquals(204, node().send("DELETE", KEYS + "/" + made.get("keyId").asText(), null, KEY).statusCode());

    assertEquals(401, node().send("GET", "/api/v1/tenants", null, secret).statusCode());
    assertEquals("[\"read\"]", listed(made.get("keyId").asText()).get("scopes").toString());
  }

  @Test
  void rotatingAKeyKeepsItsIdAndScopesAndRetiresTheOldSecret() {
    JsonNode made = createKey("rotated", EnumSet.of(Scope.READ, Scope.OPERATE), KEY);
    String keyId = made.get("keyId").asText();
    String old = made.get("key").asText();
    assertEquals(200, node().send("GET", "/api/v1/tenants", null, old).statusCode());

    JsonNode rotated = node().ok(node().send("POST", KEYS + "/" + keyId + "/rotate", "", KEY), 200);

    assertEquals(keyId, rotated.get("keyId").asText());
    assertEquals("[\"read\",\"operate\"]", rotated.get("scopes").toString());
    assertEquals(401, node().send("GET", "/api/v1/tenants", null, old).statusCode());
    assertEquals(200, node().send("GET", "/api/v1/tenants", null, rotated.get("key").asText()).statusCode());
    assertProblem(node().send("POST", KEYS + "/bootstrap/rotate", "", KEY), 403, "entra-backup.auth.bootstrap-key");
  }

  @Test
  void aNewAccountsFirstKeyHasEveryScopeAndKeysAskedForWithoutScopesOnlyRead() {
    String first = deployment.node().createAccount("msp-scopes");
    JsonNode keys = node().get("/api/v1/accounts/msp-scopes/keys", first);
    assertEquals("[\"read\",\"operate\",\"restore\",\"admin\"]", keys.get("items").get(0).get("scopes").toString());

    JsonNode reader = node().ok(node().send("POST", "/api/v1/accounts/msp-scopes/keys", "{\"name\":\"dash\"}", first),
        201);
    assertEquals("[\"read\"]", reader.get("scopes").toString());
    assertProblem(node().send("POST", "/api/v1/accounts/msp-scopes/keys",
        "{\"name\":\"x\",\"scopes\":[\"superuser\"]}", first), 400, "scope must be one of");
    assertProblem(node().send("GET", "/api/v1/accounts/msp/keys", null, first), 404, "No such account");
  }

  @Test
  void aKeyMadeBeforeScopesExistedKeepsEveryScope() throws Exception {
    String legacy = "eb_legacy1_made-before-scopes-0123456789abcdefghijklm";
    String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(legacy.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    String keyspace = deployment.cassandra().keyspace();
    try (var session = com.datastax.oss.driver.api.core.CqlSession.builder()
        .addContactPoint(new java.net.InetSocketAddress("127.0.0.1", 9042)).withLocalDatacenter("datacenter1")
        .build()) {
      // The rows exactly as AccountStore wrote them before keys had scopes.
      session.execute("INSERT INTO " + keyspace + ".api_keys (key_hash, account_id, key_id, admin, revoked_at)"
          + " VALUES (?, 'msp', 'legacy1', false, null)", hash);
      session.execute("INSERT INTO " + keyspace + ".api_keys_by_account (account_id, key_id, key_hash, name, admin,"
          + " created_at, revoked_at) VALUES ('msp', 'legacy1', ?, 'made before scopes', false, toTimestamp(now()),"
          + " null)", hash);
    }

    assertEquals("[\"read\",\"operate\",\"restore\",\"admin\"]", listed("legacy1").get("scopes").toString());
    assertEquals(200, node().send("GET", KEYS, null, legacy).statusCode());
    assertEquals(200, node().send("POST", object() + "/restore-plans", "{\"version\":\"" + versionId + "\"}",
        legacy).statusCode());
  }

  private static JsonNode createKey(String name, java.util.Set<Scope> scopes, String by) {
    String names = scopes.stream().map(scope -> "\"" + scope.apiName() + "\"").collect(Collectors.joining(","));
    return node().ok(node().send("POST", KEYS, "{\"name\":\"" + name + "\",\"scopes\":[" + names + "]}", by), 201);
  }

  private static JsonNode listed(String keyId) {
    for (JsonNode key : node().get(KEYS, KEY).get("items")) {
      if (key.get("keyId").asText().equals(keyId)) {
        return key;
      }
    }
    throw new AssertionError("key " + keyId + " is not listed");
  }

  private static void assertProblem(HttpResponse<String> response, int status, String detailPart) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    assertTrue(TestNode.read(response.body()).get("detail").asText().contains(detailPart), response.body());
  }

  private static String tenant() {
    return "/api/v1/tenants/" + deployment.tenantId();
  }

  private static String object() {
    return tenant() + "/objects/users/" + userId;
  }

  private static TestNode node() {
    return deployment.node();
  }
}
