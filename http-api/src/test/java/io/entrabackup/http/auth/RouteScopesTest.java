package io.entrabackup.http.auth;

import static io.entrabackup.http.ApiTestServer.assertProblem;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.http.ApiRoutes;
import io.entrabackup.http.ApiTestServer;
import io.entrabackup.http.Stubs;
import io.entrabackup.http.account.AccountClient;
import io.entrabackup.http.account.AccountRoutes;
import io.entrabackup.http.account.AccountSettingsClient;
import io.entrabackup.http.account.AccountSettingsRoutes;
import io.entrabackup.http.audit.Auditing;
import io.entrabackup.http.consent.ConsentClient;
import io.entrabackup.http.consent.ConsentRoutes;
import io.entrabackup.http.download.DownloadClient;
import io.entrabackup.http.download.DownloadRoutes;
import io.entrabackup.http.health.HealthCheck;
import io.entrabackup.http.health.HealthRoutes;
import io.entrabackup.http.history.HistoryClient;
import io.entrabackup.http.history.HistoryRoutes;
import io.entrabackup.http.job.JobClient;
import io.entrabackup.http.job.JobRoutes;
import io.entrabackup.http.limits.RequestRateLimit;
import io.entrabackup.http.object.CompareClient;
import io.entrabackup.http.object.CompareRoutes;
import io.entrabackup.http.object.ObjectClient;
import io.entrabackup.http.object.ObjectRoutes;
import io.entrabackup.http.restore.RestoreClient;
import io.entrabackup.http.restore.RestoreRoutes;
import io.entrabackup.http.retention.RetentionClient;
import io.entrabackup.http.retention.RetentionRoutes;
import io.entrabackup.http.tenant.TenantClient;
import io.entrabackup.http.tenant.TenantRoutes;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.AccountSettings;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.retention.RetentionView;
import io.entrabackup.protocol.tenant.TenantCommands;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API routes ask for their scope before anything else: a key lacking it is answered 403 naming the scope, a key
 * holding it gets past the check (here to a cluster that has nothing, so 404s and empty pages). This covers every
 * route that needs no more than stubs to reach; the audit trail and four-eyes approvals (which look the job up
 * first) are covered, with every other route, by node/.../ScopesIT, which also fails on a route without a test.
 */
class RouteScopesTest {

  private static final AccountId ACCOUNT = new AccountId("msp-a");
  private static final String TENANT = "0b5f1c7e-3a52-4a8e-9d5e-2f1b9c4d7e61";
  private static final String JOB = "6a1f2c4e-0f0e-11f1-8000-000000000001";
  private static final String OBJECT = "/api/v1/tenants/" + TENANT + "/objects/users/u-1";

  /** A route as a request, and the scope it needs. */
  record ScopedRoute(String method, String path, String body, Scope scope) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static final List<ScopedRoute> ROUTES = List.of(
      new ScopedRoute("GET", "/api/v1/tenants", null, Scope.READ),
      new ScopedRoute("POST", "/api/v1/tenants", "{\"displayName\":\"Contoso\"}", Scope.ADMIN),
      new ScopedRoute("GET", "/api/v1/tenants/" + TENANT, null, Scope.READ),
      new ScopedRoute("DELETE", "/api/v1/tenants/" + TENANT, null, Scope.ADMIN),
      new ScopedRoute("POST", "/api/v1/tenants/" + TENANT + "/deletion/cancel", "", Scope.ADMIN),
      new ScopedRoute("GET", "/api/v1/tenants/" + TENANT + "/history/verification", null, Scope.READ),
      new ScopedRoute("GET", "/api/v1/tenants/" + TENANT + "/retention", null, Scope.ADMIN),
      new ScopedRoute("PUT", "/api/v1/tenants/" + TENANT + "/retention", "{\"keepDays\":30}", Scope.ADMIN),
      new ScopedRoute("POST", "/api/v1/tenants/" + TENANT + "/retention/runs", "", Scope.ADMIN),
      new ScopedRoute("POST", "/api/v1/tenants/" + TENANT + "/activation", "{\"immediateBackup\":false}",
          Scope.OPERATE),
      new ScopedRoute("POST", "/api/v1/tenants/" + TENANT + "/authorization-check", "", Scope.OPERATE),
      new ScopedRoute("POST", "/api/v1/tenants/" + TENANT + "/backups", "", Scope.OPERATE),
      new ScopedRoute("POST", "/api/v1/tenants/" + TENANT + "/downloads", "{\"scope\":\"tenant\"}", Scope.OPERATE),
      new ScopedRoute("GET", "/api/v1/tenants/" + TENANT + "/objects", null, Scope.READ),
      new ScopedRoute("GET", "/api/v1/tenants/" + TENANT + "/objects/users", null, Scope.READ),
      new ScopedRoute("GET", OBJECT + "/versions", null, Scope.READ),
      new ScopedRoute("GET", OBJECT + "/versions/v-1", null, Scope.READ),
      new ScopedRoute("GET", OBJECT + "/diff?from=v-1&to=v-2", null, Scope.READ),
      new ScopedRoute("GET", OBJECT + "/compare?from=v-1&to=live", null, Scope.READ),
      new ScopedRoute("POST", OBJECT + "/restore-plans", "{\"version\":\"v-1\"}", Scope.RESTORE),
      new ScopedRoute("POST", OBJECT + "/restores", "{\"version\":\"v-1\"}", Scope.RESTORE),
      new ScopedRoute("GET", "/api/v1/jobs?kind=restore", null, Scope.READ),
      new ScopedRoute("GET", "/api/v1/jobs/" + JOB, null, Scope.READ),
      new ScopedRoute("GET", "/api/v1/jobs/" + JOB + "/skipped-items", null, Scope.READ),
      new ScopedRoute("GET", "/api/v1/accounts/msp-a/keys", null, Scope.ADMIN),
      new ScopedRoute("POST", "/api/v1/accounts/msp-a/keys", "{\"name\":\"n\",\"scopes\":[\"admin\"]}", Scope.ADMIN),
      new ScopedRoute("DELETE", "/api/v1/accounts/msp-a/keys/k-1", null, Scope.ADMIN),
      new ScopedRoute("POST", "/api/v1/accounts/msp-a/keys/k-1/rotate", "", Scope.ADMIN),
      new ScopedRoute("GET", "/api/v1/accounts/msp-a/settings", null, Scope.ADMIN),
      new ScopedRoute("PUT", "/api/v1/accounts/msp-a/settings", "{\"fourEyes\":{}}", Scope.ADMIN),
      new ScopedRoute("GET", "/api/v1/accounts/msp-a/retention", null, Scope.ADMIN),
      new ScopedRoute("PUT", "/api/v1/accounts/msp-a/retention", "{\"keepDays\":30}", Scope.ADMIN));

  private static ApiTestServer server;

  /** The key "only-<scope>" holds that one scope; "all-but-<scope>" every other. */
  private static String only(Scope scope) {
    return "only-" + scope.apiName();
  }

  private static String allBut(Scope scope) {
    return "all-but-" + scope.apiName();
  }

  @BeforeAll
  static void bind() throws Exception {
    Map<String, Caller> keys = new java.util.HashMap<>();
    for (Scope scope : Scope.values()) {
      keys.put(only(scope), new Caller(ACCOUNT, only(scope), Set.of(scope), false));
      Set<Scope> others = EnumSet.complementOf(EnumSet.of(scope));
      keys.put(allBut(scope), new Caller(ACCOUNT, allBut(scope), others, false));
    }
    var authenticator = new BearerKeyAuthenticator(key -> CompletableFuture.completedFuture(
        Optional.ofNullable(keys.get(key))));
    Clock clock = Clock.systemUTC();
    server = ApiTestServer.start(settings -> new ApiRoutes(authenticator,
        new TenantRoutes(nothingHere(TenantClient.class), new ObjectRoutes(nothingHere(ObjectClient.class), settings,
            Optional.of(new RestoreRoutes(nothingHere(RestoreClient.class), settings, clock)),
            Optional.of(new CompareRoutes(nothingHere(CompareClient.class))),
            Optional.of(new HistoryRoutes(nothingHere(HistoryClient.class)))), settings, clock),
        new AccountRoutes(nothingHere(AccountClient.class), settings),
        new JobRoutes(nothingHere(JobClient.class), settings, Optional.of(nothingHere(RestoreClient.class))),
        new ConsentRoutes(Stubs.unused(ConsentClient.class)),
        new HealthRoutes(Stubs.unused(HealthCheck.class)),
        Optional.of(new DownloadRoutes(nothingHere(DownloadClient.class), authenticator, settings, clock)),
        Optional.of(new AccountSettingsRoutes(nothingHere(AccountSettingsClient.class), settings)),
        RequestRateLimit.unlimited(), Auditing.off())
        .withRetention(new RetentionRoutes(nothingHere(RetentionClient.class), settings)));
  }

  @AfterAll
  static void shutdown() {
    server.close();
  }

  @Test
  void aKeyLackingTheRoutesScopeIsForbiddenWithAProblemNamingIt() throws Exception {
    for (ScopedRoute route : ROUTES) {
      var answer = server.send(route.method(), route.path(), route.body(), allBut(route.scope()));
      var problem = assertProblem(answer, 403, "'" + route.scope().apiName() + "' scope");
      assertTrue(problem.get("type").asText().endsWith("missing-scope"), route + ": " + problem);
    }
  }

  @Test
  void aKeyWithTheRoutesScopeAloneGetsPastTheCheck() throws Exception {
    for (ScopedRoute route : ROUTES) {
      var answer = server.send(route.method(), route.path(), route.body(), only(route.scope()));
      assertNotEquals(403, answer.statusCode(), route + ": " + answer.body());
      assertTrue(answer.statusCode() < 500, route + ": " + answer.body());
    }
  }

  @Test
  void everyScopeIsNeededBySomeRoute() {
    Set<Scope> used = ROUTES.stream().map(ScopedRoute::scope).collect(Collectors.toSet());
    assertTrue(used.containsAll(EnumSet.allOf(Scope.class)), used.toString());
  }

  /** A cluster side with no tenants, jobs or keys: every lookup answers empty. */
  @SuppressWarnings("unchecked")
  private static <T> T nothingHere(Class<T> type) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> type.getSimpleName();
        };
      }
      return CompletableFuture.completedFuture(emptyOf(((ParameterizedType) method.getGenericReturnType())
          .getActualTypeArguments()[0]));
    });
  }

  private static Object emptyOf(Type answer) {
    Type raw = answer instanceof ParameterizedType parameterized ? parameterized.getRawType() : answer;
    if (raw == Optional.class) {
      return Optional.empty();
    }
    if (raw == Boolean.class) {
      return false;
    }
    if (raw == TenantPage.class) {
      return new TenantPage(List.of(), null);
    }
    if (raw == JobPage.class) {
      return new JobPage(List.of(), null);
    }
    if (raw == RetentionView.class) {
      return new RetentionView(null, RetentionView.ACCOUNT);
    }
    if (raw == RetentionClient.RunAnswer.class) {
      return new RetentionClient.UnknownTenant();
    }
    if (raw == CompareClient.Outcome.class) {
      return new CompareClient.Outcome.NotFound("No such tenant in this account");
    }
    if (raw == HistoryClient.Outcome.class) {
      return new HistoryClient.Outcome.NotFound();
    }
    if (raw == AccountSettings.class) {
      return AccountSettings.DEFAULTS;
    }
    if (raw == DownloadClient.Outcome.class) {
      return new DownloadClient.Outcome.NotFound("No such tenant in this account");
    }
    return new TenantCommands.NotFound();
  }
}
