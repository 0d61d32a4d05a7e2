package io.entrabackup.cluster.restore;

import io.entrabackup.cluster.store.PlainFuture;
import io.entrabackup.cluster.store.PreparedStatementCache;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The writes a restore job set out to make, in {@code restore_writes}: a row per write, made (and awaited) before the
 * write goes to Graph, and never incremented, so making it again is harmless. A resumed restore plans again from the
 * directory as it is: a write its lost attempt made is no longer a difference and is not made again, and only its row
 * says it happened. See {@link RestoreTally} for how the job's figure is counted from them.
 */
public final class RestoreWrites {

  private final CassandraSession session;
  private final PreparedStatementCache insert;
  private final PreparedStatementCache select;

  public RestoreWrites(CassandraSession session, String keyspace) {
    this.session = session;
    String table = keyspace + ".restore_writes";
    insert = new PreparedStatementCache(session, "INSERT INTO " + table + " (job_id, write) VALUES (?, ?)");
    select = new PreparedStatementCache(session, "SELECT write FROM " + table + " WHERE job_id = ?");
  }

  /** Records that the job is about to make the write (named as its skipped item would be). */
  CompletionStage<Done> intended(String jobId, String write) {
    return insert.get().thenCompose(statement -> session.executeWrite(statement.bind(UUID.fromString(jobId), write)));
  }

  /** The writes the job set out to make so far, in every attempt. */
  CompletionStage<Set<String>> intendedSoFar(String jobId) {
    return select.get()
        .thenCompose(statement -> PlainFuture.of(session.selectAll(statement.bind(UUID.fromString(jobId)))))
        .thenApply(rows -> {
          Set<String> writes = new HashSet<>();
          rows.forEach(row -> writes.add(row.getString(0)));
          return writes;
        });
  }
}
