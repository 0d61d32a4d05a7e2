package io.entrabackup.http.job;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobView;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** System Status's jobs, from the jobs read model. */
public interface JobClient {

  CompletionStage<JobPage> list(AccountId account, JobKind kind, Optional<String> after, int limit);

  /** Empty when the account has no such job. */
  CompletionStage<Optional<JobView>> get(AccountId account, String jobId);
}
