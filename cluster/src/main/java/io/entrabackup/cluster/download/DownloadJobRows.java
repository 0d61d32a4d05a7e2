package io.entrabackup.cluster.download;

import io.entrabackup.cluster.job.JobsByAccount;
import io.entrabackup.cluster.job.JobsByAccount.Ending;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.download.DownloadEvents.DownloadFailed;
import io.entrabackup.protocol.download.DownloadEvents.DownloadPublished;
import io.entrabackup.protocol.download.DownloadEvents.DownloadRequested;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Download jobs' rows in System Status ({@code jobs_by_account}, kind {@code download}), written by
 * the job entity after each event (idempotent upserts, repeated after a recovery) and by the running
 * build for its progress. The JobStore reads them like any other job.
 */
public final class DownloadJobRows {

  /** Progress keys: objects written to the ZIP, and the estimate of how many it will hold. */
  public static final String OBJECTS_WRITTEN = "objectsWritten";
  public static final String OBJECTS_TOTAL = "objectsTotal";

  private final JobsByAccount jobs;

  public DownloadJobRows(CassandraSession session, String keyspace) {
    this.jobs = new JobsByAccount(session, keyspace);
  }

  public CompletionStage<Done> running(DownloadRequested job) {
    return jobs.insert(JobKind.DOWNLOAD, job.account(), job.jobId(), job.tenant().id().value(), JobState.RUNNING,
        Optional.empty(), job.requestedAt(), Optional.of(job.requestedAt()));
  }

  /** Best effort: a lost progress update is corrected by the next one. */
  public CompletionStage<Done> progress(AccountId account, String jobId, long written, long total) {
    return jobs.progress(JobKind.DOWNLOAD, account, jobId,
        Map.of(OBJECTS_WRITTEN, written, OBJECTS_TOTAL, Math.max(written, total)));
  }

  public CompletionStage<Done> published(DownloadPublished event) {
    long objects = event.file().objects();
    return jobs.ended(JobKind.DOWNLOAD, event.account(), event.jobId(), Ending.of(JobState.COMPLETED,
        event.publishedAt()).withProgress(Map.of(OBJECTS_WRITTEN, objects, OBJECTS_TOTAL, objects)));
  }

  public CompletionStage<Done> failed(DownloadFailed event) {
    return jobs.ended(JobKind.DOWNLOAD, event.account(), event.jobId(),
        Ending.of(JobState.FAILED, event.failedAt()).withError(event.reason()));
  }
}
