package io.entrabackup.node;

import io.entrabackup.cluster.download.DownloadJobRows;
import io.entrabackup.cluster.download.Downloads;
import io.entrabackup.cluster.job.JobStore;
import io.entrabackup.http.job.JobClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.JobView;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The job routes' view of the cluster: the jobs read model, download jobs with their file and link. */
final class ClusterJobClient implements JobClient {

  private final JobStore jobs;
  private final Downloads downloads;

  ClusterJobClient(JobStore jobs, Downloads downloads) {
    this.jobs = jobs;
    this.downloads = downloads;
  }

  @Override
  public CompletionStage<JobPage> list(AccountId account, String kind, Optional<String> after, int limit) {
    return jobs.list(account, kind, after, limit).thenCompose(page -> {
      List<CompletableFuture<JobView>> views =
          page.items().stream().map(job -> withDownload(job, false).toCompletableFuture()).toList();
      return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
          .thenApply(ignored -> new JobPage(views.stream().map(CompletableFuture::join).toList(), page.next()));
    });
  }

  @Override
  public CompletionStage<Optional<JobView>> get(AccountId account, String jobId) {
    return jobs.get(account, jobId).thenCompose(job -> job.isEmpty()
        ? CompletableFuture.completedFuture(job)
        : withDownload(job.get(), true).thenApply(Optional::of));
  }

  /** A download job's scope, file and link (one partition read each; pages are small). */
  private CompletionStage<JobView> withDownload(JobView job, boolean withAccesses) {
    if (!job.kind().equals(DownloadJobRows.KIND)) {
      return CompletableFuture.completedFuture(job);
    }
    if (job.state() == JobState.RUNNING) {
      downloads.wake(job.id());
    }
    return downloads.view(job.id(), withAccesses).thenApply(view -> view.map(job::withDownload).orElse(job));
  }
}
