package io.entrabackup.cluster.retention;

import io.entrabackup.cluster.job.JobsByAccount;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.JobFilter;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whether a download or restore of the tenant is under way (queued, awaiting approval or running), as the jobs read
 * model says: such a job may read any version it was asked for, so retention prunes nothing of the tenant meanwhile.
 * The read model is in Cassandra, written before the API answers that a job was created and ended only by the job's
 * own end, so what it says survives the crash of any node (RETENTION.md, "Pins").
 */
final class RetentionPins {

  private static final Set<JobState> UNDER_WAY = Set.of(JobState.QUEUED, JobState.RUNNING,
      JobState.AWAITING_APPROVAL);
  private static final int LOOK_AT = 25;

  private final JobsByAccount jobs;
  private final Clock clock;
  private final Duration lookBack;

  /** @param lookBack how old a job may be and still be under way (longer than any approval window) */
  RetentionPins(JobsByAccount jobs, Clock clock, Duration lookBack) {
    this.jobs = jobs;
    this.clock = clock;
    this.lookBack = lookBack;
  }

  /** Why the tenant's versions must stay as they are now, if they must. */
  CompletionStage<Optional<String>> blocking(String account, String tenantId) {
    return underWay(account, tenantId, JobKind.DOWNLOAD).thenCompose(download -> download.isPresent()
        ? CompletableFuture.completedFuture(download)
        : underWay(account, tenantId, JobKind.RESTORE));
  }

  private CompletionStage<Optional<String>> underWay(String account, String tenantId, JobKind kind) {
    JobFilter filter = new JobFilter(Optional.of(tenantId), UNDER_WAY, Optional.of(clock.instant().minus(lookBack)),
        Optional.empty());
    return underWay(new AccountId(account), kind, filter, Optional.empty());
  }

  /** Page after page (a filtered page reads a bounded number of rows) until one is found or the range ends. */
  private CompletionStage<Optional<String>> underWay(AccountId account, JobKind kind, JobFilter filter,
      Optional<String> after) {
    return jobs.page(account, kind, filter, after, LOOK_AT).thenCompose(page -> {
      Optional<String> found = page.items().stream().findFirst()
          .map(job -> "the " + kind.apiName() + " job " + job.id() + " of the tenant is " + job.state().apiName());
      if (found.isPresent() || page.next() == null) {
        return CompletableFuture.completedFuture(found);
      }
      return underWay(account, kind, filter, Optional.of(page.next()));
    });
  }
}
