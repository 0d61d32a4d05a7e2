package io.entrabackup.http.restore;

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
import io.entrabackup.http.object.ObjectClient;
import io.entrabackup.http.object.ObjectRoutes;
import io.entrabackup.http.tenant.TenantClient;
import io.entrabackup.http.tenant.TenantRoutes;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.restore.LiveState;
import io.entrabackup.protocol.restore.RestoreAction;
import io.entrabackup.protocol.restore.RestorePlan;
import io.entrabackup.protocol.restore.RestoreRefused;
import io.entrabackup.protocol.restore.SkipReason;
import io.entrabackup.protocol.restore.SkippedItem;
import io.entrabackup.protocol.tenant.TenantCommands;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The restore API over real HTTP, with the cluster side in memory: plans, restore jobs (running, queued, refused),
 * skipped items as JSON and CSV, and every error as a problem document.
 */
class RestoreRoutesTest {

  private static final String KEY_A = "eb_key_of_account_a";
  private static final String KEY_B = "eb_key_of_account_b";
  private static final AccountId ACCOUNT_A = new AccountId("msp-a");
  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
  private static final String USER = "7d1e6a3c-1b2a-4c5d-8e9f-0a1b2c3d4e5f";
  private static final String VERSION = "v-1";
  private static final String JOB = "6a1f2c4e-0f0e-11f1-8000-000000000001";
  private static final String OTHER_JOB = "6a1f2c4e-0f0e-11f1-8000-000000000002";
  private static final String OBJECTS = "/api/v1/tenants/" + TENANT + "/objects/";
  private static final List<SkippedItem> SKIPPED = List.of(
      new SkippedItem("users", USER, "createdDateTime", SkipReason.READ_ONLY, "Read-only, it was \"2024\"",
          Optional.empty()),
      new SkippedItem("users", USER, "memberOf/g1", SkipReason.PERMISSION_REFUSED, "Graph refused, twice",
          Optional.of("Authorization_RequestDenied")));
  private static ApiTestServer server;

  /**
   * Account A owns {@code TENANT}, whose user {@code USER} has version {@code VERSION}; version "busy" is refused by the
   * entity (not authorized), "deletion" is a tombstone, "queued" waits behind a backup.
   */
  private static final class InMemoryRestores implements RestoreClient {
    @Override public CompletionStage<Optional<RestorePlan>> plan(Caller caller, TenantId tenant, ObjectType type,
        String objectId, String versionId) {
      if (versionId.equals("deletion")) {
        return CompletableFuture.failedFuture(new RestoreRefused(400, "Version deletion records the object's deletion"));
      }
      if (type == ObjectType.ROLE_DEFINITIONS) {
        return CompletableFuture.failedFuture(new RestoreRefused(400, "roleDefinitions are not restored"));
      }
      return CompletableFuture.completedFuture(known(caller, tenant, objectId, versionId)
          ? Optional.of(new RestorePlan("users", objectId, versionId, LiveState.LIVE, RestoreAction.UPDATE,
              Map.of("jobTitle", TextNode.valueOf("Engineer")), List.of(), List.of(), List.of(), List.of(),
              List.of("g1"), List.of(), List.of(), SKIPPED))
          : Optional.empty());
    }

    @Override public CompletionStage<TenantCommands.Reply> start(Caller caller, TenantId tenant, ObjectType type,
        String objectId, String versionId) {
      if (caller.account().equals(ACCOUNT_A) && versionId.equals("busy")) {
        return CompletableFuture.completedFuture(new TenantCommands.Rejected("Tenant is not authorized"));
      }
      if (caller.account().equals(ACCOUNT_A) && versionId.equals("queued")) {
        return CompletableFuture.completedFuture(new TenantCommands.RestoreAccepted(JOB, true));
      }
      return CompletableFuture.completedFuture(known(caller, tenant, objectId, versionId)
          ? new TenantCommands.RestoreAccepted(JOB, false)
          : new TenantCommands.NotFound());
    }

    @Override public CompletionStage<Optional<List<SkippedItem>>> skippedItems(Caller caller, String jobId) {
      return CompletableFuture.completedFuture(caller.account().equals(ACCOUNT_A) && jobId.equals(JOB)
          ? Optional.of(SKIPPED)
          : Optional.empty());
    }

    private static boolean known(Caller caller, TenantId tenant, String objectId, String versionId) {
      return caller.account().equals(ACCOUNT_A) && tenant.equals(TENANT) && objectId.equals(USER)
          && versionId.equals(VERSION);
    }
  }

  @BeforeAll
  static void bind() throws Exception {
    Map<String, Caller> keys = Map.of(
        KEY_A, new Caller(ACCOUNT_A, "ka", false),
        KEY_B, new Caller(new AccountId("msp-b"), "kb", false));
    RestoreClient restores = new InMemoryRestores();
    server = ApiTestServer.start(settings -> new ApiRoutes(
        new BearerKeyAuthenticator(key -> done(Optional.ofNullable(keys.get(key)))),
        new TenantRoutes(unused(TenantClient.class),
            new ObjectRoutes(unused(ObjectClient.class), settings, Optional.of(new RestoreRoutes(restores, settings,
            Clock.systemUTC()))), settings, Clock.systemUTC()),
        new AccountRoutes(unused(AccountClient.class), settings),
        new JobRoutes(unused(JobClient.class), settings, Optional.of(restores)),
        new ConsentRoutes(unused(ConsentClient.class)),
        new HealthRoutes(unused(HealthCheck.class)),
        Optional.empty()));
  }

  @AfterAll
  static void shutdown() {
    server.close();
  }

  @Test
  void aPlanAnswersWhatARestoreWouldDo() throws Exception {
    var response = send("POST", OBJECTS + "users/" + USER + "/restore-plans", body(VERSION), KEY_A);

    assertEquals(200, response.statusCode(), response.body());
    JsonNode plan = json(response);
    assertEquals("update", plan.get("action").asText());
    assertEquals("Engineer", plan.get("propertiesToSet").get("jobTitle").asText());
    assertEquals("g1", plan.get("membershipsToAdd").get(0).asText());
    assertEquals("read_only_property", plan.get("skipped").get(0).get("reason").asText(), plan.toString());
  }

  @Test
  void aRestoreIsAcceptedWithItsJobAndWhereToFollowIt() throws Exception {
    var response = send("POST", OBJECTS + "users/" + USER + "/restores", body(VERSION), KEY_A);

    assertEquals(202, response.statusCode(), response.body());
    assertEquals(JOB, json(response).get("id").asText());
    assertEquals("restore", json(response).get("kind").asText());
    assertEquals("running", json(response).get("state").asText());
    assertEquals(VERSION, json(response).get("restore").get("versionId").asText());
    assertEquals("ka", json(response).get("restore").get("requestedBy").asText());
    assertEquals("/api/v1/jobs/" + JOB, response.headers().firstValue("Location").orElse(""));
    var queued = send("POST", OBJECTS + "users/" + USER + "/restores", body("queued"), KEY_A);
    assertEquals(202, queued.statusCode(), queued.body());
    assertEquals("queued", json(queued).get("state").asText());
  }

  @Test
  void aRestoreTheTenantRefusesIsAConflictWithItsReason() throws Exception {
    assertProblem(send("POST", OBJECTS + "users/" + USER + "/restores", body("busy"), KEY_A), 409, "not authorized");
  }

  @Test
  void aVersionThatCannotBeRestoredIsABadRequestSayingWhy() throws Exception {
    assertProblem(send("POST", OBJECTS + "users/" + USER + "/restore-plans", body("deletion"), KEY_A), 400,
        "records the object's deletion");
    assertProblem(send("POST", OBJECTS + "roleDefinitions/r1/restore-plans", body(VERSION), KEY_A), 400,
        "not restored");
  }

  @Test
  void badBodiesAreBadRequests() throws Exception {
    String plans = OBJECTS + "users/" + USER + "/restore-plans";
    String restores = OBJECTS + "users/" + USER + "/restores";
    assertProblem(send("POST", plans, "{}", KEY_A), 400, "version is required");
    assertProblem(send("POST", restores, "{\"version\":\"  \"}", KEY_A), 400, "version is required");
    assertProblem(send("POST", restores, "{\"version\":", KEY_A), 400, "not valid JSON");
    assertProblem(send("POST", plans, "{\"version\":\"v-1\",\"snapshot\":\"x\"}", KEY_A), 400,
        "Unknown field 'snapshot'");
    assertProblem(send("POST", plans, "{\"version\":{\"id\":1}}", KEY_A), 400, "version");
    assertProblem(send("POST", restores, body("v".repeat(100_000)), KEY_A), 413, "");
    assertProblem(send("POST", OBJECTS + "widgets/" + USER + "/restores", body(VERSION), KEY_A), 404,
        "No object type 'widgets'");
    assertProblem(send("POST", "/api/v1/tenants/not-a-uuid/objects/users/" + USER + "/restores", body(VERSION),
        KEY_A), 400, "tenant id");
  }

  @Test
  void anotherAccountsTenantObjectAndJobAreNotFound() throws Exception {
    assertProblem(send("POST", OBJECTS + "users/" + USER + "/restore-plans", body(VERSION), KEY_B), 404,
        "No such tenant, object or version");
    assertProblem(send("POST", OBJECTS + "users/" + USER + "/restores", body(VERSION), KEY_B), 404,
        "No such tenant, object or version");
    assertProblem(send("GET", "/api/v1/jobs/" + JOB + "/skipped-items", null, KEY_B), 404, "No restore job");
    assertProblem(send("GET", "/api/v1/jobs/" + JOB + "/skipped-items?format=csv", null, KEY_B), 404,
        "No restore job");
    assertProblem(send("GET", "/api/v1/jobs/" + OTHER_JOB + "/skipped-items", null, KEY_A), 404, "No restore job");
    assertProblem(send("POST", OBJECTS + "users/someone-else/restores", body(VERSION), KEY_A), 404, "No such");
  }

  @Test
  void skippedItemsComeAsJson() throws Exception {
    var response = send("GET", "/api/v1/jobs/" + JOB + "/skipped-items", null, KEY_A);

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonNode page = json(response);
    assertEquals(JOB, page.get("jobId").asText());
    assertEquals(2, page.get("items").size());
    JsonNode refused = page.get("items").get(1);
    assertEquals("memberOf/g1", refused.get("item").asText());
    assertEquals("permission_refused", refused.get("reason").asText());
    assertEquals("Authorization_RequestDenied", refused.get("graphCode").asText());
    assertFalse(page.get("items").get(0).hasNonNull("graphCode"), page.toString());
  }

  @Test
  void skippedItemsComeAsCsvByQueryOrByAccept() throws Exception {
    var byQuery = send("GET", "/api/v1/jobs/" + JOB + "/skipped-items?format=csv", null, KEY_A);
    var byAccept = server.send(server.request("/api/v1/jobs/" + JOB + "/skipped-items")
        .header("Authorization", "Bearer " + KEY_A).header("Accept", "text/csv").build());

    for (var response : List.of(byQuery, byAccept)) {
      assertEquals(200, response.statusCode(), response.body());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"),
          response.headers().toString());
      assertTrue(response.headers().firstValue("Content-Disposition").orElse("")
          .contains("skipped-items-" + JOB + ".csv"), response.headers().toString());
      assertEquals("objectType,objectId,item,reason,graphCode,message\r\n"
          + "users," + USER + ",createdDateTime,read_only_property,,\"Read-only, it was \"\"2024\"\"\"\r\n"
          + "users," + USER + ",memberOf/g1,permission_refused,Authorization_RequestDenied,\"Graph refused, twice\"\r\n",
          response.body());
    }
  }

  @Test
  void aBadJobIdIsABadRequestAndAMissingKeyUnauthorized() throws Exception {
    assertProblem(send("GET", "/api/v1/jobs/not-a-job/skipped-items", null, KEY_A), 400, "job id must be a UUID");
    var anonymous = server.send(server.request(OBJECTS + "users/" + USER + "/restores")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body(VERSION))).build());
    assertProblem(anonymous, 401, "Authorization: Bearer");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
    return server.send(method, path, body, key);
  }

  private static String body(String version) {
    return "{\"version\":\"" + version + "\"}";
  }
}
