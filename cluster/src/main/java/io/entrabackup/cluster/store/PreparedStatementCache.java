package io.entrabackup.cluster.store;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * One CQL statement, prepared on first use and again after a failed attempt, so a node that starts
 * while Cassandra is down recovers by itself once it is back.
 */
public final class PreparedStatementCache {

  private final CassandraSession session;
  private final String cql;
  private final AtomicReference<CompletionStage<PreparedStatement>> prepared = new AtomicReference<>();

  public PreparedStatementCache(CassandraSession session, String cql) {
    this.session = session;
    this.cql = cql;
  }

  public CompletionStage<PreparedStatement> get() {
    CompletionStage<PreparedStatement> current = prepared.get();
    if (current != null && !current.toCompletableFuture().isCompletedExceptionally()) {
      return current;
    }
    CompletionStage<PreparedStatement> attempt = PlainFuture.of(session.prepare(cql));
    prepared.compareAndSet(current, attempt);
    return attempt;
  }
}
