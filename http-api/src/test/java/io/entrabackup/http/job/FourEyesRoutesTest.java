package io.entrabackup.http.job;

import static io.entrabackup.http.ApiTestServer.assertProblem;
import static io.entrabackup.http.ApiTestServer.json;
import static io.entrabackup.http.Stubs.done;
import static io.entrabackup.http.Stubs.unused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.http.ApiRoutes;
import io.entrabackup.http.ApiTestServer;
import io.entrabackup.http.account.AccountClient;
import io.entrabackup.http.account.AccountRoutes;
import io.entrabackup.http.account.AccountSettingsClient;
import io.entrabackup.http.account.AccountSettingsRoutes;
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
import io.entrabackup.protocol.account.AccountSettings;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.FourEyes;
import io.entrabackup.protocol.account.Scope;
import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.approval.ApprovalOutcome;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.JobFilter;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.backup.TypeCounts;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The four-eyes API over real HTTP, the cluster in memory: account settings (admin scope, own account only,
 * validated) and approve/reject (scope by job kind, the requester refused, another account's job not found).
 */
class FourEyesRoutesTest {

  private static final AccountId ACCOUNT_A = new AccountId("msp-a");
  private static final String RESTORE_JOB = "e4b5a960-ebb3-11f1-af93-e706134a20c0";
  private static final String DOWNLOAD_JOB = "e4b5a961-ebb3-11f1-af93-e706134a20c0";
  private static final String ADMIN = "eb_admin_of_a";
  private static final String REQUESTER = "eb_requester_of_a";
  private static final String APPROVER = "eb_approver_of_a";
  private static final String READER = "eb_reader_of_a";
  private static final String OPERATOR = "eb_operator_of_a";
  private static final String OTHER = "eb_key_of_b";

  private static ApiTestServer server;
  private static final AtomicReference<AccountSettings> saved = new AtomicReference<>(AccountSettings.DEFAULTS);

  private static final class Jobs implements JobClient {
    @Override public CompletionStage<JobPage> list(AccountId account, JobKind kind, JobFilter filter,
        Optional<String> after, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override public CompletionStage<Optional<JobView>> get(AccountId account, String jobId) {
      if (!account.equals(ACCOUNT_A)) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      JobKind kind = jobId.equals(DOWNLOAD_JOB) ? JobKind.DOWNLOAD : JobKind.RESTORE;
      return CompletableFuture.completedFuture(Optional.of(new JobView(jobId, kind, "t", JobState.AWAITING_APPROVAL,
          Optional.empty(), Instant.EPOCH, Optional.empty(), Optional.empty(), Map.of(), Map.of(), TypeCounts.ZERO,
          GraphTraffic.NONE, Optional.empty(), Optional.empty())));
    }
  }

  /** The entity's rule, in short: the requester may not decide; everyone else may, once. */
  private static final ApprovalClient APPROVALS = (caller, job, decision) -> CompletableFuture.completedFuture(
      caller.keyId().equals("requester")
          ? new ApprovalOutcome.OwnRequest(job.id())
          : new ApprovalOutcome.Decided(job.id(), decision, false));

  private static final AccountSettingsClient SETTINGS = new AccountSettingsClient() {
    @Override public CompletionStage<AccountSettings> settings(AccountId account) {
      return CompletableFuture.completedFuture(saved.get());
    }

    @Override public CompletionStage<AccountSettings> save(AccountId account, AccountSettings settings, String keyId) {
      saved.set(settings);
      return CompletableFuture.completedFuture(settings);
    }
  };

  @BeforeAll
  static void bind() throws Exception {
    Map<String, Caller> keys = Map.of(
        ADMIN, new Caller(ACCOUNT_A, "admin", Set.of(Scope.ADMIN, Scope.READ), false),
        REQUESTER, new Caller(ACCOUNT_A, "requester", Scope.ALL, false),
        APPROVER, new Caller(ACCOUNT_A, "approver", Set.of(Scope.RESTORE), false),
        READER, new Caller(ACCOUNT_A, "reader", Set.of(Scope.READ), false),
        OPERATOR, new Caller(ACCOUNT_A, "operator", Set.of(Scope.OPERATE), false),
        OTHER, new Caller(new AccountId("msp-b"), "kb", Scope.ALL, true));
    server = ApiTestServer.start(settings -> new ApiRoutes(
        new BearerKeyAuthenticator(key -> done(Optional.ofNullable(keys.get(key)))),
        new TenantRoutes(unused(TenantClient.class), new ObjectRoutes(unused(ObjectClient.class), settings,
            Optional.empty()), settings, Clock.systemUTC()),
        new AccountRoutes(unused(AccountClient.class), settings),
        new JobRoutes(new Jobs(), settings, Optional.empty(), Optional.of(APPROVALS)),
        new ConsentRoutes(unused(ConsentClient.class)),
        new HealthRoutes(unused(HealthCheck.class)),
        Optional.empty(),
        Optional.of(new AccountSettingsRoutes(SETTINGS, settings)), RequestRateLimit.unlimited(), Auditing.off()));
  }

  @AfterAll
  static void shutdown() {
    server.close();
  }

  @Test
  void anAdminKeyReadsAndChangesItsOwnAccountsSettings() throws Exception {
    var defaults = server.send("GET", "/api/v1/accounts/msp-a/settings", null, ADMIN);
    assertEquals(200, defaults.statusCode(), defaults.body());
    assertEquals("PT24H", json(defaults).get("fourEyes").get("approvalWindow").asText());
    assertEquals(false, json(defaults).get("fourEyes").get("privilegedRestores").asBoolean());

    var changed = server.send("PUT", "/api/v1/accounts/msp-a/settings",
        "{\"fourEyes\":{\"privilegedRestores\":true,\"approvalWindow\":\"PT2H\"}}", ADMIN);
    assertEquals(200, changed.statusCode(), changed.body());
    assertEquals(new FourEyes(true, false, false, "PT2H"), saved.get().fourEyes());
  }

  @Test
  void settingsNeedTheAdminScopeAndAreNobodyElsesBusiness() throws Exception {
    assertProblem(server.send("GET", "/api/v1/accounts/msp-a/settings", null, READER), 403, "'admin'");
    assertProblem(server.send("GET", "/api/v1/accounts/msp-a/settings", null, OTHER), 404, "No such account");
    assertProblem(server.send("PUT", "/api/v1/accounts/msp-a/settings", "{\"fourEyes\":{}}", OTHER), 404,
        "No such account");
    assertProblem(server.send("PUT", "/api/v1/accounts/msp-a/settings",
        "{\"fourEyes\":{\"approvalWindow\":\"soon\"}}", ADMIN), 400, "approvalWindow");
    assertProblem(server.send("PUT", "/api/v1/accounts/msp-a/settings",
        "{\"fourEyes\":{\"everyRestore\":\"yes please\"}}", ADMIN), 400, "");
  }

  @Test
  void aSecondKeyApprovesARestoreTheRequesterCannot() throws Exception {
    var own = server.send("POST", "/api/v1/jobs/" + RESTORE_JOB + "/approve", null, REQUESTER);
    assertProblem(own, 403, "second key");
    assertTrue(own.body().contains("approval-by-requester"), own.body());

    var approved = server.send("POST", "/api/v1/jobs/" + RESTORE_JOB + "/approve", null, APPROVER);
    assertEquals(200, approved.statusCode(), approved.body());
    assertEquals("approved", json(approved).get("decision").asText());
    assertEquals("running", json(approved).get("state").asText());
    var rejected = server.send("POST", "/api/v1/jobs/" + RESTORE_JOB + "/reject", null, APPROVER);
    assertEquals("rejected", json(rejected).get("state").asText(), rejected.body());
  }

  @Test
  void approvingNeedsTheRestoreOrOperateScopeByKind() throws Exception {
    assertProblem(server.send("POST", "/api/v1/jobs/" + RESTORE_JOB + "/approve", null, READER), 403, "'restore'");
    assertProblem(server.send("POST", "/api/v1/jobs/" + RESTORE_JOB + "/approve", null, OPERATOR), 403, "'restore'");
    assertProblem(server.send("POST", "/api/v1/jobs/" + DOWNLOAD_JOB + "/approve", null, APPROVER), 403, "'operate'");
    assertEquals(200, server.send("POST", "/api/v1/jobs/" + DOWNLOAD_JOB + "/approve", null, OPERATOR).statusCode());
  }

  @Test
  void anotherAccountsJobIsNotFoundAndABadIdIsRefused() throws Exception {
    assertProblem(server.send("POST", "/api/v1/jobs/" + RESTORE_JOB + "/approve", null, OTHER), 404, "No job");
    assertProblem(server.send("POST", "/api/v1/jobs/not-a-job/approve", null, APPROVER), 400, "UUID");
    assertEquals(ApprovalDecision.APPROVED, ApprovalDecision.fromApiName("approved"));
  }
}
