package io.entrabackup.node;

import io.entrabackup.cluster.job.JobStore;
import io.entrabackup.cluster.job.RestoreJobs;
import io.entrabackup.cluster.tenant.TenantEntity;
import io.entrabackup.http.job.JobClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import io.entrabackup.protocol.restore.RestoreDetails;
import io.entrabackup.protocol.tenant.TenantCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** The job routes' view of the cluster: the jobs read model, with restore jobs' own details. */
final class ClusterJobClient implements JobClient {

  private final JobStore jobs;
  private final Optional<RestoreJobs> restores;
  private final Optional<ClusterSharding> sharding;
  private final Duration askTimeout;

  ClusterJobClient(JobStore jobs) {
    this.jobs = jobs;
    this.restores = Optional.empty();
    this.sharding = Optional.empty();
    this.askTimeout = Duration.ofSeconds(10);
  }

  ClusterJobClient(ActorSystem<?> system, JobStore jobs, RestoreJobs restores) {
    this.jobs = jobs;
    this.restores = Optional.of(restores);
    this.sharding = Optional.of(ClusterSharding.get(system));
    this.askTimeout = system.settings().config().getDuration("entra-backup.tenant.ask-timeout");
  }

  @Override
  public CompletionStage<JobPage> list(AccountId account, String kind, Optional<String> after, int limit) {
    return jobs.list(account, kind, after, limit).thenCompose(page -> {
      if (restores.isEmpty() || !kind.equals(RestoreJobs.RESTORE)) {
        return CompletableFuture.completedFuture(page);
      }
      CompletionStage<List<JobView>> items = CompletableFuture.completedFuture(new ArrayList<>());
      for (JobView job : page.items()) {
        items = items.thenCompose(list -> restores.get().details(job.id()).thenApply(details -> {
          list.add(job.withRestore(details));
          return list;
        }));
      }
      return items.thenApply(list -> new JobPage(List.copyOf(list), page.next()));
    });
  }

  @Override
  public CompletionStage<Optional<JobView>> get(AccountId account, String jobId) {
    return jobs.get(account, jobId).thenCompose(found -> {
      if (found.isEmpty() || restores.isEmpty() || !found.get().kind().equals(RestoreJobs.RESTORE)) {
        return CompletableFuture.completedFuture(found);
      }
      JobView job = found.get();
      return restores.get().details(jobId)
          .thenCompose(details -> withPassword(account, job, details))
          .thenApply(details -> Optional.of(job.withRestore(details)));
    });
  }

  /**
   * A finished restore that recreated a user: its temporary password, once. The tenant entity hands it out to the
   * first read of the job by its account and forgets it.
   */
  private CompletionStage<Optional<RestoreDetails>> withPassword(AccountId account, JobView job,
      Optional<RestoreDetails> details) {
    boolean recreatedUser = details.filter(d -> d.objectType().equals("users")
        && d.action().filter("recreate"::equals).isPresent()).isPresent();
    boolean finished = job.state() == JobState.COMPLETED || job.state() == JobState.COMPLETED_WITH_SKIPPED_ITEMS;
    if (!recreatedUser || !finished || sharding.isEmpty()) {
      return CompletableFuture.completedFuture(details);
    }
    return sharding.get().entityRefFor(TenantEntity.ENTITY_TYPE_KEY, job.tenantId())
        .<TenantCommands.Reply>ask(replyTo -> new TenantCommands.ClaimRestorePassword(account, job.id(), replyTo),
            askTimeout)
        .thenApply(reply -> reply instanceof TenantCommands.RestorePassword password
            ? details.map(d -> d.withTemporaryPassword(password.password()))
            : details);
  }
}
