package io.entrabackup.cluster.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.cassandra.javadsl.CassandraProjection;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates or migrates the whole schema of a {@link SchemaDefinition}, one statement after the other, from one process:
 * {@code Main schema} ({@code deploy/schema}) in production, or the one node allowed to in development (see
 * {@code JoinAfterSchema}). Every statement is idempotent, so running it again changes nothing. Cassandra does not
 * tolerate two processes creating the same table at the same moment (each makes its own table id; the nodes then
 * disagree on the schema), which is why nothing else creates tables: Pekko Persistence's own autocreate is off.
 */
public final class SchemaMigration {

  private static final Logger log = LoggerFactory.getLogger(SchemaMigration.class);

  /** A schema change waits for every Cassandra node to take it; on a busy cluster that is longer than a query. */
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);

  private SchemaMigration() {}

  /** Runs every statement of {@code schema} and the projections' own; answers what changed. */
  public static CompletionStage<SchemaReport> run(ActorSystem<?> system, CassandraSession session,
      SchemaDefinition schema) {
    return session.underlying().thenCompose(cql -> SchemaState.read(cql, schema).thenCompose(before ->
        executeAll(cql, schema)
            .thenCompose(done -> PlainFuture.of(CassandraProjection.createTablesIfNotExists(system)))
            .thenCompose(done -> SchemaState.read(cql, schema))
            .thenApply(after -> report(schema, before, after))));
  }

  private static CompletionStage<Void> executeAll(CqlSession cql, SchemaDefinition schema) {
    CompletableFuture<Void> result = CompletableFuture.completedFuture(null);
    for (String statement : schema.statements()) {
      result = result.thenCompose(done -> cql.executeAsync(SimpleStatement.newInstance(statement)
          .setTimeout(DDL_TIMEOUT)).thenApply(rows -> null));
    }
    return result;
  }

  private static SchemaReport report(SchemaDefinition schema, SchemaState before, SchemaState after) {
    Set<String> created = new LinkedHashSet<>(after.existingTables());
    created.removeAll(before.existingTables());
    Set<String> added = new LinkedHashSet<>(before.missingColumns());
    added.removeAll(after.missingColumns());
    // A column of a table created just now came with its CREATE TABLE, it was not added.
    added.removeIf(column -> created.contains(column.substring(0, column.lastIndexOf('.'))));
    SchemaReport report = new SchemaReport(created, added, schema.tables().size());
    log.info("Cassandra schema: {}", String.join("; ", report.lines().subList(0, report.lines().size() - 1)));
    return report;
  }
}
