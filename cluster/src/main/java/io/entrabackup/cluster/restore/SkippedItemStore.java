package io.entrabackup.cluster.restore;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.restore.SkipReason;
import io.entrabackup.protocol.restore.SkippedItem;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/** A restore job's skipped items in {@code restore_skipped_items}: written when the restore ends, read by the API. */
public final class SkippedItemStore {

  private final CassandraSession session;
  private final PreparedStatementCache deleteJob;
  private final PreparedStatementCache insert;
  private final PreparedStatementCache select;
  private final RestoreWrites writes;

  public SkippedItemStore(CassandraSession session, String keyspace) {
    this.session = session;
    this.writes = new RestoreWrites(session, keyspace);
    String table = keyspace + ".restore_skipped_items";
    deleteJob = new PreparedStatementCache(session, "DELETE FROM " + table + " WHERE job_id = ?");
    insert = new PreparedStatementCache(session, "INSERT INTO " + table
        + " (job_id, seq, object_type, object_id, item, reason, message, graph_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    select = new PreparedStatementCache(session, "SELECT object_type, object_id, item, reason, message, graph_code"
        + " FROM " + table + " WHERE job_id = ?");
  }

  /** Replaces the job's items (a resumed restore writes the whole list again). */
  CompletionStage<Done> replace(String jobId, List<SkippedItem> items) {
    UUID id = UUID.fromString(jobId);
    CompletionStage<Done> result = deleteJob.get().thenCompose(s -> session.executeWrite(s.bind(id)));
    for (int i = 0; i < items.size(); i++) {
      int seq = i;
      SkippedItem item = items.get(i);
      result = result.thenCompose(done -> insert.get().thenCompose(s -> session.executeWrite(s.bind(id, seq,
          item.objectType(), item.objectId(), item.item(), item.reason().code(), item.message(),
          item.graphCode().orElse(null)))));
    }
    return result;
  }

  /** The jobs' intended writes, in the same keyspace (what a restore's figure of writes is counted from). */
  RestoreWrites writes() {
    return writes;
  }

  public CompletionStage<List<SkippedItem>> list(String jobId) {
    UUID id;
    try {
      id = UUID.fromString(jobId);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(List.of());
    }
    return select.get().thenCompose(s -> session.selectAll(s.bind(id)))
        .thenApply(rows -> rows.stream().map(SkippedItemStore::item).toList());
  }

  private static SkippedItem item(Row row) {
    return new SkippedItem(row.getString("object_type"), row.getString("object_id"), row.getString("item"),
        reason(row.getString("reason")), row.getString("message"), Optional.ofNullable(row.getString("graph_code")));
  }

  /** The stored code is the reason's JSON code, as it has been since skipped items were first written. */
  private static SkipReason reason(String code) {
    return SkipReason.fromCode(code)
        .orElseThrow(() -> new IllegalStateException("restore_skipped_items holds an unknown reason " + code));
  }
}
