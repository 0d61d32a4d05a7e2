package io.entrabackup.node;

import io.entrabackup.cluster.tenant.TenantSettings;
import io.entrabackup.cluster.download.Downloads;
import io.entrabackup.cluster.job.JobApprovals;
import io.entrabackup.cluster.job.JobStore;
import io.entrabackup.cluster.job.RestoreJobs;
import io.entrabackup.cluster.tenant.TenantEntity;
import io.entrabackup.http.job.JobClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.JobFilter;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.restore.RestoreAction;
import io.entrabackup.protocol.restore.RestoreDetails;
import io.entrabackup.protocol.tenant.TenantCommands;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The job routes' view of the cluster: the jobs read model, with each kind's own details added (a restore's object,
 * outcome and one-time password; a download's file and link).
 */
final class ClusterJobClient implements JobClient {

  private final JobStore jobs;
  private final RestoreJobs restores;
  private final Downloads downloads;
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final Optional<JobApprovals> approvals;

  ClusterJobClient(ActorSystem<?> system, JobStore jobs, RestoreJobs restores, Downloads downloads) {
    this(system, jobs, restores, downloads, Optional.empty());
  }

  /** With {@code approvals}, four-eyes jobs show who asked and who decided. */
  ClusterJobClient(ActorSystem<?> system, JobStore jobs, RestoreJobs restores, Downloads downloads,
      Optional<JobApprovals> approvals) {
    this.approvals = approvals;
    this.jobs = jobs;
    this.restores = restores;
    this.downloads = downloads;
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = TenantSettings.create(system).askTimeout();
  }

  @Override
  public CompletionStage<JobPage> list(AccountId account, JobKind kind, JobFilter filter, Optional<String> after,
      int limit) {
    return jobs.list(account, kind, filter, after, limit).thenCompose(page -> {
      // One partition read per job of the page (pages are small), in parallel.
      List<CompletableFuture<JobView>> views = page.items().stream()
          .map(job -> withDetails(job, false).thenCompose(found -> withApproval(account, found))
              .toCompletableFuture())
          .toList();
      return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
          .thenApply(ignored -> new JobPage(views.stream().map(CompletableFuture::join).toList(), page.next()));
    });
  }

  @Override
  public CompletionStage<Optional<JobView>> get(AccountId account, String jobId) {
    return jobs.get(account, jobId).thenCompose(found -> {
      if (found.isEmpty()) {
        return CompletableFuture.completedFuture(found);
      }
      JobView job = found.get();
      if (job.kind() == JobKind.RESTORE) {
        return restores.details(jobId)
            .thenCompose(details -> withPassword(account, job, details))
            .thenCompose(details -> withApproval(account, job.withRestore(details)))
            .thenApply(Optional::of);
      }
      return withDetails(job, true).thenCompose(detailed -> withApproval(account, detailed)).thenApply(Optional::of);
    });
  }

  /** A four-eyes job's request and decision (one partition read; none for backups, which never wait). */
  private CompletionStage<JobView> withApproval(AccountId account, JobView job) {
    if (approvals.isEmpty() || job.kind() == JobKind.BACKUP) {
      return CompletableFuture.completedFuture(job);
    }
    return approvals.get().view(account, job.id()).thenApply(job::withApproval);
  }

  private CompletionStage<JobView> withDetails(JobView job, boolean withAccesses) {
    if (job.kind() == JobKind.RESTORE) {
      return restores.details(job.id()).thenApply(job::withRestore);
    }
    if (job.kind() == JobKind.DOWNLOAD) {
      if (job.state() == JobState.RUNNING || job.state() == JobState.AWAITING_APPROVAL) {
        downloads.wake(job.id());
      }
      return downloads.view(job.id(), withAccesses).thenApply(view -> view.map(job::withDownload).orElse(job));
    }
    return CompletableFuture.completedFuture(job);
  }

  /**
   * A finished restore that recreated a user: its temporary password, once. The tenant entity hands it out to the
   * first read of the job by its account and forgets it.
   */
  private CompletionStage<Optional<RestoreDetails>> withPassword(AccountId account, JobView job,
      Optional<RestoreDetails> details) {
    boolean recreatedUser = details.filter(d -> d.objectType().equals("users")
        && d.action().filter(RestoreAction.RECREATE::equals).isPresent()).isPresent();
    boolean finished = job.state() == JobState.COMPLETED || job.state() == JobState.COMPLETED_WITH_SKIPPED_ITEMS;
    if (!recreatedUser || !finished) {
      return CompletableFuture.completedFuture(details);
    }
    return sharding.entityRefFor(TenantEntity.ENTITY_TYPE_KEY, job.tenantId())
        .<TenantCommands.Reply>ask(replyTo -> new TenantCommands.ClaimRestorePassword(account, job.id(), replyTo),
            askTimeout)
        .thenApply(reply -> reply instanceof TenantCommands.RestorePassword password
            ? details.map(d -> d.withTemporaryPassword(password.password()))
            : details);
  }
}
