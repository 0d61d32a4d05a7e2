package io.entrabackup.cluster.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.entrabackup.cluster.job.JobsByAccount.Ending;
import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.JobFilter;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobProgress;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.backup.TypeProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The jobs_by_account statements against the real local Cassandra, in a keyspace of their own. */
class JobsByAccountTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.withNodeSchema("jobs");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
  private static JobsByAccount table;
  private static JobStore store;

  @BeforeAll
  static void startCassandraSession() {
    table = new JobsByAccount(cassandra.session(), cassandra.keyspace());
    store = new JobStore(cassandra.session(), cassandra.keyspace());
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }

  private static AccountId account() {
    return new AccountId("acct-" + UUID.randomUUID());
  }

  private static String newJobId() {
    return Uuids.timeBased().toString();
  }

  /**
   * The job ids stored under this kind column value: the JSON names, as rows written before JobKind have them, so
   * old rows and new ones share the partition.
   */
  private static List<String> storedUnder(AccountId account, String kind) {
    return await(cassandra.session().selectAll("SELECT job_id FROM "
        + cassandra.keyspace() + ".jobs_by_account WHERE account_id = ?"
        + " AND kind = ?", account.value(), kind)).stream().map(row -> row.getUuid("job_id").toString()).toList();
  }

  @Test
  void aBackupRowGoesFromStartThroughItsTypesToCompletedWithCountsAndTraffic() {
    AccountId account = account();
    String job = newJobId();
    await(table.insert(JobKind.BACKUP, account, job, TENANT, JobState.RUNNING, Optional.of(BackupTrigger.IMMEDIATE),
        T0, Optional.of(T0)));
    await(table.progress(JobKind.BACKUP, account, job, Map.of("users", 40L)));
    TypeCounts users = new TypeCounts(50, 10, 5, 1, 34);
    await(table.typeBackedUp(account, job, ObjectType.USERS, users));
    await(table.progress(JobKind.BACKUP, account, job, Map.of("groups", 7L)));
    GraphTraffic traffic = new GraphTraffic(12, 1, 4096);
    await(table.ended(JobKind.BACKUP, account, job,
        Ending.of(JobState.COMPLETED, T0.plusSeconds(90)).withCounts(users).withGraph(traffic)));

    JobView view = await(table.job(account, JobKind.BACKUP, job)).orElseThrow();
    assertEquals(JobKind.BACKUP, view.kind());
    assertEquals(JobState.COMPLETED, view.state());
    assertEquals(Optional.of(BackupTrigger.IMMEDIATE), view.trigger());
    assertEquals(Map.of("users", 50L, "groups", 7L), view.progress());
    assertEquals(Map.of("users", users), view.countsByType());
    assertEquals(users, view.counts());
    assertEquals(traffic, view.graph());
    assertEquals(Optional.of(90_000L), view.durationMillis());
    assertEquals(Optional.empty(), view.error());
    assertEquals(List.of(job), storedUnder(account, "backup"));
  }

  @Test
  void aQueuedRestoreHasNoStartUntilItStartsAndKeepsItsErrorAndTrafficWhenItFails() {
    AccountId account = account();
    String job = newJobId();
    await(table.insert(JobKind.RESTORE, account, job, TENANT, JobState.QUEUED, Optional.empty(), T0,
        Optional.empty()));
    JobView queued = await(table.job(account, JobKind.RESTORE, job)).orElseThrow();
    assertEquals(JobState.QUEUED, queued.state());
    assertEquals(Optional.empty(), queued.startedAt());
    assertEquals(Optional.empty(), queued.trigger());

    await(table.started(JobKind.RESTORE, account, job, T0.plusSeconds(5)));
    GraphTraffic traffic = new GraphTraffic(3, 0, 512);
    await(table.ended(JobKind.RESTORE, account, job,
        Ending.of(JobState.FAILED, T0.plusSeconds(8)).withError("Graph refused").withGraph(traffic)));

    JobView failed = await(table.job(account, JobKind.RESTORE, job)).orElseThrow();
    assertEquals(JobState.FAILED, failed.state());
    assertEquals(Optional.of(T0.plusSeconds(5)), failed.startedAt());
    assertEquals(Optional.of("Graph refused"), failed.error());
    assertEquals(traffic, failed.graph());
    assertEquals(List.of(job), storedUnder(account, "restore"));
  }

  @Test
  void aDownloadsEndingAddsItsFinalProgressAndLeavesTheRestOfTheRow() {
    AccountId account = account();
    String job = newJobId();
    await(table.insert(JobKind.DOWNLOAD, account, job, TENANT, JobState.RUNNING, Optional.empty(), T0,
        Optional.of(T0)));
    await(table.progress(JobKind.DOWNLOAD, account, job, Map.of("objectsWritten", 10L, "objectsTotal", 40L)));
    await(table.ended(JobKind.DOWNLOAD, account, job, Ending.of(JobState.COMPLETED, T0.plusSeconds(3))
        .withProgress(Map.of("objectsWritten", 40L, "objectsTotal", 40L))));

    JobView view = await(table.job(account, JobKind.DOWNLOAD, job)).orElseThrow();
    assertEquals(JobState.COMPLETED, view.state());
    assertEquals(Map.of("objectsWritten", 40L, "objectsTotal", 40L), view.progress());
    assertEquals(TENANT, view.tenantId());
    assertEquals(Optional.of(T0), view.startedAt());
    assertEquals(List.of(job), storedUnder(account, "download"));
  }

  @Test
  void theStoreListsOneKindNewestFirstInPagesAndFindsAJobOfAnyKindById() {
    AccountId account = account();
    List<String> backups = List.of(newJobId(), newJobId(), newJobId());
    for (String job : backups) {
      await(table.insert(JobKind.BACKUP, account, job, TENANT, JobState.RUNNING, Optional.of(BackupTrigger.SCHEDULED),
          T0, Optional.of(T0)));
    }
    String restore = newJobId();
    await(table.insert(JobKind.RESTORE, account, restore, TENANT, JobState.RUNNING, Optional.empty(), T0,
        Optional.of(T0)));

    JobPage first = await(store.list(account, JobKind.BACKUP, Optional.empty(), 2));
    assertEquals(List.of(backups.get(2), backups.get(1)), first.items().stream().map(JobView::id).toList());
    assertEquals(backups.get(1), first.next());
    JobPage second = await(store.list(account, JobKind.BACKUP, Optional.of(first.next()), 2));
    assertEquals(List.of(backups.get(0)), second.items().stream().map(JobView::id).toList());
    assertEquals(null, second.next());

    assertEquals(JobKind.RESTORE, await(store.get(account, restore)).orElseThrow().kind());
    assertTrue(await(store.get(account, newJobId())).isEmpty());
  }

  @Test
  void aRowMadeByProgressOrAnEndBeforeItsInsertShowsOnlyOnceTheInsertLands() {
    AccountId account = account();
    String job = newJobId();
    // Out of order, as the runner's progress and a fast job's end can land before the insert.
    await(table.progress(JobKind.BACKUP, account, job, Map.of("users", 40L)));
    assertTrue(await(table.job(account, JobKind.BACKUP, job)).isEmpty(), "no empty tenant queued at 1970");
    assertEquals(List.of(), await(store.list(account, JobKind.BACKUP, Optional.empty(), 10)).items());
    await(table.ended(JobKind.BACKUP, account, job, Ending.of(JobState.COMPLETED, T0.plusSeconds(9))));
    assertTrue(await(store.get(account, job)).isEmpty());

    await(table.insert(JobKind.BACKUP, account, job, TENANT, JobState.RUNNING, Optional.of(BackupTrigger.MANUAL),
        T0, Optional.of(T0)));

    JobView view = await(store.get(account, job)).orElseThrow();
    assertEquals(TENANT, view.tenantId());
    assertEquals(T0, view.queuedAt());
    assertEquals(JobState.COMPLETED, view.state(), "the insert came last but the job had ended");
    assertEquals(Optional.of(T0.plusSeconds(9)), view.finishedAt());
    assertEquals(Map.of("users", 40L), view.progress());
  }

  @Test
  void aLateWriteOfAnEarlierStateNeverMovesAnEndedJobBack() {
    AccountId account = account();
    String job = newJobId();
    await(table.insert(JobKind.RESTORE, account, job, TENANT, JobState.QUEUED, Optional.empty(), T0,
        Optional.empty()));
    await(table.started(JobKind.RESTORE, account, job, T0.plusSeconds(1)));
    await(table.ended(JobKind.RESTORE, account, job, Ending.of(JobState.FAILED, T0.plusSeconds(5)).withError("gone")));
    // A projection replaying from an older offset, and a progress update that was in flight.
    await(table.insert(JobKind.RESTORE, account, job, TENANT, JobState.QUEUED, Optional.empty(), T0,
        Optional.empty()));
    await(table.started(JobKind.RESTORE, account, job, T0.plusSeconds(1)));
    await(table.state(JobKind.RESTORE, account, job, JobState.RUNNING));
    await(table.progress(JobKind.RESTORE, account, job, Map.of("objects", 1L)));

    JobView view = await(table.job(account, JobKind.RESTORE, job)).orElseThrow();
    assertEquals(JobState.FAILED, view.state());
    assertEquals(Optional.of("gone"), view.error());
    assertEquals(Optional.of(T0.plusSeconds(5)), view.finishedAt());
  }

  @Test
  void aRowNotYetCompleteShortensItsPageButNeverEndsTheList() {
    AccountId account = account();
    List<String> backups = List.of(newJobId(), newJobId(), newJobId());
    await(table.insert(JobKind.BACKUP, account, backups.get(0), TENANT, JobState.RUNNING,
        Optional.of(BackupTrigger.SCHEDULED), T0, Optional.of(T0)));
    await(table.progress(JobKind.BACKUP, account, backups.get(1), Map.of("users", 1L)));
    await(table.insert(JobKind.BACKUP, account, backups.get(2), TENANT, JobState.RUNNING,
        Optional.of(BackupTrigger.SCHEDULED), T0, Optional.of(T0)));

    JobPage first = await(store.list(account, JobKind.BACKUP, Optional.empty(), 2));
    assertEquals(List.of(backups.get(2)), first.items().stream().map(JobView::id).toList());
    assertEquals(backups.get(1), first.next());
    JobPage second = await(store.list(account, JobKind.BACKUP, Optional.of(first.next()), 2));
    assertEquals(List.of(backups.get(0)), second.items().stream().map(JobView::id).toList());
    assertEquals(null, second.next());
  }

  @Test
  void aRunningBackupShowsItsTypesDoneOfTotalWithMilestoneCountsThatALateReportCannotLower() {
    AccountId account = account();
    String job = newJobId();
    await(table.insert(JobKind.BACKUP, account, job, TENANT, JobState.RUNNING, Optional.of(BackupTrigger.MANUAL),
        T0, Optional.of(T0)));
    await(table.types(account, job, List.of(ObjectType.USERS, ObjectType.GROUPS, ObjectType.DIRECTORY_ROLES)));
    await(table.typeBackedUp(account, job, ObjectType.USERS, new TypeCounts(120, 120, 0, 0, 0)));
    // The runner's last report of users, in flight while the milestone was written, lands after it.
    await(table.progress(JobKind.BACKUP, account, job, Map.of("users", 100L, "groups", 30L)));

    JobProgress running = await(table.job(account, JobKind.BACKUP, job)).orElseThrow().summary();
    assertEquals(List.of(new TypeProgress("users", 120, true, false), new TypeProgress("groups", 30, false, true),
        new TypeProgress("directoryRoles", 0, false, false)), running.types());
    assertEquals(Optional.of(1), running.typesDone());
    assertEquals(Optional.of(3), running.typesTotal());
    assertEquals(150, running.objectsDone());
    assertEquals(Optional.empty(), running.objectsPerSecond());

    await(table.typeBackedUp(account, job, ObjectType.GROUPS, new TypeCounts(40, 40, 0, 0, 0)));
    await(table.typeBackedUp(account, job, ObjectType.DIRECTORY_ROLES, new TypeCounts(40, 40, 0, 0, 0)));
    await(table.ended(JobKind.BACKUP, account, job, Ending.of(JobState.COMPLETED, T0.plusSeconds(8))
        .withCounts(new TypeCounts(200, 200, 0, 0, 0))));
    JobProgress done = await(table.job(account, JobKind.BACKUP, job)).orElseThrow().summary();
    assertEquals(Optional.of(3), done.typesDone());
    assertEquals(200, done.objectsDone());
    assertEquals(Optional.of(25.0), done.objectsPerSecond(), "200 objects in 8 s");
  }

  @Test
  void aDownloadShowsObjectsWrittenOfTotalAndARestoreItsOneObject() {
    AccountId account = account();
    String download = newJobId();
    await(table.insert(JobKind.DOWNLOAD, account, download, TENANT, JobState.RUNNING, Optional.empty(), T0,
        Optional.of(T0)));
    await(table.progress(JobKind.DOWNLOAD, account, download, Map.of("objectsWritten", 10L, "objectsTotal", 40L)));
    JobProgress building = await(table.job(account, JobKind.DOWNLOAD, download)).orElseThrow().summary();
    assertEquals(10, building.objectsDone());
    assertEquals(Optional.of(40L), building.objectsTotal());

    String restore = newJobId();
    await(table.insert(JobKind.RESTORE, account, restore, TENANT, JobState.RUNNING, Optional.empty(), T0,
        Optional.of(T0)));
    assertEquals(0, await(table.job(account, JobKind.RESTORE, restore)).orElseThrow().summary().objectsDone());
    await(table.ended(JobKind.RESTORE, account, restore,
        Ending.of(JobState.COMPLETED_WITH_SKIPPED_ITEMS, T0.plusSeconds(2))));
    JobProgress restored = await(table.job(account, JobKind.RESTORE, restore)).orElseThrow().summary();
    assertEquals(1, restored.objectsDone());
    assertEquals(Optional.of(1L), restored.objectsTotal());
    assertEquals(Optional.of(0.5), restored.objectsPerSecond());
  }

  @Test
  void theListNarrowsByTenantStateAndTimeAndPagesOnPastRowsThatDoNotMatch() {
    AccountId account = account();
    String other = "9b2504e0-4f89-41d3-9a0c-0305e82c3309";
    List<String> jobs = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String job = Uuids.startOf(T0.plusSeconds(60L * i).toEpochMilli()).toString();
      jobs.add(job);
      await(table.insert(JobKind.BACKUP, account, job, i % 2 == 0 ? TENANT : other, JobState.RUNNING,
          Optional.of(BackupTrigger.SCHEDULED), T0.plusSeconds(60L * i), Optional.of(T0.plusSeconds(60L * i))));
    }
    await(table.ended(JobKind.BACKUP, account, jobs.get(4), Ending.of(JobState.FAILED, T0.plusSeconds(250))));

    JobFilter ofTenant = new JobFilter(Optional.of(TENANT), Set.of(), Optional.empty(), Optional.empty());
    JobPage first = await(store.list(account, JobKind.BACKUP, ofTenant, Optional.empty(), 2));
    assertEquals(List.of(jobs.get(4), jobs.get(2)), ids(first));
    JobPage second = await(store.list(account, JobKind.BACKUP, ofTenant, Optional.of(first.next()), 2));
    assertEquals(List.of(jobs.get(0)), ids(second));
    assertEquals(null, second.next());

    JobFilter failed = new JobFilter(Optional.empty(), Set.of(JobState.FAILED), Optional.empty(), Optional.empty());
    assertEquals(List.of(jobs.get(4)), ids(await(store.list(account, JobKind.BACKUP, failed, Optional.empty(), 10))));

    JobFilter window = new JobFilter(Optional.empty(), Set.of(), Optional.of(T0.plusSeconds(60)),
        Optional.of(T0.plusSeconds(180)));
    assertEquals(List.of(jobs.get(2), jobs.get(1)),
        ids(await(store.list(account, JobKind.BACKUP, window, Optional.empty(), 10))));
    JobPage windowFirst = await(store.list(account, JobKind.BACKUP, window, Optional.empty(), 1));
    assertEquals(List.of(jobs.get(2)), ids(windowFirst));
    assertEquals(List.of(jobs.get(1)),
        ids(await(store.list(account, JobKind.BACKUP, window, Optional.of(windowFirst.next()), 1))));
  }

  @Test
  void eachJobCarriesItsTenantsDisplayName() {
    AccountId account = account();
    await(cassandra.session().executeWrite("INSERT INTO " + cassandra.keyspace()
        + ".tenants_by_account (account_id, tenant_id, display_name) VALUES (?, ?, ?)", account.value(), TENANT,
        "Contoso Ltd"));
    String named = newJobId();
    String unlisted = newJobId();
    await(table.insert(JobKind.BACKUP, account, named, TENANT, JobState.QUEUED, Optional.of(BackupTrigger.MANUAL),
        T0, Optional.empty()));
    await(table.insert(JobKind.BACKUP, account, unlisted, "9b2504e0-4f89-41d3-9a0c-0305e82c3309", JobState.QUEUED,
        Optional.of(BackupTrigger.MANUAL), T0, Optional.empty()));

    Map<String, Optional<String>> names = new java.util.HashMap<>();
    await(store.list(account, JobKind.BACKUP, Optional.empty(), 10)).items()
        .forEach(job -> names.put(job.id(), job.tenantName()));
    assertEquals(Map.of(named, Optional.of("Contoso Ltd"), unlisted, Optional.empty()), names);
    assertEquals(Optional.of("Contoso Ltd"), await(store.get(account, named)).orElseThrow().tenantName());
  }

  private static List<String> ids(JobPage page) {
    return page.items().stream().map(JobView::id).toList();
  }
}
