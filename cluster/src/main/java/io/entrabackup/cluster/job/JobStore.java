package io.entrabackup.cluster.job;

import io.entrabackup.cluster.backup.BackupProgress;
import io.entrabackup.cluster.backup.BackupRunSpec;
import io.entrabackup.cluster.tenant.BackupJobRows;
import io.entrabackup.cluster.tenant.TenantDirectory;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.JobFilter;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.BackupRunning;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TypeBackedUp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The System Status read model ({@link JobsByAccount}): backup job rows written from tenant events (by the entity as
 * it persists them, and again by the projection) and progress written by running backups; pages and lookups of every kind of job for the jobs API,
 * without asking any entity.
 */
public final class JobStore implements BackupProgress, BackupJobRows {

  private static final Logger log = LoggerFactory.getLogger(JobStore.class);

  private final JobsByAccount table;
  private final BackupJobWrites backups;
  private final TenantDirectory tenants;

  public JobStore(CassandraSession session, String keyspace) {
    this.table = new JobsByAccount(session, keyspace);
    this.backups = new BackupJobWrites(session, keyspace);
    this.tenants = new TenantDirectory(session, keyspace);
  }

  /** The projection's write of a backup event: the same as the entity's at the source ({@link BackupJobWrites}). */
  CompletionStage<Done> record(BackupStarted event) {
    return backups.write(event);
  }

  CompletionStage<Done> record(BackupRunning event) {
    return backups.write(event);
  }

  CompletionStage<Done> record(TypeBackedUp event) {
    return backups.write(event);
  }

  CompletionStage<Done> record(BackupCompleted event) {
    return backups.write(event);
  }

  CompletionStage<Done> record(BackupFailed event) {
    return backups.write(event);
  }

  /** The entity persisted these events: the rows of their backup runs are written now, not waited for. */
  @Override
  public void persisted(List<? extends Event> events) {
    for (Event event : events) {
      CompletionStage<Done> written = write(event);
      written.whenComplete((done, error) -> {
        if (error != null) {
          log.warn("Tenant {}: the job row's {} waits for the job-directory projection: {}", event.tenantId(),
              event.getClass().getSimpleName(), error.getMessage());
        }
      });
    }
  }

  private CompletionStage<Done> write(Event event) {
    if (event instanceof BackupStarted started) {
      return record(started);
    } else if (event instanceof BackupRunning running) {
      return record(running);
    } else if (event instanceof TypeBackedUp typeDone) {
      return record(typeDone);
    } else if (event instanceof BackupCompleted completed) {
      return record(completed);
    } else if (event instanceof BackupFailed failed) {
      return record(failed);
    }
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  /**
   * A backup the operator just started (Backup Now), listed at once: the API node writes its row before answering;
   * the projection's insert from the journal follows and wins ({@link JobsByAccount#announced}).
   */
  public CompletionStage<Done> announced(AccountId account, TenantId tenantId, String jobId, BackupTrigger trigger) {
    return table.announced(JobKind.BACKUP, account, jobId, tenantId.value(), JobState.QUEUED, Optional.of(trigger));
  }

  /** Best effort: progress is a courtesy to whoever watches; a lost update is corrected by the next. */
  @Override
  public void seen(BackupRunSpec spec, ObjectType type, long seen) {
    table.progress(JobKind.BACKUP, spec.account(), spec.runId(), Map.of(type.apiName(), seen));
  }

  public CompletionStage<JobPage> list(AccountId account, JobKind kind, Optional<String> afterJobId, int limit) {
    return list(account, kind, JobFilter.NONE, afterJobId, limit);
  }

  /** A page of the account's jobs of one kind that pass {@code filter}, each with its tenant's name. */
  public CompletionStage<JobPage> list(AccountId account, JobKind kind, JobFilter filter, Optional<String> afterJobId,
      int limit) {
    return table.page(account, kind, filter, afterJobId, limit).thenCompose(page -> named(account, page.items())
        .thenApply(items -> new JobPage(items, page.next())));
  }

  private CompletionStage<List<JobView>> named(AccountId account, List<JobView> jobs) {
    List<String> tenantIds = jobs.stream().map(JobView::tenantId).distinct().toList();
    return tenants.names(account, tenantIds).thenApply(names -> jobs.stream()
        .map(job -> job.withTenantName(Optional.ofNullable(names.get(job.tenantId()))))
        .toList());
  }

  /** The account's job with this id, of whatever kind (tried in {@link JobKind} order). */
  public CompletionStage<Optional<JobView>> get(AccountId account, String jobId) {
    CompletionStage<Optional<JobView>> result = CompletableFuture.completedFuture(Optional.empty());
    for (JobKind kind : JobKind.values()) {
      result = result.thenCompose(found -> found.isPresent()
          ? CompletableFuture.completedFuture(found)
          : table.job(account, kind, jobId));
    }
    return result.thenCompose(found -> found.isEmpty()
        ? CompletableFuture.completedFuture(found)
        : named(account, List.of(found.get())).thenApply(named -> Optional.of(named.get(0))));
  }
}
