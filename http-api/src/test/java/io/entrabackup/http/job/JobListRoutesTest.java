package io.entrabackup.http.job;

import static io.entrabackup.http.ApiTestServer.assertProblem;
import static io.entrabackup.http.ApiTestServer.json;
import static io.entrabackup.http.Stubs.done;
import static io.entrabackup.http.Stubs.unused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.http.ApiRoutes;
import io.entrabackup.http.ApiTestServer;
import io.entrabackup.http.account.AccountClient;
import io.entrabackup.http.account.AccountRoutes;
import io.entrabackup.http.audit.Auditing;
import io.entrabackup.http.auth.BearerKeyAuthenticator;
import io.entrabackup.http.consent.ConsentClient;
import io.entrabackup.http.consent.ConsentRoutes;
import io.entrabackup.http.health.HealthCheck;
import io.entrabackup.http.health.HealthRoutes;
import io.entrabackup.http.limits.RequestRateLimit;
import io.entrabackup.http.object.ObjectClient;
import io.entrabackup.http.object.ObjectRoutes;
import io.entrabackup.http.tenant.TenantClient;
import io.entrabackup.http.tenant.TenantRoutes;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.JobFilter;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobProgress;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.backup.TypeProgress;
import io.entrabackup.protocol.download.DownloadScope;
import io.entrabackup.protocol.download.DownloadView;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** System Status's list over real HTTP: its filters reach the read model validated, and a job's names and bars. */
class JobListRoutesTest {

  private static final String KEY = "eb_reader";
  private static final String TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
  private static final String JOB = "e4b5a960-ebb3-11f1-af93-e706134a20c0";
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final AtomicReference<JobFilter> asked = new AtomicReference<>();
  private static ApiTestServer server;

  private static final JobView RUNNING_BACKUP = new JobView(JOB, JobKind.BACKUP, TENANT, JobState.RUNNING,
      Optional.empty(), T0, Optional.of(T0), Optional.empty(), Map.of("users", 50L, "groups", 7L),
      Map.of("users", new TypeCounts(50, 50, 0, 0, 0)), TypeCounts.ZERO, GraphTraffic.NONE, Optional.empty(),
      Optional.empty())
      .withTenantName(Optional.of("Contoso Ltd"))
      .withSummary(new JobProgress(57, Optional.empty(), Optional.of(1), Optional.of(3),
          List.of(new TypeProgress("users", 50, true, false), new TypeProgress("groups", 7, false, true),
              new TypeProgress("applications", 0, false, false)), Optional.empty()));

  private static final JobView EXPIRED_DOWNLOAD = new JobView(JOB, JobKind.DOWNLOAD, TENANT, JobState.COMPLETED,
      Optional.empty(), T0, Optional.of(T0), Optional.of(T0.plusSeconds(4)), Map.of(), Map.of(), TypeCounts.ZERO,
      GraphTraffic.NONE, Optional.of(4000L), Optional.empty())
      .withDownload(new DownloadView(DownloadScope.TENANT, Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.of(T0), Optional.empty(), false, Optional.of("t.zip"), Optional.of(2048L), Optional.of("ab"),
          Optional.empty(), Optional.of(T0.plusSeconds(7 * 86_400)), Map.of("users", 40L), Optional.empty()));

  private static final class Jobs implements JobClient {
    @Override public CompletionStage<JobPage> list(AccountId account, JobKind kind, JobFilter filter,
        Optional<String> after, int limit) {
      asked.set(filter);
      return done(new JobPage(List.of(kind == JobKind.DOWNLOAD ? EXPIRED_DOWNLOAD : RUNNING_BACKUP), null));
    }

    @Override public CompletionStage<Optional<JobView>> get(AccountId account, String jobId) {
      return done(Optional.empty());
    }
  }

  @BeforeAll
  static void bind() throws Exception {
    Map<String, Caller> keys = Map.of(KEY, new Caller(new AccountId("msp-a"), "reader", Set.of(Scope.READ), false));
    server = ApiTestServer.start(settings -> new ApiRoutes(
        new BearerKeyAuthenticator(key -> done(Optional.ofNullable(keys.get(key)))),
        new TenantRoutes(unused(TenantClient.class), new ObjectRoutes(unused(ObjectClient.class), settings,
            Optional.empty()), settings, Clock.systemUTC()),
        new AccountRoutes(unused(AccountClient.class), settings),
        new JobRoutes(new Jobs(), settings, Optional.empty()),
        new ConsentRoutes(unused(ConsentClient.class)),
        new HealthRoutes(unused(HealthCheck.class)),
        Optional.empty(), Optional.empty(), RequestRateLimit.unlimited(), Auditing.off()));
  }

  @AfterAll
  static void shutdown() {
    server.close();
  }

  private static JsonNode list(String query) throws Exception {
    var response = server.send("GET", "/api/v1/jobs?" + query, null, KEY);
    assertEquals(200, response.statusCode(), response.body());
    return json(response);
  }

  @Test
  void theTenantStateAndTimeFiltersReachTheReadModel() throws Exception {
    list("kind=backup&tenant=" + TENANT + "&state=running,completed_with_skipped_items&from=2026-12-01"
        + "&to=2026-12-02T08:00:00Z");
    JobFilter filter = asked.get();
    assertEquals(Optional.of(TENANT), filter.tenantId());
    assertEquals(Set.of(JobState.RUNNING, JobState.COMPLETED_WITH_SKIPPED_ITEMS), filter.states());
    assertEquals(Optional.of(Instant.parse("2026-12-01T00:00:00Z")), filter.from());
    assertEquals(Optional.of(Instant.parse("2026-12-02T08:00:00.001Z")), filter.toExclusive());

    list("kind=backup&to=2026-12-02");
    assertEquals(Optional.of(Instant.parse("2026-12-03T00:00:00Z")), asked.get().toExclusive());
    list("kind=backup");
    assertEquals(JobFilter.NONE, asked.get());
  }

  @Test
  void badFilterValuesAreRefusedWithAProblemDocument() throws Exception {
    asked.set(null);
    assertProblem(server.send("GET", "/api/v1/jobs?tenant=not-a-tenant", null, KEY), 400, "tenant");
    assertProblem(server.send("GET", "/api/v1/jobs?state=done", null, KEY), 400, "state must be one or more");
    assertProblem(server.send("GET", "/api/v1/jobs?state=running,", null, KEY), 400, "state must be one or more");
    assertProblem(server.send("GET", "/api/v1/jobs?from=yesterday", null, KEY), 400, "ISO-8601");
    assertProblem(server.send("GET", "/api/v1/jobs?from=0001-01-01", null, KEY), 400, "ISO-8601");
    assertProblem(server.send("GET", "/api/v1/jobs?from=2026-12-02&to=2026-12-01", null, KEY), 400,
        "from must be before to");
    assertEquals(null, asked.get(), "no bad filter reached the read model");
  }

  @Test
  void aJobShowsItsTenantsNameAndItsBarsPerObjectType() throws Exception {
    JsonNode job = list("kind=backup").get("items").get(0);
    assertEquals("Contoso Ltd", job.get("tenantName").asText());
    JsonNode summary = job.get("summary");
    assertEquals(57, summary.get("objectsDone").asLong());
    assertEquals(1, summary.get("typesDone").asInt());
    assertEquals(3, summary.get("typesTotal").asInt());
    assertEquals("groups", summary.get("types").get(1).get("type").asText());
    assertTrue(summary.get("types").get(1).get("running").asBoolean());
    assertTrue(summary.get("types").get(0).get("done").asBoolean());
    assertFalse(summary.has("objectsPerSecond"), "no throughput before the job ends");
  }

  @Test
  void aDownloadWhoseLinkExpiredSaysSo() throws Exception {
    JsonNode download = list("kind=download").get("items").get(0).get("download");
    assertFalse(download.has("link"));
    assertTrue(download.get("linkExpired").asBoolean());
  }
}
