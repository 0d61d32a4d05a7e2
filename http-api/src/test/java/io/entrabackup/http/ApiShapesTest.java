package io.entrabackup.http;

import io.entrabackup.protocol.backup.JobFilter;
import io.entrabackup.protocol.backup.JobKind;
import static io.entrabackup.http.ApiTestServer.assertProblem;
import static io.entrabackup.http.ApiTestServer.json;
import static io.entrabackup.http.Stubs.done;
import static io.entrabackup.http.Stubs.stub;
import static io.entrabackup.http.Stubs.unused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.http.account.AccountClient;
import io.entrabackup.http.account.AccountRoutes;
import io.entrabackup.http.auth.BearerKeyAuthenticator;
import io.entrabackup.http.consent.ConsentClient;
import io.entrabackup.http.consent.ConsentRoutes;
import io.entrabackup.http.download.DownloadClient;
import io.entrabackup.http.download.DownloadRoutes;
import io.entrabackup.http.health.HealthCheck;
import io.entrabackup.http.health.HealthRoutes;
import io.entrabackup.http.job.JobClient;
import io.entrabackup.http.job.JobRoutes;
import io.entrabackup.http.object.ObjectClient;
import io.entrabackup.http.object.ObjectRoutes;
import io.entrabackup.http.restore.RestoreClient;
import io.entrabackup.http.restore.RestoreRoutes;
import io.entrabackup.http.tenant.TenantClient;
import io.entrabackup.http.tenant.TenantRoutes;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.ApiKeyView;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.api.TenantQuery;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.backup.ObjectItem;
import io.entrabackup.protocol.backup.ObjectItemPage;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.backup.TypeSummary;
import io.entrabackup.protocol.backup.VersionItem;
import io.entrabackup.protocol.download.DownloadScope;
import io.entrabackup.protocol.download.DownloadView;
import io.entrabackup.protocol.restore.RestoreDetails;
import io.entrabackup.protocol.restore.SkipReason;
import io.entrabackup.protocol.restore.SkippedItem;
import io.entrabackup.protocol.tenant.ActivationReply;
import io.entrabackup.protocol.tenant.TenantAction;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's shapes agree: every request that starts a job answers what {@code GET /jobs/{id}} shows of it, and every
 * list answers {@code {"items": [...], "next": ...}}; the names clients read before stay readable for one release.
 */
class ApiShapesTest {

  private static final String KEY = "eb_key_of_account_a";
  private static final AccountId ACCOUNT = new AccountId("msp-a");
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
  private static final TenantId OTHER_TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3302");
  private static final String BACKUP_JOB = "6a1f2c4e-0f0e-11f1-8000-000000000001";
  private static final String RESTORE_JOB = "6a1f2c4e-0f0e-11f1-8000-000000000002";
  private static final String DOWNLOAD_JOB = "6a1f2c4e-0f0e-11f1-8000-000000000003";
  private static final String USER = "7d1e6a3c-1b2a-4c5d-8e9f-0a1b2c3d4e5f";
  private static final String OBJECTS = "/api/v1/tenants/" + TENANT + "/objects/";

  /**
   * The jobs as System Status's read model shows them right after their start, written out here as the read model
   * does (not by the code under test), so the start answers are compared with an independent account of a job.
   */
  private static final Map<String, JobView> SHOWN = Map.of(
      // A backup is queued until its node has a backup slot for it.
      BACKUP_JOB, new JobView(BACKUP_JOB, JobKind.BACKUP, TENANT.value(), JobState.QUEUED,
          Optional.of(BackupTrigger.MANUAL), NOW, Optional.empty(), Optional.empty(), Map.of(), Map.of(),
          TypeCounts.ZERO, GraphTraffic.NONE, Optional.empty(), Optional.empty()),
      RESTORE_JOB, new JobView(RESTORE_JOB, JobKind.RESTORE, TENANT.value(), JobState.QUEUED, Optional.empty(), NOW,
          Optional.empty(), Optional.empty(), Map.of(), Map.of(), TypeCounts.ZERO, GraphTraffic.NONE,
          Optional.empty(), Optional.empty())
          .withRestore(Optional.of(new RestoreDetails("users", USER, "v-1", "ka", Optional.empty(), Optional.empty(),
              0, 0, Optional.empty()))),
      DOWNLOAD_JOB, new JobView(DOWNLOAD_JOB, JobKind.DOWNLOAD, TENANT.value(), JobState.RUNNING, Optional.empty(), NOW,
          Optional.of(NOW), Optional.empty(), Map.of(), Map.of(), TypeCounts.ZERO, GraphTraffic.NONE,
          Optional.empty(), Optional.empty())
          .withDownload(new DownloadView(DownloadScope.TENANT, Optional.empty(), Optional.empty(), Optional.empty(),
              Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty(),
              Optional.empty(), Optional.empty(), Map.of(), Optional.empty())));

  private static ApiTestServer server;

  @Test
  void backupNowAnswersTheJobAsSystemStatusShowsIt() throws Exception {
    assertStartAnswersTheJob(send("POST", "/api/v1/tenants/" + TENANT + "/backups", ""), BACKUP_JOB);
  }

  @Test
  void aRestoreAnswersTheJobAsSystemStatusShowsIt() throws Exception {
    assertStartAnswersTheJob(send("POST", OBJECTS + "users/" + USER + "/restores", "{\"version\":\"v-1\"}"),
        RESTORE_JOB);
  }

  @Test
  void aDownloadAnswersTheJobAsSystemStatusShowsIt() throws Exception {
    assertStartAnswersTheJob(send("POST", "/api/v1/tenants/" + TENANT + "/downloads", "{\"scope\":\"tenant\"}"),
        DOWNLOAD_JOB);
  }

  @Test
  void pagedListsAnswerItemsAndTheNextCursor() throws Exception {
    JsonNode tenants = assertItemPage(send("GET", "/api/v1/tenants?limit=1", null), Optional.of("tenants"));
    assertEquals(TENANT.value(), tenants.get("items").get(0).get("id").asText());
    assertEquals(TENANT.value(), tenants.get("next").asText());
    JsonNode rest = assertItemPage(send("GET", "/api/v1/tenants?limit=1&cursor=" + TENANT, null),
        Optional.of("tenants"));
    assertEquals(OTHER_TENANT.value(), rest.get("items").get(0).get("id").asText());
    assertFalse(rest.has("next"), rest.toString());

    JsonNode objects = assertItemPage(send("GET", OBJECTS + "users?limit=1", null), Optional.empty());
    assertEquals("cursor-2", objects.get("next").asText());
    // The list's second line under the name.
    assertEquals("adele@contoso.com", objects.get("items").get(0).get("detail").asText(), objects.toString());
    JsonNode jobs = assertItemPage(send("GET", "/api/v1/jobs?kind=backup", null), Optional.empty());
    assertEquals(BACKUP_JOB, jobs.get("items").get(0).get("id").asText());
  }

  @Test
  void wholeListsAnswerItemsWithoutANextCursor() throws Exception {
    JsonNode types = assertItemPage(send("GET", OBJECTS, null), Optional.of("types"));
    assertEquals("users", types.get("items").get(0).get("type").asText());
    JsonNode versions = assertItemPage(send("GET", OBJECTS + "users/" + USER + "/versions", null),
        Optional.of("versions"));
    assertEquals("v-2", versions.get("items").get(0).get("versionId").asText());
    JsonNode keys = assertItemPage(send("GET", "/api/v1/accounts/msp-a/keys", null), Optional.of("keys"));
    assertEquals("ka", keys.get("items").get(0).get("keyId").asText());
    JsonNode skipped = assertItemPage(send("GET", "/api/v1/jobs/" + RESTORE_JOB + "/skipped-items", null),
        Optional.of("jobId"));
    assertEquals("createdDateTime", skipped.get("items").get(0).get("item").asText());
    for (JsonNode list : List.of(types, versions, keys, skipped)) {
      assertFalse(list.has("next"), list.toString());
    }
  }

  @Test
  void aTenantIdThatIsNotOneIsABadRequestOnEveryTenantPath() throws Exception {
    assertProblem(send("GET", "/api/v1/tenants/not-a-uuid", null), 400, "tenant id");
    assertProblem(send("POST", "/api/v1/tenants/not-a-uuid/backups", ""), 400, "tenant id");
    assertProblem(send("POST", "/api/v1/tenants/not-a-uuid/downloads", "{\"scope\":\"tenant\"}"), 400, "tenant id");
  }

  // ------------------------------------------------------------------------------------------------ assertions

  /** 202, Location the job, and the body GET /jobs/{id} answers, plus the deprecated {@code jobId}. */
  private static void assertStartAnswersTheJob(HttpResponse<String> response, String jobId) throws Exception {
    assertEquals(202, response.statusCode(), response.body());
    assertEquals("/api/v1/jobs/" + jobId, response.headers().firstValue("Location").orElse(""));
    JsonNode started = json(response);
    assertEquals(jobId, started.get("jobId").asText(), "the deprecated jobId is still answered");

    var shown = send("GET", "/api/v1/jobs/" + started.get("id").asText(), null);
    assertEquals(200, shown.statusCode(), shown.body());
    ObjectNode withoutAlias = started.deepCopy();
    withoutAlias.remove("jobId");
    assertEquals(json(shown), withoutAlias);
  }

  /** {@code items}, {@code next} only when there is more, and nothing else but the list's former name. */
  private static JsonNode assertItemPage(HttpResponse<String> response, Optional<String> alsoNamed) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    JsonNode page = json(response);
    assertTrue(page.get("items").isArray(), page.toString());
    assertTrue(!page.has("next") || page.get("next").isTextual(), page.toString());
    Set<String> fields = new HashSet<>();
    page.fieldNames().forEachRemaining(fields::add);
    // The tenant list also answers the dashboard's summary beside its page.
    fields.removeAll(Set.of("items", "next", "summary"));
    assertEquals(alsoNamed.map(Set::of).orElse(Set.of()), fields, page.toString());
    alsoNamed.filter(name -> !name.equals("jobId"))
        .ifPresent(name -> assertEquals(page.get("items"), page.get(name), "the former name lists the same items"));
    return page;
  }

  // ------------------------------------------------------------------------------------------------ the cluster side

  private static final class Tenants implements TenantClient {
    @Override public CompletionStage<TenantCommands.Reply> startBackup(TenantId tenant, AccountId account) {
      return done(new TenantCommands.BackupAccepted(BACKUP_JOB));
    }

    @Override public CompletionStage<TenantPage> list(AccountId account, TenantQuery query) {
      return done(query.after().isEmpty()
          ? new TenantPage(List.of(tenant(TENANT)), TENANT.value())
          : new TenantPage(List.of(tenant(OTHER_TENANT)), null));
    }

    @Override public CompletionStage<TenantCommands.Reply> register(TenantId t, AccountId a, String n,
        Optional<String> e) {
      throw new AssertionError("not expected");
    }

    @Override public CompletionStage<TenantCommands.Reply> get(TenantId tenant, AccountId account) {
      throw new AssertionError("not expected");
    }

    @Override public CompletionStage<ActivationReply> activate(TenantId t, AccountId a, boolean i, Duration f) {
      throw new AssertionError("not expected");
    }

    @Override public CompletionStage<TenantCommands.Reply> checkAuthorization(TenantId t, AccountId a) {
      throw new AssertionError("not expected");
    }

    private static TenantView tenant(TenantId id) {
      return new TenantView(id, ACCOUNT, "Contoso", Optional.empty(), TenantStatus.AUTHORIZED, Optional.empty(),
          Optional.empty(), Optional.empty(), List.of(), Optional.of("P1D"), Optional.empty(), Optional.empty(),
          Map.of(), TenantAction.availableIn(TenantStatus.AUTHORIZED), NOW, Optional.empty());
    }
  }

  @BeforeAll
  static void bind() throws Exception {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    var authenticator = new BearerKeyAuthenticator(key -> done(KEY.equals(key)
        ? Optional.of(new Caller(ACCOUNT, "ka", false))
        : Optional.empty()));
    RestoreClient restores = stub(RestoreClient.class, Map.of(
        "start", done(new TenantCommands.RestoreAccepted(RESTORE_JOB, true)),
        "skippedItems", done(Optional.of(List.of(new SkippedItem("users", USER, "createdDateTime",
            SkipReason.READ_ONLY, "Read-only", Optional.empty()))))));
    ObjectClient objects = stub(ObjectClient.class, Map.of(
        "types", done(Optional.of(List.of(new TypeSummary(ObjectType.USERS, 2)))),
        "objects", done(Optional.of(new ObjectItemPage(
            List.of(new ObjectItem(USER, "Adele", "v-2", NOW, false, Optional.of("adele@contoso.com"))), "cursor-2"))),
        "versions", done(Optional.of(List.of(new VersionItem("v-2", NOW, BACKUP_JOB, Optional.empty()),
            new VersionItem("v-1", NOW.minusSeconds(86_400), BACKUP_JOB, Optional.empty()))))));
    JobClient jobs = new JobClient() {
      @Override public CompletionStage<JobPage> list(AccountId a, JobKind kind, JobFilter filter, Optional<String> after,
        int limit) {
        return done(new JobPage(List.of(SHOWN.get(BACKUP_JOB)), null));
      }

      @Override public CompletionStage<Optional<JobView>> get(AccountId a, String jobId) {
        return done(Optional.ofNullable(SHOWN.get(jobId)));
      }
    };
    DownloadClient downloads = stub(DownloadClient.class, Map.of(
        "start", done(new DownloadClient.Outcome.Started(SHOWN.get(DOWNLOAD_JOB)))));
    AccountClient accounts = stub(AccountClient.class, Map.of(
        "listKeys",
        done(Optional.of(List.of(new ApiKeyView("ka", "portal", Scope.ALL, false, NOW, Optional.empty()))))));

    server = ApiTestServer.start(settings -> new ApiRoutes(authenticator,
        new TenantRoutes(new Tenants(),
            new ObjectRoutes(objects, settings, Optional.of(new RestoreRoutes(restores, settings, clock))), settings,
            clock),
        new AccountRoutes(accounts, settings),
        new JobRoutes(jobs, settings, Optional.of(restores)),
        new ConsentRoutes(unused(ConsentClient.class)),
        new HealthRoutes(unused(HealthCheck.class)),
        Optional.of(new DownloadRoutes(downloads, authenticator, settings, clock))));
  }

  @AfterAll
  static void shutdown() {
    server.close();
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    return server.send(method, path, body, KEY);
  }
}
