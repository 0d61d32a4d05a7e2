package io.entrabackup.http.object;

import static io.entrabackup.http.ApiTestServer.assertProblem;
import static io.entrabackup.http.ApiTestServer.json;
import static io.entrabackup.http.Stubs.done;
import static io.entrabackup.http.Stubs.unused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
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
import io.entrabackup.http.tenant.TenantClient;
import io.entrabackup.http.tenant.TenantRoutes;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.backup.ObjectComparison;
import io.entrabackup.protocol.backup.ObjectComparison.Member;
import io.entrabackup.protocol.backup.ObjectComparison.PropertyRow;
import io.entrabackup.protocol.backup.ObjectComparison.RelationChange;
import io.entrabackup.protocol.backup.ObjectComparison.Side;
import io.entrabackup.protocol.backup.ObjectType;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compare API over real HTTP, with the cluster side in memory: what it answers, what it passes on (lower-cased
 * version ids, "live" as no version), and every bad parameter and unknown version as a problem document.
 */
class CompareRoutesTest {

  private static final String KEY_A = "eb_key_of_account_a";
  private static final String KEY_B = "eb_key_of_account_b";
  private static final AccountId ACCOUNT_A = new AccountId("msp-a");
  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
  private static final String USER = "7d1e6a3c-1b2a-4c5d-8e9f-0a1b2c3d4e5f";
  private static final String V1 = "6a1f2c4e-0f0e-11f1-8000-000000000001";
  private static final String V2 = "6a1f2c4e-0f0e-11f1-8000-000000000002";
  private static final String UNKNOWN = "6a1f2c4e-0f0e-11f1-8000-0000000000ff";
  private static final String COMPARE = "/api/v1/tenants/" + TENANT + "/objects/users/" + USER + "/compare";
  private static final List<String> asked = new ArrayList<>();
  private static ApiTestServer server;

  /** Account A's {@code USER} has versions V1 and V2; live reads of "gone-tenant" objects are refused (409). */
  private static final class InMemoryComparisons implements CompareClient {
    @Override
    public CompletionStage<Outcome> compare(Caller caller, TenantId tenant, ObjectType type, String objectId,
        String from, Optional<String> to) {
      asked.add(type.apiName() + " " + objectId + " " + from + " " + to.orElse("live"));
      boolean known = caller.account().equals(ACCOUNT_A) && tenant.equals(TENANT) && objectId.equals(USER)
          && List.of(V1, V2).contains(from) && to.map(List.of(V1, V2)::contains).orElse(true);
      if (known && to.isEmpty() && type == ObjectType.GROUPS) {
        return CompletableFuture.completedFuture(new Outcome.Refused(409, "Tenant is not authorized"));
      }
      return CompletableFuture.completedFuture(known
          ? new Outcome.Compared(comparison(from, to))
          : new Outcome.NotFound("No such tenant, object or version in this account"));
    }
  }

  private static ObjectComparison comparison(String from, Optional<String> to) {
    Side left = new Side("snapshot", Optional.of(from), Optional.of(Instant.parse("2026-11-20T08:00:00Z")),
        Optional.of("run-1"), "live");
    Side right = to.map(version -> new Side("snapshot", Optional.of(version), Optional.of(Instant.parse(
            "2026-11-21T08:00:00Z")), Optional.of("run-2"), "live"))
        .orElse(new Side("live", Optional.empty(), Optional.empty(), Optional.empty(), "live"));
    return new ObjectComparison(left, right, List.of(
        new PropertyRow("department", "added", Optional.empty(), Optional.of(TextNode.valueOf("Sales"))),
        new PropertyRow("jobTitle", "changed", Optional.of(TextNode.valueOf("Engineer")),
            Optional.of(TextNode.valueOf("Manager")))),
        List.of(new RelationChange("members", 1, 0, 3,
            List.of(new Member("u-9", Optional.of("user"), Optional.of("Ada Lovelace"),
                Optional.of("ada@contoso.example"))), List.of())));
  }

  @BeforeAll
  static void bind() throws Exception {
    Map<String, Caller> keys = Map.of(
        KEY_A, new Caller(ACCOUNT_A, "ka", false),
        KEY_B, new Caller(new AccountId("msp-b"), "kb", false));
    server = ApiTestServer.start(settings -> new ApiRoutes(
        new BearerKeyAuthenticator(key -> done(Optional.ofNullable(keys.get(key)))),
        new TenantRoutes(unused(TenantClient.class),
            new ObjectRoutes(unused(ObjectClient.class), settings, Optional.empty(),
                Optional.of(new CompareRoutes(new InMemoryComparisons()))), settings, Clock.systemUTC()),
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

  @BeforeEach
  void forget() {
    asked.clear();
  }

  @Test
  void twoVersionsAnswerPropertiesSideBySideAndMembersAddedAndRemoved() throws Exception {
    var response = send(COMPARE + "?from=" + V1 + "&to=" + V2.toUpperCase(), KEY_A);

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(List.of("users " + USER + " " + V1 + " " + V2), asked, "version ids are passed on lower-cased");
    JsonNode comparison = json(response);
    assertEquals(V1, comparison.get("from").get("versionId").asText());
    assertEquals("snapshot", comparison.get("to").get("kind").asText());
    JsonNode added = comparison.get("properties").get(0);
    assertEquals("added", added.get("change").asText());
    assertFalse(added.has("before"), "a property one side lacks has no value there: " + added);
    assertEquals("Sales", added.get("after").asText());
    JsonNode changed = comparison.get("properties").get(1);
    assertEquals("Engineer", changed.get("before").asText());
    assertEquals("Manager", changed.get("after").asText());
    JsonNode members = comparison.get("relations").get(0);
    assertEquals(1, members.get("addedCount").asInt());
    assertEquals(3, members.get("unchanged").asInt());
    assertEquals("Ada Lovelace", members.get("added").get(0).get("displayName").asText());
  }

  @Test
  void liveIsTheObjectNowAndAsksForNoVersion() throws Exception {
    var response = send(COMPARE + "?from=" + V1 + "&to=live", KEY_A);

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(List.of("users " + USER + " " + V1 + " live"), asked);
    assertEquals("live", json(response).get("to").get("kind").asText());
    assertFalse(json(response).get("to").has("versionId"), response.body());
  }

  @Test
  void missingOrMalformedParametersAreBadRequestsAndAskNothing() throws Exception {
    assertProblem(send(COMPARE, KEY_A), 400, "from and to are required");
    assertProblem(send(COMPARE + "?from=" + V1, KEY_A), 400, "from and to are required");
    assertProblem(send(COMPARE + "?to=live", KEY_A), 400, "from and to are required");
    assertProblem(send(COMPARE + "?from=live&to=" + V1, KEY_A), 400, "from must be a versionId");
    assertProblem(send(COMPARE + "?from=v-1&to=" + V1, KEY_A), 400, "from must be a versionId");
    // A random (version 4) UUID never names a version: versions are time-based.
    assertProblem(send(COMPARE + "?from=" + V1 + "&to=3f2504e0-4f89-41d3-9a0c-0305e82c3301", KEY_A), 400,
        "to must be a versionId");
    assertProblem(send(COMPARE + "?from=" + V1 + "&to=%2E%2E", KEY_A), 400, "to must be a versionId");
    assertProblem(send(COMPARE + "?from=" + V1 + "&to=" + "a".repeat(500), KEY_A), 400, "to must be a versionId");
    assertProblem(send("/api/v1/tenants/" + TENANT + "/objects/roleDefinitions/r1/compare?from=" + V1 + "&to=live",
        KEY_A), 400, "roleDefinitions are not read live");
    assertProblem(send("/api/v1/tenants/" + TENANT + "/objects/widgets/" + USER + "/compare?from=" + V1 + "&to="
        + V2, KEY_A), 404, "No object type 'widgets'");
    assertProblem(send("/api/v1/tenants/not-a-uuid/objects/users/" + USER + "/compare?from=" + V1 + "&to=" + V2,
        KEY_A), 400, "tenant id");
    assertTrue(asked.isEmpty(), "nothing was read for a bad request: " + asked);
  }

  @Test
  void anUnknownVersionObjectOrAnotherAccountsTenantIsNotFound() throws Exception {
    assertProblem(send(COMPARE + "?from=" + V1 + "&to=" + UNKNOWN, KEY_A), 404, "No such tenant, object or version");
    assertProblem(send(COMPARE + "?from=" + UNKNOWN + "&to=live", KEY_A), 404, "No such tenant, object or version");
    assertProblem(send(COMPARE + "?from=" + V1 + "&to=" + V2, KEY_B), 404, "No such tenant, object or version");
    assertProblem(send("/api/v1/tenants/" + TENANT + "/objects/users/someone-else/compare?from=" + V1 + "&to=" + V2,
        KEY_A), 404, "No such");
  }

  @Test
  void aLiveReadThatCannotBeMadeNowIsAProblemWithItsStatus() throws Exception {
    var refused = send("/api/v1/tenants/" + TENANT + "/objects/groups/" + USER + "/compare?from=" + V1 + "&to=live",
        KEY_A);
    JsonNode problem = assertProblem(refused, 409, "not authorized");
    assertTrue(problem.get("type").asText().contains("compare-refused"), problem.toString());
  }

  @Test
  void withoutAKeyItIsUnauthorized() throws Exception {
    assertProblem(send(COMPARE + "?from=" + V1 + "&to=" + V2, null), 401, "Authorization: Bearer");
  }

  private static HttpResponse<String> send(String path, String key) throws Exception {
    return server.send("GET", path, null, key);
  }
}
