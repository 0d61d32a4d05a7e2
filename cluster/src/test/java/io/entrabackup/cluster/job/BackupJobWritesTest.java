package io.entrabackup.cluster.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A backup's job row written twice per event, by the entity at the source and by the projection later, in whatever
 * order the writes land (BackupJobWrites), against the real local Cassandra.
 */
class BackupJobWritesTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.withNodeSchema("backupjobs");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final TenantId TENANT = new TenantId("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
  private static JobStore store;

  @BeforeAll
  static void startCassandraSession() {
    store = new JobStore(cassandra.session(), cassandra.keyspace());
  }

  @Test
  void aRunsEventsLandingInAnyOrderAndTwiceShowTheRunAsItEnded() {
    AccountId account = account();
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<Event> run = run(account, Uuids.timeBased().toString(), t0, t0.plusMillis(40), t0.plusMillis(900));
    List<Event> reversed = new ArrayList<>(run);
    Collections.reverse(reversed);
    write(reversed);
    JobView ended = job(account, run);
    write(run);
    assertEquals(ended, job(account, run), "the projection's repeat changes nothing");

    assertEquals(JobState.COMPLETED, ended.state());
    assertEquals(JobState.COMPLETED.name(), rawState(account, run), "the newest event's state, not the last write's");
    assertEquals(t0, ended.queuedAt());
    assertEquals(Optional.of(t0.plusMillis(40)), ended.startedAt());
    assertEquals(Optional.of(t0.plusMillis(900)), ended.finishedAt());
    assertEquals(Map.of("users", 5L), ended.progress());
    assertEquals(new TypeCounts(5, 5, 0, 0, 0), ended.counts());
    assertEquals(Optional.of(BackupTrigger.MANUAL), ended.trigger());
  }

  @Test
  void aRunningJobStaysRunningWhenItsStartIsWrittenAgainLater() {
    AccountId account = account();
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<Event> run = run(account, Uuids.timeBased().toString(), t0, t0.plusMillis(3), t0.plusMillis(900));
    write(run.subList(0, 2));
    // The projection reaches the start two seconds later, after the entity wrote that the run got its slot.
    write(run.subList(0, 1));
    assertEquals(JobState.RUNNING, job(account, run).state());
  }

  @Test
  void eventsOfOneMillisecondStillOrderAsTheyHappened() {
    AccountId account = account();
    String jobId = Uuids.timeBased().toString();
    // The entity makes the job id, then the start's time: the same millisecond at the closest.
    Instant t0 = Instant.ofEpochMilli(Uuids.unixTimestamp(UUID.fromString(jobId)));
    await(store.announced(account, TENANT, jobId, BackupTrigger.MANUAL));
    List<Event> run = run(account, jobId, t0, t0, t0);
    List<Event> reversed = new ArrayList<>(run);
    Collections.reverse(reversed);
    write(reversed);
    assertEquals(JobState.COMPLETED.name(), rawState(account, run));
    assertEquals(JobState.COMPLETED, job(account, run).state());
  }

  /** Started, running, users done, completed, at these times. */
  private static List<Event> run(AccountId account, String jobId, Instant queued, Instant running, Instant ended) {
    TypeCounts users = new TypeCounts(5, 5, 0, 0, 0);
    return List.of(
        new TenantEvents.BackupStarted(TENANT, account, jobId, BackupTrigger.MANUAL, List.of(ObjectType.USERS),
            queued, Optional.of("request-1")),
        new TenantEvents.BackupRunning(TENANT, account, jobId, running),
        new TenantEvents.TypeBackedUp(TENANT, account, jobId, ObjectType.USERS, users, GraphTraffic.NONE,
            Optional.empty(), ended),
        new TenantEvents.BackupCompleted(TENANT, account, jobId, users, GraphTraffic.NONE, Map.of("users", 5L), ended,
            ended.plusSeconds(86_400)));
  }

  /** Each event's write, one after the other (as the entity's or the projection's). */
  private static void write(List<Event> events) {
    for (Event event : events) {
      // JobStore.persisted does not wait; the single writes do.
      if (event instanceof TenantEvents.BackupStarted started) {
        await(store.record(started));
      } else if (event instanceof TenantEvents.BackupRunning running) {
        await(store.record(running));
      } else if (event instanceof TenantEvents.TypeBackedUp typeDone) {
        await(store.record(typeDone));
      } else {
        await(store.record((TenantEvents.BackupCompleted) event));
      }
    }
  }

  private static JobView job(AccountId account, List<Event> run) {
    return await(store.get(account, runId(run))).orElseThrow();
  }

  private static String rawState(AccountId account, List<Event> run) {
    return await(cassandra.session().selectOne("SELECT state FROM " + cassandra.keyspace() + ".jobs_by_account"
        + " WHERE account_id = ? AND kind = ? AND job_id = ?", account.value(), JobKind.BACKUP.apiName(),
        UUID.fromString(runId(run)))).orElseThrow().getString("state");
  }

  private static String runId(List<Event> run) {
    return ((TenantEvents.BackupStarted) run.get(0)).runId();
  }

  private static AccountId account() {
    return new AccountId("acct-" + UUID.randomUUID());
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }
}
