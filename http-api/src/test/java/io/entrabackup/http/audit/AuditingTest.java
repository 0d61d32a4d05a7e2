package io.entrabackup.http.audit;

import static io.entrabackup.http.Stubs.done;
import static io.entrabackup.http.Stubs.stub;
import static io.entrabackup.http.Stubs.unused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.http.ApiRoutes;
import io.entrabackup.http.ApiTestServer;
import io.entrabackup.http.HttpSettings;
import io.entrabackup.http.account.AccountClient;
import io.entrabackup.http.account.AccountRoutes;
import io.entrabackup.http.consent.ConsentClient;
import io.entrabackup.http.consent.ConsentRoutes;
import io.entrabackup.http.health.HealthCheck;
import io.entrabackup.http.health.HealthRoutes;
import io.entrabackup.http.job.JobClient;
import io.entrabackup.http.job.JobRoutes;
import io.entrabackup.http.limits.RequestRateLimit;
import io.entrabackup.http.object.ObjectClient;
import io.entrabackup.http.object.ObjectRoutes;
import io.entrabackup.http.tenant.TenantClient;
import io.entrabackup.http.tenant.TenantRoutes;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.ApiKeyView;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.audit.AuditAction;
import io.entrabackup.protocol.audit.AuditEntry;
import io.entrabackup.protocol.audit.AuditOutcome;
import io.entrabackup.protocol.audit.ChainCheck;
import io.entrabackup.protocol.audit.NewAuditRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The audit directives over real HTTP, with the trail in memory: what is recorded, where, and from which address. */
class AuditingTest {

  private static final AccountId A = new AccountId("msp-a");
  private static final Map<String, Caller> KEYS = Map.of(
      "eb_ka_secret", new Caller(A, "ka", false),
      "eb_kb_secret", new Caller(new AccountId("msp-b"), "kb", false),
      "eb_kc_secret", new Caller(A, "kc", Set.of(Scope.OPERATE), false));
  private static final String TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

  /** The trail in memory; {@code failing} makes every append fail, as with Cassandra down. */
  private static final class MemoryTrail implements AuditClient {
    final List<NewAuditRecord> appended = new CopyOnWriteArrayList<>();
    final List<String> firstUseChecks = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public CompletionStage<AuditEntry> append(NewAuditRecord record) {
      if (failing) {
        return CompletableFuture.failedFuture(new IllegalStateException("Cassandra is down"));
      }
      appended.add(record);
      return done(new AuditEntry(record.trail(), appended.size(), record.at(), record.keyId(), record.source(),
          record.userAgent(), record.action(), record.target(), record.outcome(), record.status(), "", ""));
    }

    @Override
    public CompletionStage<Page> list(String trail, Predicate<AuditEntry> filter, Optional<Long> before, int limit) {
      throw new AssertionError("not listed here");
    }

    @Override
    public CompletionStage<ChainCheck> verify(String trail) {
      throw new AssertionError("not verified here");
    }

    @Override
    public CompletionStage<Boolean> firstUseFrom(AccountId account, String keyId, String address) {
      firstUseChecks.add(keyId + "@" + address);
      return done(true);
    }

    @Override
    public CompletionStage<Optional<DownloadOwner>> downloadOwner(String jobId) {
      return done(Optional.empty());
    }

    List<NewAuditRecord> of(AuditAction action) {
      return appended.stream().filter(record -> record.action() == action).toList();
    }
  }

  private static ApiTestServer start(MemoryTrail trail, Set<String> trustedProxies) throws Exception {
    var settings = new AuditSettings(trustedProxies, 20, 3, Duration.ofMinutes(1), 100, 100,
        Duration.ofSeconds(3));
    // Revoking asks which key it is first (a key revokes only keys whose scopes it holds).
    AccountClient accounts = stub(AccountClient.class, Map.of("revokeKey", done(true),
        "key", done(Optional.of(new ApiKeyView("k9", "ops", Set.of(Scope.READ), false, Instant.EPOCH,
            Optional.empty())))));
    TenantClient tenants = stub(TenantClient.class,
        Map.of("startBackup", CompletableFuture.failedFuture(new IllegalStateException("entity gone"))));
    return ApiTestServer.start((HttpSettings http) -> new ApiRoutes(
        header -> done(header.map(value -> value.replace("Bearer ", "")).map(KEYS::get)),
        new TenantRoutes(tenants, new ObjectRoutes(unused(ObjectClient.class), http, Optional.empty()), http,
            Clock.systemUTC()),
        new AccountRoutes(accounts, http),
        new JobRoutes(unused(JobClient.class), http, Optional.empty()),
        new ConsentRoutes(unused(ConsentClient.class)),
        new HealthRoutes(unused(HealthCheck.class)),
        Optional.empty(),
        Optional.empty(), RequestRateLimit.unlimited(), Auditing.of(trail, settings, http, Clock.systemUTC())));
  }

  @Test
  void anAuditedRequestIsRecordedWithTheConnectionsAddressNotAForgedForwardedFor() throws Exception {
    var trail = new MemoryTrail();
    try (var server = start(trail, Set.of())) {
      var answer = server.send(server.request("/api/v1/accounts/msp-a/keys/k9").DELETE()
          .header("Authorization", "Bearer eb_ka_secret").header("X-Forwarded-For", "203.0.113.5")
          .header("User-Agent", "a-very-long-user-agent-that-is-cut").build());
      assertEquals(204, answer.statusCode());
    }
    NewAuditRecord revoked = trail.of(AuditAction.KEY_REVOKED).get(0);
    assertEquals("msp-a", revoked.trail());
    assertEquals(Optional.of("ka"), revoked.keyId());
    assertEquals(Optional.of("127.0.0.1"), revoked.source());
    assertEquals(Optional.of("a-very-long-user-age"), revoked.userAgent());
    assertEquals(Map.of("account", "msp-a", "key", "k9"), revoked.target());
    assertEquals(AuditOutcome.SUCCESS, revoked.outcome());
    assertEquals(204, revoked.status());
  }

  @Test
  void aTrustedProxysForwardedForNamesTheClient() throws Exception {
    var trail = new MemoryTrail();
    try (var server = start(trail, Set.of("127.0.0.1", "10.0.0.2"))) {
      server.send(server.request("/api/v1/accounts/msp-a/keys/k9").DELETE()
          .header("Authorization", "Bearer eb_ka_secret")
          .header("X-Forwarded-For", "198.51.100.77, 203.0.113.5, 10.0.0.2").build());
    }
    assertEquals(Optional.of("203.0.113.5"), trail.of(AuditAction.KEY_REVOKED).get(0).source());
  }

  @Test
  void aFailureOnOurSideIsRecordedAsFailedAndAFailingTrailFailsNoRequest() throws Exception {
    var trail = new MemoryTrail();
    try (var server = start(trail, Set.of())) {
      assertEquals(500, server.send("POST", "/api/v1/tenants/" + TENANT + "/backups", null, "eb_ka_secret")
          .statusCode());
      trail.failing = true;
      assertEquals(204, server.send("DELETE", "/api/v1/accounts/msp-a/keys/k1", null, "eb_ka_secret").statusCode());
    }
    NewAuditRecord backup = trail.of(AuditAction.BACKUP_REQUESTED).get(0);
    assertEquals(AuditOutcome.FAILED, backup.outcome());
    assertEquals(500, backup.status());
    assertEquals(Map.of("tenant", TENANT), backup.target());
  }

  @Test
  void aRefusedRequestNamingAnotherAccountIsRecordedOnlyInTheCallersTrail() throws Exception {
    var trail = new MemoryTrail();
    try (var server = start(trail, Set.of())) {
      assertEquals(404, server.send("DELETE", "/api/v1/accounts/msp-a/keys/ka", null, "eb_kb_secret").statusCode());
    }
    List<NewAuditRecord> revokes = trail.of(AuditAction.KEY_REVOKED);
    assertEquals(1, revokes.size(), revokes.toString());
    assertEquals("msp-b", revokes.get(0).trail());
    assertEquals(AuditOutcome.REFUSED, revokes.get(0).outcome());
  }

  @Test
  void aKeysFirstUseFromAnAddressIsRecordedOnceAndReadsAreNotRecorded() throws Exception {
    var trail = new MemoryTrail();
    try (var server = start(trail, Set.of())) {
      for (int i = 0; i < 3; i++) {
        server.send("GET", "/api/v1/jobs/not-a-job", null, "eb_ka_secret");
      }
    }
    assertEquals(List.of("ka@127.0.0.1"), trail.firstUseChecks);
    assertEquals(1, trail.appended.size(), trail.appended.toString());
    assertEquals(AuditAction.KEY_USED_FROM_NEW_ADDRESS, trail.appended.get(0).action());
  }

  @Test
  void aBurstOfFailedAuthenticationsIsOneRecordInTheInstallsTrail() throws Exception {
    var trail = new MemoryTrail();
    try (var server = start(trail, Set.of())) {
      for (int i = 0; i < 8; i++) {
        assertEquals(401, server.send("GET", "/api/v1/tenants", null, "eb_wrong_" + i).statusCode());
      }
    }
    List<NewAuditRecord> bursts = trail.of(AuditAction.AUTHENTICATION_FAILURES);
    assertEquals(1, bursts.size(), trail.appended.toString());
    assertEquals(AuditEntry.INSTALL_TRAIL, bursts.get(0).trail());
    assertTrue(bursts.get(0).keyId().isEmpty());
    assertEquals(401, bursts.get(0).status());
  }

  @Test
  void theAuditListRefusesWhatItCannotReadAndKeysWithoutTheReadScope() throws Exception {
    var trail = new MemoryTrail();
    try (var server = start(trail, Set.of())) {
      for (String bad : List.of("from=yesterday", "to=%2B1000000000-12-31T23:59:59.999999999Z", "to=2026-02-30",
          "action=key.stolen", "tenant=..", "cursor=garbage", "limit=0", "from=2026-12-06&to=2026-12-01",
          "trail=other")) {
        ApiTestServer.assertProblem(server.send("GET", "/api/v1/audit?" + bad, null, "eb_ka_secret"), 400, "");
      }
      ApiTestServer.assertProblem(server.send("GET", "/api/v1/audit", null, "eb_kc_secret"), 403, "'read'");
      ApiTestServer.assertProblem(server.send("GET", "/api/v1/audit?trail=install", null, "eb_ka_secret"), 403,
          "install administrator");
      ApiTestServer.assertProblem(server.send("GET", "/api/v1/audit/verification", null, "eb_kc_secret"), 403,
          "'admin'");
    }
  }
}
