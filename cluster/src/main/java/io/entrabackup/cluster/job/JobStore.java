package io.entrabackup.cluster.job;

import io.entrabackup.cluster.backup.BackupProgress;
import io.entrabackup.cluster.backup.BackupRunSpec;
import io.entrabackup.cluster.job.JobsByAccount.Ending;
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
import io.entrabackup.protocol.tenant.TenantEvents.TypeBackedUp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The System Status read model ({@link JobsByAccount}): backup job rows written from tenant events (by the
 * projection) and progress written by running backups; pages and lookups of every kind of job for the jobs API,
 * without asking any entity.
 */
public final class JobStore implements BackupProgress {

  private final JobsByAccount table;
  private final TenantDirectory tenants;

  public JobStore(CassandraSession session, String keyspace) {
    this.table = new JobsByAccount(session, keyspace);
    this.tenants = new TenantDirectory(session, keyspace);
  }

  /** A backup is queued until its node gives it a slot ({@link BackupRunning}); its types give "n of N types". */
  CompletionStage<Done> record(BackupStarted event) {
    return table.insert(JobKind.BACKUP, event.account(), event.runId(), event.tenantId().value(), JobState.QUEUED,
            Optional.of(event.trigger()), event.startedAt(), Optional.empty())
        .thenCompose(done -> table.types(event.account(), event.runId(), event.types()))
        .thenCompose(done -> table.requestId(JobKind.BACKUP, event.account(), event.runId(),
            event.requestId().orElse(event.runId())));
  }

  CompletionStage<Done> record(BackupRunning event) {
    return table.started(JobKind.BACKUP, event.account(), event.runId(), event.at());
  }

  CompletionStage<Done> record(TypeBackedUp event) {
    return table.typeBackedUp(event.account(), event.runId(), event.type(), event.counts());
  }

  CompletionStage<Done> record(BackupCompleted event) {
    return table.ended(JobKind.BACKUP, event.account(), event.runId(),
        Ending.of(JobState.COMPLETED, event.finishedAt()).withCounts(event.counts()).withGraph(event.graph()));
  }

  CompletionStage<Done> record(BackupFailed event) {
    return table.ended(JobKind.BACKUP, event.account(), event.runId(),
        Ending.of(JobState.FAILED, event.finishedAt()).withError(event.error()));
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
