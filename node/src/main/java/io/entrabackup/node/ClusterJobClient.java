package io.entrabackup.node;

import io.entrabackup.cluster.job.JobStore;
import io.entrabackup.http.job.JobClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobView;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The job routes' view of the cluster: the jobs read model. */
final class ClusterJobClient implements JobClient {

  private final JobStore jobs;

  ClusterJobClient(JobStore jobs) {
    this.jobs = jobs;
  }

  @Override
  public CompletionStage<JobPage> list(AccountId account, String kind, Optional<String> after, int limit) {
    return jobs.list(account, kind, after, limit);
  }

  @Override
  public CompletionStage<Optional<JobView>> get(AccountId account, String jobId) {
    return jobs.get(account, jobId);
  }
}
