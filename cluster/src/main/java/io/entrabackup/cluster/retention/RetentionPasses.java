package io.entrabackup.cluster.retention;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.store.PreparedStatementCache;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The {@code retention_passes} table: one row per tenant, its current or last pass. Who runs a pass is decided by
 * lightweight transactions on the row (a new pass replaces the finished one it read; a stale pass is taken over by
 * the beat it was seen with; a checkpoint is written only by the pass's owner), so two nodes never prune one tenant at
 * once and a pass whose node died is resumed from its last checkpoint.
 */
final class RetentionPasses {

  private final CassandraSession session;
  private final PreparedStatementCache select;
  private final PreparedStatementCache insertFirst;
  private final PreparedStatementCache replace;
  private final PreparedStatementCache takeOver;
  private final PreparedStatementCache checkpoint;
  private final PreparedStatementCache finish;

  RetentionPasses(CassandraSession session, String keyspace) {
    this.session = session;
    String table = keyspace + ".retention_passes";
    String start = " account_id = ?, job_id = ?, owner = ?, beat_at = ?, started_at = ?, cutoff = ?, keep_days = ?,"
        + " trigger = ?, at_type = '', at_bucket = 0, at_object = '', objects = 0, pruned = 0, chunks = 0,"
        + " state_bytes = 0, deferred = ''";
    select = new PreparedStatementCache(session, "SELECT * FROM " + table + " WHERE tenant_id = ?");
    insertFirst = new PreparedStatementCache(session, "INSERT INTO " + table + " (tenant_id, account_id, job_id, owner,"
        + " beat_at, started_at, cutoff, keep_days, trigger, at_type, at_bucket, at_object, objects, pruned, chunks,"
        + " state_bytes, deferred) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0, '', 0, 0, 0, 0, '') IF NOT EXISTS");
    replace = new PreparedStatementCache(session, "UPDATE " + table + " SET" + start
        + " WHERE tenant_id = ? IF job_id = ?");
    takeOver = new PreparedStatementCache(session, "UPDATE " + table + " SET owner = ?, beat_at = ?"
        + " WHERE tenant_id = ? IF job_id = ? AND beat_at = ?");
    checkpoint = new PreparedStatementCache(session, "UPDATE " + table + " SET beat_at = ?, at_type = ?, at_bucket = ?,"
        + " at_object = ?, objects = ?, pruned = ?, chunks = ?, state_bytes = ? WHERE tenant_id = ? IF owner = ?");
    finish = new PreparedStatementCache(session, "UPDATE " + table + " SET finished_job = ?, finished_at = ?,"
        + " objects = ?, pruned = ?, chunks = ?, state_bytes = ?, deferred = ? WHERE tenant_id = ? IF owner = ?");
  }

  CompletionStage<Optional<PassRecord>> get(String tenantId) {
    return select.get().thenCompose(s -> session.selectOne(s.bind(tenantId))).thenApply(row -> row.map(
        RetentionPasses::record));
  }

  /**
   * Starts a new pass, if the tenant's row is still what was read ({@code previous}: none, or a finished pass).
   * Completes with whether this caller won.
   */
  CompletionStage<Boolean> start(Optional<PassRecord> previous, PassRecord pass) {
    CompletionStage<com.datastax.oss.driver.api.core.cql.BoundStatement> bound = previous.isEmpty()
        ? insertFirst.get().thenApply(s -> s.bind(pass.tenantId(), pass.accountId(), pass.jobId(), pass.owner(),
            pass.beatAt(), pass.startedAt(), pass.cutoff(), pass.keepDays(), pass.trigger()))
        : replace.get().thenApply(s -> s.bind(pass.accountId(), pass.jobId(), pass.owner(), pass.beatAt(),
            pass.startedAt(), pass.cutoff(), pass.keepDays(), pass.trigger(), pass.tenantId(),
            previous.get().jobId()));
    return bound.thenCompose(statement -> session.underlying().thenCompose(cql -> cql.executeAsync(statement)))
        .thenApply(result -> result.wasApplied());
  }

  /** Takes over a pass whose owner stopped beating (its node died); completes with whether this caller won. */
  CompletionStage<Boolean> takeOver(PassRecord stale, String owner, Instant now) {
    return applied(takeOver, owner, now, stale.tenantId(), stale.jobId(), stale.beatAt());
  }

  /** Records progress; false when another node owns the pass now (this one must stop). */
  CompletionStage<Boolean> checkpoint(String tenantId, String owner, Instant now, PassRecord.Checkpoint at,
      RetentionFigures figures) {
    return applied(checkpoint, now, at.type(), at.bucket(), at.objectId(), figures.objects(), figures.versions(),
        figures.chunks(), figures.stateBytes(), tenantId, owner);
  }

  CompletionStage<Boolean> finish(String tenantId, String owner, UUID jobId, Instant now, RetentionFigures figures,
      Optional<String> deferred) {
    return applied(finish, jobId, now, figures.objects(), figures.versions(), figures.chunks(), figures.stateBytes(),
        deferred.orElse(""), tenantId, owner);
  }

  private CompletionStage<Boolean> applied(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(s -> session.underlying().thenCompose(cql -> cql.executeAsync(s.bind(values))))
        .thenApply(result -> result.wasApplied());
  }

  private static PassRecord record(Row row) {
    UUID job = row.getUuid("job_id");
    boolean finished = job != null && job.equals(row.getUuid("finished_job"));
    String type = row.getString("at_type");
    Optional<PassRecord.Checkpoint> at = type == null || type.isEmpty() ? Optional.empty()
        : Optional.of(new PassRecord.Checkpoint(type, row.getInt("at_bucket"), row.getString("at_object")));
    String deferred = row.getString("deferred");
    return new PassRecord(row.getString("tenant_id"), row.getString("account_id"), job, row.getString("owner"),
        row.getInstant("beat_at"), row.getInstant("started_at"), Optional.ofNullable(row.getInstant("finished_at")),
        finished, row.getInstant("cutoff"), row.getInt("keep_days"), row.getString("trigger"), at,
        new RetentionFigures(row.getLong("objects"), row.getLong("pruned"), row.getLong("chunks"),
            row.getLong("state_bytes")),
        deferred == null || deferred.isEmpty() ? Optional.empty() : Optional.of(deferred));
  }
}
