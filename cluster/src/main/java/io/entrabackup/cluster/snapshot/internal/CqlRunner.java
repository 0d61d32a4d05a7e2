package io.entrabackup.cluster.snapshot.internal;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.entrabackup.cluster.store.PlainFuture;
import io.entrabackup.cluster.store.PreparedStatementCache;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Runs the snapshot store's statements on the driver session (asked of the Pekko session once, then kept), most of
 * them through one limiter that bounds the statements the store keeps in flight across all its callers. Not through
 * the Pekko session's {@code executeAsync}/{@code selectAll}: their stages are Scala futures, whose every dependent
 * callback costs a thread on this machine's one-thread common pool (see {@code PlainFuture}), and the store chains a
 * few per object.
 */
public final class CqlRunner {

  private final CassandraSession session;
  private final AsyncLimiter limiter;
  /** The driver session once connected (until then, every statement asks the Pekko session for it). */
  private volatile CqlSession cqlSession;

  public CqlRunner(CassandraSession session, int parallelism) {
    this.session = session;
    this.limiter = new AsyncLimiter(parallelism);
  }

  /** Runs the statement once the limiter lets it. */
  public CompletionStage<AsyncResultSet> limited(Statement<?> statement) {
    return limiter.run(() -> unlimited(statement));
  }

  /** Runs the statement now: for reads whose caller bounds its own concurrency (a download's scan). */
  public CompletionStage<AsyncResultSet> unlimited(Statement<?> statement) {
    CqlSession cql = cqlSession;
    if (cql != null) {
      return cql.executeAsync(statement);
    }
    return PlainFuture.of(session.underlying()).thenCompose(connected -> {
      cqlSession = connected;
      return connected.executeAsync(statement);
    });
  }

  /** Binds and runs a prepared statement through the limiter. */
  public CompletionStage<AsyncResultSet> execute(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared -> limited(prepared.bind(values)));
  }

  /** Every row of a (paged) query, mapped. */
  public <T> CompletionStage<List<T>> all(PreparedStatementCache statement, Function<Row, T> map, Object... values) {
    List<T> result = new ArrayList<>();
    return execute(statement, values).thenCompose(rows -> collect(rows, map, result));
  }

  /**
   * Hands every row of a (paged) query to {@code each}, page by page, keeping no rows: for passes over a whole type
   * (a recount, a run's changes), where a list of 100,000 rows would be garbage the moment it is made.
   */
  public CompletionStage<Void> forEach(PreparedStatementCache statement, Consumer<Row> each, Object... values) {
    return execute(statement, values).thenCompose(rows -> forEachPage(rows, each));
  }

  private CompletionStage<Void> forEachPage(AsyncResultSet rows, Consumer<Row> each) {
    rows.currentPage().forEach(each);
    if (rows.hasMorePages()) {
      return rows.fetchNextPage().thenCompose(next -> forEachPage(next, each));
    }
    return CompletableFuture.completedFuture(null);
  }

  private <T> CompletionStage<List<T>> collect(AsyncResultSet rows, Function<Row, T> map, List<T> into) {
    rows.currentPage().forEach(row -> into.add(map.apply(row)));
    if (rows.hasMorePages()) {
      return rows.fetchNextPage().thenCompose(next -> collect(next, map, into));
    }
    return CompletableFuture.completedFuture(into);
  }
}
