package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.node.fuzz.RouteTable;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scoped keys end to end, against Cassandra and the simulator: every route behind a key (those of the fuzz's
 * {@link RouteTable}, which OpenApiIT holds to openapi.json) refuses each key lacking its scope with a 403 naming it
 * and serves a key holding only that scope, as http-api/API-SECURITY.md's table says; who may revoke and rotate which
 * key; a revoked or rotated secret stops working on this node at once, whatever it had cached.
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
  /** A key of the account holding every scope, but no install administrator's. */
  private static String everyScope;
  private static List<Call> calls;

  /**
   * Asks for the restore and the download whose approve and reject are called: four eyes refuse an approval by a key
   * the requester made, so the jobs are not asked for by the key that makes the single-scope keys.
   */
  private static String requester;

  @BeforeAll
  static void keysAndABackup() {
    requester = createKey("requester", EnumSet.of(Scope.READ, Scope.OPERATE, Scope.RESTORE), KEY).get("key").asText();
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
        "{\"version\":\"" + versionId + "\"}", requester), 202).get("id").asText();
    node().awaitJob(restoreJob, KEY, Duration.ofSeconds(60));
    everyScope = createKey("every scope", EnumSet.allOf(Scope.class), KEY).get("key").asText();
    calls = everyRoute();
  }

  /** What a route asks of a key beyond being valid. */
  private enum Need { SCOPE, INSTALL_ADMIN, ANY_KEY }

  /**
   * A route (as {@link RouteTable} names it) as a request: what it needs, the answers a key with that may get, and
   * where a key without it is sent ({@code refusedPath}: the same but for deleting an account, which a key of another
   * account is told does not exist).
   */
  private record Call(String route, String path, String refusedPath, String body, Need need, Scope scope,
      List<Integer> served) {

    static Call scoped(String route, String path, String body, Scope scope, Integer... served) {
      return new Call(route, path, path, body, Need.SCOPE, scope, List.of(served));
    }

    String method() {
      return route.substring(0, route.indexOf(' '));
    }

    @Override
    public String toString() {
      return method() + " " + path;
    }
  }

  /**
   * Every route of the node behind a key, on this deployment's real tenant, object and jobs, in an order where each
   * finds what it needs (a tenant deleted before its deletion is cancelled, a retention set before its pass).
   */
  private static List<Call> everyRoute() {
    String pending = node().ok(node().send("POST", "/api/v1/tenants", "{\"displayName\":\"Pending\"}", KEY), 201)
        .get("id").asText();
    String deletable = node().ok(node().send("POST", "/api/v1/tenants", "{\"displayName\":\"Leaving\"}", KEY), 201)
        .get("id").asText();
    String revocable = createKey("to revoke", EnumSet.of(Scope.ADMIN), KEY).get("keyId").asText();
    String rotatable = createKey("to rotate", EnumSet.of(Scope.ADMIN), KEY).get("keyId").asText();
    String downloadJob = node().ok(node().send("POST", tenant() + "/downloads",
        "{\"scope\":\"type\",\"type\":\"users\"}", requester), 202).get("id").asText();
    deployment.node().createAccount("msp-leaving");
    String t = "/api/v1/tenants/{tenant}";
    String o = t + "/objects/{type}/{object}";
    String keys = "/api/v1/accounts/{account}/keys";
    String settings = KEYS.replace("/keys", "/settings");
    String retention = KEYS.replace("/keys", "/retention");
    String version = "{\"version\":\"" + versionId + "\"}";
    List<Call> calls = new ArrayList<>();
    calls.add(new Call("GET /api/v1/session", "/api/v1/session", "/api/v1/session", null, Need.ANY_KEY, null,
        List.of(200)));
    calls.add(Call.scoped("GET /api/v1/tenants", "/api/v1/tenants", null, Scope.READ, 200));
    calls.add(Call.scoped("POST /api/v1/tenants", "/api/v1/tenants", "{\"displayName\":\"Fabrikam\"}", Scope.ADMIN,
        201));
    calls.add(Call.scoped("GET " + t, tenant(), null, Scope.READ, 200));
    calls.add(Call.scoped("DELETE " + t, "/api/v1/tenants/" + deletable, null, Scope.ADMIN, 202));
    calls.add(Call.scoped("POST " + t + "/deletion/cancel", "/api/v1/tenants/" + deletable + "/deletion/cancel", null,
        Scope.ADMIN, 200));
    calls.add(Call.scoped("POST " + t + "/activation", "/api/v1/tenants/" + pending + "/activation",
        "{\"immediateBackup\":false}", Scope.OPERATE, 200));
    calls.add(Call.scoped("POST " + t + "/authorization-check", tenant() + "/authorization-check", "", Scope.OPERATE,
        200));
    calls.add(Call.scoped("POST " + t + "/backups", tenant() + "/backups", "", Scope.OPERATE, 202, 409));
    calls.add(Call.scoped("POST " + t + "/downloads", tenant() + "/downloads", "{\"scope\":\"tenant\"}",
        Scope.OPERATE, 202));
    calls.add(Call.scoped("GET " + t + "/history/verification", tenant() + "/history/verification", null, Scope.READ,
        200));
    calls.add(Call.scoped("GET " + t + "/objects", tenant() + "/objects", null, Scope.READ, 200));
    calls.add(Call.scoped("GET " + t + "/objects/{type}", tenant() + "/objects/users", null, Scope.READ, 200));
    calls.add(Call.scoped("GET " + o + "/versions", object() + "/versions", null, Scope.READ, 200));
    calls.add(Call.scoped("GET " + o + "/versions/{version}", object() + "/versions/" + versionId, null, Scope.READ,
        200));
    calls.add(Call.scoped("GET " + o + "/diff", object() + "/diff?from=" + versionId + "&to=" + versionId, null,
        Scope.READ, 200));
    calls.add(Call.scoped("GET " + o + "/compare", object() + "/compare?from=" + versionId + "&to=live", null,
        Scope.READ, 200));
    calls.add(Call.scoped("POST " + o + "/restore-plans", object() + "/restore-plans", version, Scope.RESTORE, 200));
    calls.add(Call.scoped("POST " + o + "/restores", object() + "/restores", version, Scope.RESTORE, 202));
    calls.add(Call.scoped("GET " + t + "/retention", tenant() + "/retention", null, Scope.ADMIN, 200));
    calls.add(Call.scoped("PUT " + t + "/retention", tenant() + "/retention", "{\"keepDays\":365}", Scope.ADMIN,
        200));
    calls.add(Call.scoped("POST " + t + "/retention/runs", tenant() + "/retention/runs", null, Scope.ADMIN, 202));
    calls.add(Call.scoped("GET /api/v1/jobs", "/api/v1/jobs?kind=backup", null, Scope.READ, 200));
    calls.add(Call.scoped("GET /api/v1/jobs/{job}", "/api/v1/jobs/" + backupJob, null, Scope.READ, 200));
    calls.add(Call.scoped("GET /api/v1/jobs/{job}/skipped-items", "/api/v1/jobs/" + restoreJob + "/skipped-items",
        null, Scope.READ, 200));
    // No job waits for approval: a key with the scope is told so (409), one without it is refused first. The scope
    // is the job's: restore for a restore, operate for a download.
    for (String decision : List.of("approve", "reject")) {
      String route = "POST /api/v1/jobs/{job}/" + decision;
      calls.add(Call.scoped(route, "/api/v1/jobs/" + restoreJob + "/" + decision, "", Scope.RESTORE, 409));
      calls.add(Call.scoped(route, "/api/v1/jobs/" + downloadJob + "/" + decision, "", Scope.OPERATE, 409));
    }
    calls.add(new Call("POST /api/v1/accounts", "/api/v1/accounts", "/api/v1/accounts",
        "{\"id\":\"msp-made\",\"displayName\":\"Made\"}", Need.INSTALL_ADMIN, null, List.of(201)));
    calls.add(new Call("DELETE /api/v1/accounts/{account}", "/api/v1/accounts/msp-leaving", "/api/v1/accounts/msp",
        null, Need.INSTALL_ADMIN, null, List.of(202)));
    calls.add(Call.scoped("GET " + keys, KEYS, null, Scope.ADMIN, 200));
    calls.add(Call.scoped("POST " + keys, KEYS, "{\"name\":\"made by admin\",\"scopes\":[\"admin\"]}",
        Scope.ADMIN, 201));
    calls.add(Call.scoped("DELETE " + keys + "/{key}", KEYS + "/" + revocable, null, Scope.ADMIN, 204));
    calls.add(Call.scoped("POST " + keys + "/{key}/rotate", KEYS + "/" + rotatable + "/rotate", "", Scope.ADMIN,
        200));
    calls.add(Call.scoped("GET /api/v1/accounts/{account}/settings", settings, null, Scope.ADMIN, 200));
    calls.add(Call.scoped("PUT /api/v1/accounts/{account}/settings", settings,
        "{\"fourEyes\":{\"privilegedRestores\":false}}", Scope.ADMIN, 200));
    calls.add(Call.scoped("GET /api/v1/accounts/{account}/retention", retention, null, Scope.ADMIN, 200));
    calls.add(Call.scoped("PUT /api/v1/accounts/{account}/retention", retention, "{\"keepDays\":null}",
        Scope.ADMIN, 200));
    calls.add(Call.scoped("GET /api/v1/audit", "/api/v1/audit", null, Scope.READ, 200));
    calls.add(Call.scoped("GET /api/v1/audit/verification", "/api/v1/audit/verification", null, Scope.ADMIN, 200));
    return calls;
  }

  @Test
  void everyRouteOfTheNodeIsCalledHereAndHasItsRowInApiSecurity() throws Exception {
    Set<String> served = routes(Stream.of(RouteTable.API, RouteTable.NOT_SENT));
    Set<String> called = calls.stream().map(Call::route).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(served, called, "each route behind a key has a call here (add one for a new route)");

    Map<String, String> rows = ApiSecurityTable.read();
    Set<String> known = routes(Stream.of(RouteTable.API, RouteTable.NOT_SENT, RouteTable.OPEN));
    assertEquals(Set.of(), rows.keySet().stream().filter(route -> !known.contains(route)).collect(Collectors.toSet()),
        "API-SECURITY.md lists only routes the node serves");
    List<String> wrong = new ArrayList<>();
    for (String route : served) {
      List<Call> of = calls.stream().filter(call -> call.route().equals(route)).toList();
      String row = rows.get(route);
      Set<Scope> needed = of.stream().map(Call::scope).filter(java.util.Objects::nonNull)
          .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
      if (row == null || !ApiSecurityTable.scopes(row).equals(needed)
          || of.get(0).need() == Need.INSTALL_ADMIN && !row.contains("install administrator")
          || of.get(0).need() == Need.ANY_KEY && !row.contains("any valid key")) {
        wrong.add(route + ": the code needs " + (needed.isEmpty() ? of.get(0).need() : needed) + ", the row says "
            + row);
      }
    }
    assertTrue(wrong.isEmpty(), "API-SECURITY.md's table:\n" + String.join("\n", wrong));
  }

  @Test
  void everyRouteRefusesAKeyLackingItsScopeAndServesAKeyWithOnlyThatScope() {
    List<String> wrong = new ArrayList<>();
    int refusals = 0;
    for (Call call : calls) {
      for (var lacking : lacking(call).entrySet()) {
        refusals++;
        var refused = node().send(call.method(), call.refusedPath(), call.body(), lacking.getValue());
        String expected = call.need() == Need.SCOPE ? "lacks the '" + call.scope().apiName() + "' scope"
            : "install administrator";
        if (!isForbidden(refused, call.need() == Need.SCOPE ? "missing-scope" : "forbidden", expected)) {
          wrong.add(call + " by a key " + lacking.getKey() + ": " + refused.statusCode() + " " + refused.body());
        }
      }
      for (var holding : holding(call).entrySet()) {
        var answer = node().send(call.method(), call.path(), call.body(), holding.getValue());
        if (!call.served().contains(answer.statusCode())) {
          wrong.add(call + " by a key " + holding.getKey() + ": " + answer.statusCode() + " " + answer.body());
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    System.out.printf("ScopesIT: %d routes, %d calls, %d refusals checked%n", RouteTable.API.size()
        + RouteTable.NOT_SENT.size(), calls.size(), refusals);
  }

  /** The keys that must be refused: for a scope, each other scope alone and every scope but it. */
  private static Map<String, String> lacking(Call call) {
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    switch (call.need()) {
      case SCOPE -> {
        for (Scope other : EnumSet.complementOf(EnumSet.of(call.scope()))) {
          keys.put("with only " + other.apiName(), only.get(other));
        }
        keys.put("with all but " + call.scope().apiName(), allBut.get(call.scope()));
      }
      case INSTALL_ADMIN -> keys.put("of the account with every scope", everyScope);
      case ANY_KEY -> { }
    }
    return keys;
  }

  /** The keys that must be served: the scope alone; the bootstrap key; or a key of each single scope. */
  private static Map<String, String> holding(Call call) {
    return switch (call.need()) {
      case SCOPE -> Map.of("with only " + call.scope().apiName(), only.get(call.scope()));
      case INSTALL_ADMIN -> Map.of("of the install administrator", KEY);
      case ANY_KEY -> only.entrySet().stream().collect(Collectors.toMap(
          entry -> "with only " + entry.getKey().apiName(), Map.Entry::getValue));
    };
  }

  private static boolean isForbidden(HttpResponse<String> answer, String type, String detailPart) {
    if (answer.statusCode() != 403
        || !"application/problem+json".equals(answer.headers().firstValue("Content-Type").orElse(""))) {
      return false;
    }
    JsonNode problem = TestNode.read(answer.body());
    return problem.path("type").asText().endsWith("/" + type) && problem.path("status").asInt() == 403
        && problem.path("detail").asText().contains(detailPart);
  }

  /** "METHOD template" of each route, the query left out. */
  private static Set<String> routes(Stream<List<RouteTable.Route>> tables) {
    return tables.flatMap(List::stream).map(route -> route.method() + " " + route.template().replaceFirst("\\?.*", ""))
        .collect(Collectors.toCollection(TreeSet::new));
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
