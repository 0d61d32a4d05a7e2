package io.entrabackup.http.history;

import static io.entrabackup.http.ApiTestServer.assertProblem;
import static io.entrabackup.http.Stubs.done;
import static io.entrabackup.http.Stubs.unused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.history.HistoryFinding;
import io.entrabackup.protocol.history.HistoryProblem;
import io.entrabackup.protocol.history.HistoryProgress;
import io.entrabackup.protocol.history.HistoryReport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The history verification route over real HTTP, the walk in memory: its lines, its scope, its refusals. */
class HistoryRoutesTest {

  private static final String KEY_READ = "eb_key_read";
  private static final String KEY_OPERATE_ONLY = "eb_key_operate_only";
  private static final String KEY_BUSY = "eb_key_of_a_busy_node";
  private static final AccountId ACCOUNT = new AccountId("msp-a");
  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
  private static final String PATH = "/api/v1/tenants/" + TENANT + "/history/verification";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ApiTestServer server;

  /** The account's tenant has one break; another tenant is not found; the busy key's node is full. */
  private static final class InMemoryHistory implements HistoryClient {
    @Override
    public CompletionStage<Outcome> verify(Caller caller, TenantId tenant) {
      if (caller.keyId().equals("busy")) {
        return CompletableFuture.completedFuture(new Outcome.Busy());
      }
      if (!tenant.equals(TENANT)) {
        return CompletableFuture.completedFuture(new Outcome.NotFound());
      }
      List<HistoryFinding> findings = List.of(
          new HistoryProblem(HistoryProblem.BREAK, "users", "u1", "v2", "altered"),
          new HistoryProgress("users", 1000),
          new HistoryReport(TENANT.value(), 1000, 3000, 2999, 0, 0, 1, 0, false));
      return CompletableFuture.completedFuture(new Outcome.Walking(Source.from(findings)));
    }
  }

  @BeforeAll
  static void bind() throws Exception {
    Map<String, Caller> keys = Map.of(
        KEY_READ, new Caller(ACCOUNT, "ka", Set.of(Scope.READ), false),
        KEY_OPERATE_ONLY, new Caller(ACCOUNT, "ko", Set.of(Scope.OPERATE), false),
        KEY_BUSY, new Caller(ACCOUNT, "busy", Set.of(Scope.READ), false));
    server = ApiTestServer.start(settings -> new ApiRoutes(
        new BearerKeyAuthenticator(key -> done(Optional.ofNullable(keys.get(key)))),
        new TenantRoutes(unused(TenantClient.class),
            new ObjectRoutes(unused(ObjectClient.class), settings, Optional.empty(), Optional.empty(),
                Optional.of(new HistoryRoutes(new InMemoryHistory()))), settings, Clock.systemUTC()),
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
  void theFindingsStreamAsOneJsonLineEachWithTheReportLast() throws Exception {
    var response = server.send("GET", PATH, null, KEY_READ);
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
    List<JsonNode> lines = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      lines.add(JSON.readTree(line));
    }
    assertEquals(List.of("problem", "progress", "report"), lines.stream().map(l -> l.get("event").asText()).toList());
    assertEquals("break", lines.get(0).get("kind").asText());
    assertEquals("v2", lines.get(0).get("versionId").asText());
    assertEquals(1000, lines.get(1).get("objects").asLong());
    assertEquals(1, lines.get(2).get("breaks").asLong());
    assertEquals(false, lines.get(2).get("intact").asBoolean());
  }

  @Test
  void itNeedsTheReadScopeTheCallersTenantAndRoomOnTheNode() throws Exception {
    assertProblem(server.send("GET", PATH, null, KEY_OPERATE_ONLY), 403, "read");
    assertEquals(404, server.send("GET", "/api/v1/tenants/" + TenantId.random() + "/history/verification", null,
        KEY_READ).statusCode());
    assertProblem(server.send("GET", PATH, null, KEY_BUSY), 429, "verifications");
    assertEquals(401, server.send("GET", PATH, null, null).statusCode());
    assertEquals(405, server.send("POST", PATH, "", KEY_READ).statusCode());
  }
}
