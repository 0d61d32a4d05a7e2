package io.entrabackup.cluster.download;

import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.download.DownloadEvents.DownloadFailed;
import io.entrabackup.protocol.download.DownloadEvents.DownloadPublished;
import io.entrabackup.protocol.download.DownloadEvents.DownloadRequested;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Download jobs' rows in System Status ({@code jobs_by_account}, kind {@code download}), written by
 * the job entity after each event (idempotent upserts, repeated after a recovery) and by the running
 * build for its progress. The JobStore reads them like any other job.
 */
public final class DownloadJobRows {

  public static final String KIND = "download";
  /** Progress keys: objects written to the ZIP, and the estimate of how many it will hold. */
  public static final String OBJECTS_WRITTEN = "objectsWritten";
  public static final String OBJECTS_TOTAL = "objectsTotal";

  private final CassandraSession session;
  private final PreparedStatementCache insertRunning;
  private final PreparedStatementCache updateProgress;
  private final PreparedStatementCache updateFinished;

  public DownloadJobRows(CassandraSession session, String keyspace) {
    this.session = session;
    String table = keyspace + ".jobs_by_account";
    String key = " WHERE account_id = ? AND kind = ? AND job_id = ?";
    insertRunning = new PreparedStatementCache(session, "INSERT INTO " + table
        + " (account_id, kind, job_id, tenant_id, state, queued_at, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    updateProgress = new PreparedStatementCache(session, "UPDATE " + table
        + " SET progress = progress + ?" + key);
    updateFinished = new PreparedStatementCache(session, "UPDATE " + table
        + " SET state = ?, finished_at = ?, error = ?, progress = progress + ?" + key);
  }

  public CompletionStage<Done> running(DownloadRequested job) {
    return write(insertRunning, job.account().value(), KIND, UUID.fromString(job.jobId()), job.tenant().id().value(),
        JobState.RUNNING.name(), job.requestedAt(), job.requestedAt());
  }

  /** Best effort: a lost progress update is corrected by the next one. */
  public CompletionStage<Done> progress(AccountId account, String jobId, long written, long total) {
    return write(updateProgress, Map.of(OBJECTS_WRITTEN, written, OBJECTS_TOTAL, Math.max(written, total)),
        account.value(), KIND, UUID.fromString(jobId));
  }

  public CompletionStage<Done> published(DownloadPublished event) {
    long objects = event.file().objects();
    return finished(event.account(), event.jobId(), JobState.COMPLETED, event.publishedAt(), null,
        Map.of(OBJECTS_WRITTEN, objects, OBJECTS_TOTAL, objects));
  }

  public CompletionStage<Done> failed(DownloadFailed event) {
    return finished(event.account(), event.jobId(), JobState.FAILED, event.failedAt(), event.reason(), Map.of());
  }

  private CompletionStage<Done> finished(AccountId account, String jobId, JobState state, Instant at, String error,
      Map<String, Long> progress) {
    return write(updateFinished, state.name(), at, error, progress, account.value(), KIND, UUID.fromString(jobId));
  }

  private CompletionStage<Done> write(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared -> session.executeWrite(prepared.bind(values)));
  }
}
