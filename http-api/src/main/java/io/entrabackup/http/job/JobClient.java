package io.entrabackup.http.job;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.JobFilter;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobPage;
import io.entrabackup.protocol.backup.JobView;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** System Status's jobs, from the jobs read model. */
public interface JobClient {

  /** A page of the account's jobs of one kind that pass {@code filter}, newest first, after the cursor. */
  CompletionStage<JobPage> list(AccountId account, JobKind kind, JobFilter filter, Optional<String> after, int limit);

  /** A page of every job of one kind. */
  default CompletionStage<JobPage> list(AccountId account, JobKind kind, Optional<String> after, int limit) {
    return list(account, kind, JobFilter.NONE, after, limit);
  }

  /** Empty when the account has no such job. */
  CompletionStage<Optional<JobView>> get(AccountId account, String jobId);
}
