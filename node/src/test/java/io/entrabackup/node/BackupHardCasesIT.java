package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import io.entrabackup.simulator.admin.RequestLog;
import io.entrabackup.simulator.admin.SimulatorAdmin;
import io.entrabackup.simulator.directory.Churn;
import io.entrabackup.simulator.throttle.Faults;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backup engine where Graph hurts: expired delta links, both kinds of removal, throttling, injected
 * faults and cut pages. Each test has a simulated tenant of its own, checked object by object against
 * the simulator after its backups.
 */
class BackupHardCasesIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(0).users(0).groups(0).seed(23));

  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

  private final SimulatorAdmin simulator = deployment.simulator().admin();

  @AfterEach
  void calm() {
    simulator.clearFaults();
    simulator.throttle(1.0, false, false);
    simulator.quirks(false, false);
  }

  private record Fixture(TenantInfo tenant, BackedUpDirectory backups) {}

  private Fixture newTenant(int users, int groups) throws Exception {
    TenantInfo tenant = simulator.createTenant(users, groups);
    return new Fixture(tenant, deployment.backupsOf(tenant, deployment.addAuthorizedTenant(tenant)));
  }

  private static JsonNode completed(JsonNode job) {
    assertEquals("completed", job.get("state").asText(), job.toString());
    return job;
  }

  @SuppressWarnings("unchecked")
  private static List<String> touched(Map<String, Object> report, String action) {
    return (List<String>) report.get(action);
  }

  @Test
  void softAndHardDeletesBecomeTombstonesWithTheirReason() throws Exception {
    Fixture f = newTenant(30, 5);
    completed(f.backups().backUpNow(JOB_TIMEOUT));
    // Hard deletes first: a hard delete may also purge a user from the recycle bin.
    Map<String, Object> hard = simulator.churn(f.tenant().id(),
        new Churn.Spec(7, "2", null, "2", null, "1", null, "2", "2"));
    Map<String, Object> soft = simulator.churn(f.tenant().id(),
        new Churn.Spec(17, null, "2", null, null, null, null, null, null));
    JsonNode job = completed(f.backups().backUpNow(JOB_TIMEOUT));

    Set<String> removed = new HashSet<>(touched(soft, "usersDeleted"));
    removed.addAll(touched(hard, "usersHardDeleted"));
    Set<String> reasons = new HashSet<>();
    for (String id : removed) {
      String expected = "softDeleted".equals(simulator.object(f.tenant().id(), id).get("state"))
          ? "changed" : "deleted";
      assertEquals(expected, f.backups().versions("users", id).get(0).get("removed").asText(), id);
      reasons.add(expected);
    }
    assertEquals(Set.of("changed", "deleted"), reasons, "both removal reasons occur");
    assertEquals(removed.size(), job.get("countsByType").get("users").get("removed").asLong(), job.toString());
    assertEquals(30 - removed.size(), f.backups().assertMatchesSimulator("users"));
    f.backups().assertMatchesSimulator("groups");
  }

  @Test
  void hardDeletedUsersLeaveTheGroupsEvenWhenGraphOmitsTheMemberRemovals() throws Exception {
    Fixture f = newTenant(40, 6);
    completed(f.backups().backUpNow(JOB_TIMEOUT));
    simulator.quirks(null, true);
    Map<String, Object> hard = simulator.churn(f.tenant().id(),
        new Churn.Spec(31, null, null, "4", null, null, null, null, null));
    Set<String> gone = new HashSet<>(touched(hard, "usersHardDeleted"));

    JsonNode job = completed(f.backups().backUpNow(JOB_TIMEOUT));
    assertEquals(40 - gone.size(), f.backups().assertMatchesSimulator("users"));
    f.backups().assertMatchesSimulator("groups");
    int reconciled = 0;
    for (JsonNode group : f.backups().list("groups")) {
      JsonNode versions = f.backups().versions("groups", group.get("id").asText());
      if (versions.size() > 1) {
        JsonNode before = f.backups().version("groups", group.get("id").asText(), versions.get(1).get("versionId").asText());
        boolean held = false;
        for (String relation : List.of("members", "owners")) {
          for (JsonNode reference : before.path(relation)) {
            held |= gone.contains(reference.get("id").asText());
          }
        }
        reconciled += held ? 1 : 0;
      }
    }
    assertTrue(reconciled > 0, "some group held a deleted user before: " + job);
    assertEquals(reconciled, job.get("countsByType").get("groups").get("changed").asLong(), job.toString());
  }

  @Test
  void anExpiredDeltaLinkBecomesAFullRoundThatTombstonesWhatIsGone() throws Exception {
    Fixture f = newTenant(25, 4);
    completed(f.backups().backUpNow(JOB_TIMEOUT));
    Map<String, Object> churn = simulator.churn(f.tenant().id(),
        new Churn.Spec(8, "3", null, "2", null, "1", null, "1", null));
    // Seven days later the delta links the last backup kept are no longer honoured.
    simulator.addFault(Faults.Kind.EXPIRED_DELTA, 1.0, 1, "/users/delta", null, 0);

    JsonNode job = completed(f.backups().backUpNow(JOB_TIMEOUT));
    JsonNode users = job.get("countsByType").get("users");
    assertEquals(25 - 2, users.get("seen").asLong(), "the full round saw every live user: " + job);
    assertEquals(changedBy(f, touched(churn, "usersUpdated")), users.get("changed").asLong(), job.toString());
    assertEquals(2, users.get("removed").asLong(), job.toString());
    for (String hard : touched(churn, "usersHardDeleted")) {
      assertEquals("deleted", f.backups().versions("users", hard).get(0).get("removed").asText(), hard);
    }
    assertEquals(25 - 2, f.backups().assertMatchesSimulator("users"));
    f.backups().assertMatchesSimulator("groups");

    // The round's new delta link works: the next backup is incremental and finds nothing.
    JsonNode quiet = completed(f.backups().backUpNow(JOB_TIMEOUT));
    assertEquals(0, quiet.get("counts").get("changed").asLong() + quiet.get("counts").get("created").asLong()
        + quiet.get("counts").get("removed").asLong(), quiet.toString());
  }

  @Test
  void aBackupEightDaysLaterStartsOverWithAFullRound() throws Exception {
    Fixture f = newTenant(15, 3);
    completed(f.backups().backUpNow(JOB_TIMEOUT));
    simulator.churn(f.tenant().id(), new Churn.Spec(5, "2", null, "1", null, null, null, null, null));
    simulator.advanceClock(Duration.ofDays(8));
    try {
      JsonNode job = completed(f.backups().backUpNow(JOB_TIMEOUT));
      assertEquals(15 - 1, job.get("countsByType").get("users").get("seen").asLong(), job.toString());
      assertEquals(15 - 1, f.backups().assertMatchesSimulator("users"));
    } finally {
      simulator.advanceClock(Duration.ofDays(-8));
    }
  }

  @Test
  void throttledBackupsWaitOutEveryRetryAfterAndLoseNothing() throws Exception {
    Fixture f = newTenant(600, 20);
    simulator.requestLog().reset();
    // A budget small enough that a full backup of this tenant runs into it several times.
    simulator.throttle(0.0005, true, false);

    JsonNode job = completed(f.backups().backUpNow(Duration.ofSeconds(180)));
    List<RequestLog.Entry> log = simulator.requestLog().recent();
    long throttled = log.stream().filter(entry -> entry.status() == 429).count();
    assertTrue(throttled > 0, "the budget was small enough to throttle: " + simulator.stats());
    assertTrue(job.get("graph").get("throttled").asLong() > 0, job.toString());
    simulator.requestLog().retryAfterPacing().assertHonoured();

    simulator.throttle(1.0, false, false);
    assertEquals(600, f.backups().assertMatchesSimulator("users"));
    f.backups().assertMatchesSimulator("groups");
    assertEquals(600, job.get("countsByType").get("users").get("created").asLong(), "each user stored once: " + job);
  }

  @Test
  void serviceUnavailableIsRetriedHonouringRetryAfter() throws Exception {
    Fixture f = newTenant(450, 6);
    simulator.requestLog().reset();
    simulator.addFault(Faults.Kind.STATUS_503, 1.0, 2, "/users/delta", 1.0, 0);
    simulator.addFault(Faults.Kind.STATUS_504, 1.0, 1, "/groups/delta", null, 0);

    JsonNode job = completed(f.backups().backUpNow(JOB_TIMEOUT));
    simulator.requestLog().retryAfterPacing().assertHonoured();
    assertEquals(450, job.get("countsByType").get("users").get("created").asLong(), job.toString());
    assertEquals(450, f.backups().assertMatchesSimulator("users"));
    f.backups().assertMatchesSimulator("groups");
  }

  @Test
  void aCutPageFailsTheRunCleanlyAndKeepsEarlierSnapshots() throws Exception {
    Fixture f = newTenant(420, 5);
    completed(f.backups().backUpNow(JOB_TIMEOUT));
    String someUser = f.backups().list("users").get(0).get("id").asText();
    JsonNode before = f.backups().versions("users", someUser);
    Map<String, Object> churn = simulator.churn(f.tenant().id(),
        new Churn.Spec(9, "50%", null, null, null, null, null, null, null));
    List<String> updated = touched(churn, "usersUpdated");

    // Every answer to the users' delta comes cut half way, however often we ask.
    simulator.addFault(Faults.Kind.TRUNCATE, 1.0, -1, "/users/delta", null, 0);
    JsonNode failed = f.backups().backUpNow(JOB_TIMEOUT);
    assertEquals("failed", failed.get("state").asText(), failed.toString());
    assertTrue(failed.get("error").asText().startsWith("users:"), failed.toString());
    assertEquals(before, f.backups().versions("users", someUser), "earlier snapshots stay as they were");

    // Once Graph answers whole pages again, the next run picks up every change from the same delta link.
    simulator.clearFaults();
    JsonNode job = completed(f.backups().backUpNow(JOB_TIMEOUT));
    assertEquals(changedBy(f, updated), job.get("countsByType").get("users").get("changed").asLong(), job.toString());
    assertEquals(420, f.backups().assertMatchesSimulator("users"));
  }

  @Test
  void aRunCrawlsItsTypesTogetherSendingOneRequestOfTheTenantAtATime() throws Exception {
    Fixture f = newTenant(2_100, 12);
    simulator.requestLog().reset();
    // Slow users' pages (several): the groups' requests go in between, not after the last of them.
    simulator.addFault(Faults.Kind.SLOW, 1.0, -1, "/users/delta", null, 300);

    JsonNode job = completed(f.backups().backUpNow(JOB_TIMEOUT));

    List<RequestLog.Entry> graph = simulator.requestLog().recent().stream()
        .filter(entry -> entry.path().startsWith("/v1.0/")).sorted((a, b) -> Long.compare(a.at(), b.at())).toList();
    List<Long> users = graph.stream().filter(entry -> entry.path().startsWith("/v1.0/users/delta"))
        .map(RequestLog.Entry::at).toList();
    assertTrue(users.size() >= 2, graph.toString());
    assertTrue(graph.stream().anyMatch(entry -> entry.path().startsWith("/v1.0/groups/delta")
        && entry.at() < users.get(users.size() - 1)), "groups were read while users were: " + graph);
    for (int i = 1; i < graph.size(); i++) {
      long arrived = graph.get(i).at() - graph.get(i).micros() / 1000;
      assertTrue(arrived >= graph.get(i - 1).at() - 1, "two requests of the tenant at once: " + graph.get(i - 1)
          + " and " + graph.get(i));
    }
    assertEquals(2_100, f.backups().assertMatchesSimulator("users"));
    assertEquals(12, f.backups().assertMatchesSimulator("groups"));
    Set<String> recorded = new HashSet<>();
    job.get("countsByType").fieldNames().forEachRemaining(recorded::add);
    assertEquals(Set.of("users", "groups", "directoryRoles", "roleDefinitions", "roleAssignments"), recorded,
        "every type's milestone: " + job);
  }

  @Test
  void aTypeThatFailsStopsTheOtherCrawlsAndTheRunFailsWithItsError() throws Exception {
    Fixture f = newTenant(2_100, 6);
    simulator.requestLog().reset();
    // The users come slowly, a page every 2 s (4 pages), while the groups' first page is refused outright.
    simulator.addFault(Faults.Kind.SLOW, 1.0, -1, "/users/delta", null, 2_000);
    simulator.addFault(Faults.Kind.GONE_410, 1.0, -1, "/groups/delta", null, 0);

    JsonNode failed = f.backups().backUpNow(JOB_TIMEOUT);
    assertEquals("failed", failed.get("state").asText(), failed.toString());
    assertTrue(failed.get("error").asText().startsWith("groups:"), failed.toString());

    // The users' crawl was stopped: at most the page asked for before the failure still went out, none after.
    Thread.sleep(5_000);
    long users = simulator.requestLog().recent().stream()
        .filter(entry -> entry.path().startsWith("/v1.0/users/delta")).count();
    assertTrue(users <= 2, users + " users' pages read after the run failed on its groups");

    simulator.clearFaults();
    completed(f.backups().backUpNow(JOB_TIMEOUT));
    assertEquals(2_100, f.backups().assertMatchesSimulator("users"));
    assertEquals(6, f.backups().assertMatchesSimulator("groups"));
  }

  /**
   * How many of the updated users now have a second version. Churn may pick a user twice and put a value back
   * as it was, and such a user is rightly unchanged; the rest must each have exactly one new version.
   */
  private long changedBy(Fixture f, List<String> updated) {
    long changed = 0;
    Set<String> stillLive = new HashSet<>();
    for (String id : new HashSet<>(updated)) {
      JsonNode versions = f.backups().versions("users", id);
      assertTrue(versions.size() <= 2, id + " stored once per backup at most");
      if (!versions.get(0).hasNonNull("removed")) {
        stillLive.add(id);
        changed += versions.size() == 2 ? 1 : 0;
      }
    }
    assertTrue(changed >= stillLive.size() - 3, "nearly every update is a change: " + changed);
    return changed;
  }
}
