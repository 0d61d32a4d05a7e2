package io.entrabackup.cluster.job;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.approval.ApprovalView;
import io.entrabackup.protocol.backup.JobKind;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Four-eyes approvals on System Status: the {@code job_approvals} table, one row per job that waited for approval
 * (restores and downloads alike). Each write is an idempotent upsert, so a repeated event or row sync changes nothing.
 */
public final class JobApprovals {

  private final CassandraSession session;
  private final PreparedStatementCache insertRequest;
  private final PreparedStatementCache updateDecision;
  private final PreparedStatementCache select;

  public JobApprovals(CassandraSession session, String keyspace) {
    this.session = session;
    String table = keyspace + ".job_approvals";
    insertRequest = new PreparedStatementCache(session, "INSERT INTO " + table + " (job_id, account_id, kind,"
        + " requested_by, reason, requested_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    updateDecision = new PreparedStatementCache(session, "UPDATE " + table + " SET decision = ?, decided_by = ?,"
        + " decided_at = ? WHERE job_id = ?");
    select = new PreparedStatementCache(session, "SELECT account_id, requested_by, reason, requested_at, expires_at,"
        + " decision, decided_by, decided_at FROM " + table + " WHERE job_id = ?");
  }

  /** The job waits for approval: who asked, why, until when. */
  public CompletionStage<Done> requested(JobKind kind, AccountId account, String jobId, String requestedBy,
      String reason, Instant requestedAt, Instant expiresAt) {
    return insertRequest.get().thenCompose(s -> session.executeWrite(s.bind(UUID.fromString(jobId), account.value(),
        kind.apiName(), requestedBy, reason, requestedAt, expiresAt)));
  }

  /** The request was approved or rejected ({@code decidedBy} the key), or expired (no key). */
  public CompletionStage<Done> decided(String jobId, ApprovalDecision decision, Optional<String> decidedBy,
      Instant decidedAt) {
    return updateDecision.get().thenCompose(s -> session.executeWrite(s.bind(decision.apiName(),
        decidedBy.orElse(null), decidedAt, UUID.fromString(jobId))));
  }

  /** The job's approval as the account sees it; empty for a job that never waited (or another account's). */
  public CompletionStage<Optional<ApprovalView>> view(AccountId account, String jobId) {
    return select.get()
        .thenCompose(s -> session.selectOne(s.bind(UUID.fromString(jobId))))
        .thenApply(row -> row.filter(found -> account.value().equals(found.getString("account_id")))
            .map(JobApprovals::view));
  }

  private static ApprovalView view(Row row) {
    return new ApprovalView(row.getString("requested_by"), Optional.ofNullable(row.getString("reason")).orElse(""),
        row.getInstant("requested_at"), row.getInstant("expires_at"),
        Optional.ofNullable(row.getString("decision")).map(ApprovalDecision::fromApiName),
        Optional.ofNullable(row.getString("decided_by")), Optional.ofNullable(row.getInstant("decided_at")));
  }
}
