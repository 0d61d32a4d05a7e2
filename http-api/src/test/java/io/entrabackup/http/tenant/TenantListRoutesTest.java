package io.entrabackup.http.tenant;

import static io.entrabackup.http.ApiTestServer.assertProblem;
import static io.entrabackup.http.ApiTestServer.json;
import static io.entrabackup.http.Stubs.unused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.http.ApiRoutes;
import io.entrabackup.http.ApiTestServer;
import io.entrabackup.http.account.AccountClient;
import io.entrabackup.http.account.AccountRoutes;
import io.entrabackup.http.auth.BearerKeyAuthenticator;
import io.entrabackup.http.consent.ConsentClient;
import io.entrabackup.http.consent.ConsentRoutes;
import io.entrabackup.http.health.HealthCheck;
import io.entrabackup.http.health.HealthRoutes;
import io.entrabackup.http.job.JobClient;
import io.entrabackup.http.job.JobRoutes;
import io.entrabackup.http.object.ObjectClient;
import io.entrabackup.http.object.ObjectRoutes;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.tenant.LastBackup;
import io.entrabackup.protocol.tenant.TenantAction;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /tenants} for the dashboard: search, status filter, sort, paging and the summary, and their problems. */
class TenantListRoutesTest {

  private static final InMemoryTenantClient tenants = new InMemoryTenantClient();
  private static final AccountId ACCOUNT = new AccountId("msp-a");
  private static final String KEY = "eb_key_of_account_a";
  private static final String OTHER_KEY = "eb_key_of_account_b";
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private static ApiTestServer server;

  private static final TenantView ALPHA = tenant("Alpha Ltd", TenantStatus.AUTHORIZED, "alpha.onmicrosoft.com",
      Optional.of(new LastBackup(LastBackup.Result.COMPLETED, T0.plusSeconds(300))), Optional.of(T0.plusSeconds(9000)));
  private static final TenantView BRAVO = tenant("bravo GmbH", TenantStatus.AUTHORIZED, "bravo.example",
      Optional.of(new LastBackup(LastBackup.Result.FAILED, T0.plusSeconds(100))), Optional.of(T0.plusSeconds(3000)));
  private static final TenantView CHARLIE = tenant("Charlie Inc", TenantStatus.AUTHORIZATION_LOST, "charlie.example",
      Optional.empty(), Optional.empty());
  private static final TenantView DELTA = tenant("Delta", TenantStatus.PENDING_AUTHORIZATION, "alpha.onmicrosoft.com",
      Optional.empty(), Optional.empty());

  private static TenantView tenant(String name, TenantStatus status, String domain, Optional<LastBackup> last,
      Optional<Instant> next) {
    boolean authorized = status == TenantStatus.AUTHORIZED;
    return new TenantView(TenantId.random(), ACCOUNT, name, Optional.of(domain), status, Optional.empty(),
        authorized ? Optional.of("e0c5a2d4-0000-4000-8000-0000000000" + name.length()) : Optional.empty(),
        Optional.empty(), authorized ? List.of(domain) : List.of(), Optional.empty(), next, last, Map.of(),
        TenantAction.availableIn(status), T0, Optional.empty());
  }

  @BeforeAll
  static void bind() throws Exception {
    for (TenantView view : List.of(ALPHA, BRAVO, CHARLIE, DELTA)) {
      tenants.tenants.put(view.id().value(), view);
    }
    tenants.backingUp.add(ALPHA.id().value());
    Map<String, Caller> keys = Map.of(KEY, new Caller(ACCOUNT, "ka", false),
        OTHER_KEY, new Caller(new AccountId("msp-b"), "kb", false));
    server = ApiTestServer.start(settings -> new ApiRoutes(
        new BearerKeyAuthenticator(key -> CompletableFuture.completedFuture(Optional.ofNullable(keys.get(key)))),
        new TenantRoutes(tenants, new ObjectRoutes(unused(ObjectClient.class), settings, Optional.empty()), settings,
            Clock.systemUTC()),
        new AccountRoutes(unused(AccountClient.class), settings),
        new JobRoutes(unused(JobClient.class), settings, Optional.empty()),
        new ConsentRoutes(unused(ConsentClient.class)),
        new HealthRoutes(unused(HealthCheck.class)),
        Optional.empty()));
  }

  @AfterAll
  static void shutdown() {
    server.close();
  }

  @Test
  void theSummaryCountsTheWholeAccountWhateverThePageShows() throws Exception {
    JsonNode summary = list("?search=charlie").get("summary");

    assertEquals(4, summary.get("tenants").asInt());
    assertEquals(1, summary.get("matching").asInt());
    assertEquals(2, summary.get("needAttention").asInt(), "lost consent and a failed last backup");
    assertEquals(1, summary.get("backupsRunning").asInt());
    assertEquals(2, summary.get("authorized").asInt());
    assertEquals(1, summary.get("pending").asInt());
    assertEquals(0, json(server.send("GET", "/api/v1/tenants", null, OTHER_KEY)).get("summary").get("tenants").asInt());
  }

  @Test
  void searchIgnoresCaseAndFindsNamesDomainsAndIds() throws Exception {
    assertEquals(List.of("bravo GmbH"), names(list("?search=BRAVO")));
    assertEquals(List.of("Charlie Inc"), names(list("?search=" + enc("charlie.EXAMPLE"))));
    assertEquals(List.of("Delta"), names(list("?search=" + DELTA.id().value().substring(4, 20))));
    assertEquals(List.of("Alpha Ltd", "Delta"), names(list("?sort=name&search=alpha.onmicrosoft")));
    assertEquals(List.of(), names(list("?search=nobody")));
  }

  @Test
  void theStatusFilterNarrowsToAGroup() throws Exception {
    assertEquals(List.of("bravo GmbH", "Charlie Inc"), names(list("?status=needs_attention&sort=name")));
    assertEquals(List.of("Alpha Ltd", "bravo GmbH"), names(list("?status=authorized&sort=name")));
    assertEquals(List.of("Delta"), names(list("?status=pending")));
  }

  @Test
  void eachSortOrdersBothWays() throws Exception {
    assertEquals(List.of("Alpha Ltd", "bravo GmbH", "Charlie Inc", "Delta"), names(list("?sort=name")));
    assertEquals(List.of("Delta", "Charlie Inc", "bravo GmbH", "Alpha Ltd"), names(list("?sort=name&order=desc")));
    List<String> byLastBackup = names(list("?sort=last_backup"));
    assertEquals(Set.of("Charlie Inc", "Delta"), Set.copyOf(byLastBackup.subList(0, 2)), "never backed up first");
    assertEquals(List.of("bravo GmbH", "Alpha Ltd"), byLastBackup.subList(2, 4));
    assertEquals(List.of("bravo GmbH", "Alpha Ltd"), names(list("?sort=next_backup")).subList(0, 2),
        "soonest first, unscheduled last");
    assertEquals(List.of("Charlie Inc", "bravo GmbH", "Delta", "Alpha Ltd"), names(list("?sort=status")),
        "most in need of attention first");
  }

  @Test
  void aSortedListPagesWithItsCursorToTheEnd() throws Exception {
    List<String> seen = new ArrayList<>();
    String query = "?sort=name&order=desc&limit=1";
    JsonNode page = list(query);
    while (true) {
      seen.addAll(names(page));
      assertEquals(1, page.get("items").size());
      if (!page.has("next")) {
        break;
      }
      page = list(query + "&cursor=" + enc(page.get("next").asText()));
    }
    assertEquals(List.of("Delta", "Charlie Inc", "bravo GmbH", "Alpha Ltd"), seen);
  }

  @Test
  void tenantsNamingTheSameDirectoryAreMarkedAndRunningBackupsListed() throws Exception {
    JsonNode page = list("?sort=name");

    assertEquals("[\"Delta\"]", page.get("sameDirectory").get(ALPHA.id().value()).toString());
    assertEquals("[\"Alpha Ltd\"]", page.get("sameDirectory").get(DELTA.id().value()).toString());
    assertFalse(page.get("sameDirectory").has(BRAVO.id().value()));
    assertEquals("[\"" + ALPHA.id().value() + "\"]", page.get("backingUp").toString());
  }

  @Test
  void everyBadParameterIsAProblemThatSaysWhatIsAccepted() throws Exception {
    assertProblem(get("?sort=size"), 400, "sort must be one of id, name, last_backup, next_backup, status");
    assertProblem(get("?status=broken"), 400, "status must be one of authorized, needs_attention, pending");
    assertProblem(get("?order=up"), 400, "order must be asc or desc");
    assertProblem(get("?search=" + "x".repeat(257)), 400, "search must be at most 256");
    assertProblem(get("?sort=name&cursor=" + ALPHA.id().value()), 400, "cursor:");
    String descCursor = list("?sort=name&order=desc&limit=1").get("next").asText();
    assertProblem(get("?sort=name&cursor=" + enc(descCursor)), 400, "cursor:");
    assertProblem(get("?sort=status&cursor=" + enc(descCursor)), 400, "cursor:");
    assertProblem(get("?sort=name&cursor=%25%25"), 400, "cursor:");
  }

  @Test
  void theDefaultIsStillIdOrderWithTheTenantIdAsCursor() throws Exception {
    JsonNode first = list("?limit=2");
    List<String> ids = new ArrayList<>();
    first.get("items").forEach(t -> ids.add(t.get("id").asText()));
    assertEquals(ids.stream().sorted().toList(), ids);
    assertEquals(ids.get(1), first.get("next").asText());
    assertEquals(first.get("items"), first.get("tenants"), "the former name still answers the items");
    assertTrue(list("?cursor=" + ids.get(1)).get("items").get(0).get("id").asText().compareTo(ids.get(1)) > 0);
  }

  private static List<String> names(JsonNode page) {
    List<String> names = new ArrayList<>();
    page.get("items").forEach(t -> names.add(t.get("displayName").asText()));
    return names;
  }

  private static JsonNode list(String query) throws Exception {
    HttpResponse<String> response = get(query);
    assertEquals(200, response.statusCode(), response.body());
    return json(response);
  }

  private static HttpResponse<String> get(String query) throws Exception {
    return server.send("GET", "/api/v1/tenants" + query, null, KEY);
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
