package io.entrabackup.cluster.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a keyspace to the version of a {@link SchemaDefinition}: makes the keyspace and its version and lock tables,
 * takes the schema lock ({@link SchemaLock}), then applies every migration the keyspace has not recorded, in order, one
 * statement after the other, checks after each that every table and column is as the migrations up to it say
 * ({@link SchemaLayout}) and records it in {@code schema_versions}. Refuses ({@link SchemaRefusedException}) a keyspace
 * whose applied migrations changed since or whose version is newer than the build's.
 *
 * <p>A keyspace made before versioned migrations (every table of version 1, no version recorded) is recognised as
 * version 1: the baseline's statements are idempotent, so they run again, change nothing, and the layout check proves it
 * is version 1. Run by {@code Main schema} ({@code deploy/schema}) in production, or the one node allowed to in
 * development (see {@code JoinAfterSchema}); the lock guards against a second migrator all the same. Cassandra does not
 * tolerate two processes creating the same table at the same moment (each makes its own table id; the nodes then
 * disagree on the schema), which is why nothing else creates tables: Pekko Persistence's own autocreate is off.
 */
public final class SchemaMigration {

  private static final Logger log = LoggerFactory.getLogger(SchemaMigration.class);

  /** A schema change waits for every Cassandra node to take it; on a busy cluster that is longer than a query. */
  static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
  /** Differences a refusal lists before "and N more". */
  private static final int SHOWN = 8;

  private SchemaMigration() {}

  /** As {@link #run(ActorSystem, CassandraSession, SchemaDefinition, String)}, by a node. */
  public static CompletionStage<SchemaReport> run(ActorSystem<?> system, CassandraSession session,
      SchemaDefinition schema) {
    return run(system, session, schema, "node");
  }

  /**
   * Applies every pending migration of {@code schema}; answers what changed.
   *
   * @param command what runs it, recorded with each migration ("deploy/schema", "node")
   */
  public static CompletionStage<SchemaReport> run(ActorSystem<?> system, CassandraSession session,
      SchemaDefinition schema, String command) {
    String owner = owner(command);
    String keyspace = schema.keyspace();
    return session.underlying().thenCompose(cql -> {
      List<String> bookkeeping = new ArrayList<>(List.of(schema.keyspaceStatement()));
      bookkeeping.addAll(SchemaVersions.createStatements(keyspace));
      return executeAll(cql, bookkeeping)
          .thenCompose(done -> new SchemaLock(system, cql, keyspace, owner).around(() ->
              SchemaState.read(cql, schema).thenCompose(before ->
                  migrate(cql, schema, owner, before)
                      .thenCompose(applied -> SchemaState.read(cql, schema)
                          .thenApply(after -> report(schema, before, after, applied))))));
    });
  }

  private static CompletionStage<List<AppliedMigration>> migrate(CqlSession cql, SchemaDefinition schema,
      String owner, SchemaState before) {
    Optional<String> refusal = before.refusal();
    if (refusal.isPresent()) {
      return CompletableFuture.failedFuture(new SchemaRefusedException(refusal.get()));
    }
    boolean madeBefore = before.applied().isEmpty() && SchemaLayout.of(baseline(schema)).columns().keySet().stream()
        .allMatch(before.existingTables()::contains);
    CompletionStage<List<AppliedMigration>> result = CompletableFuture.completedFuture(new ArrayList<>());
    for (Migration migration : schema.catalog().pending(before.applied())) {
      String how = migration.version() == 1 && madeBefore ? AppliedMigration.RECOGNISED : AppliedMigration.APPLIED;
      result = result.thenCompose(applied -> apply(cql, schema, migration, owner, how).thenApply(row -> {
        applied.add(row);
        return applied;
      }));
    }
    return result;
  }

  private static CompletionStage<AppliedMigration> apply(CqlSession cql, SchemaDefinition schema, Migration migration,
      String owner, String how) {
    String keyspace = schema.keyspace();
    log.info("{} schema migration {} ({} statements) to keyspace {}",
        how.equals(AppliedMigration.RECOGNISED) ? "Recognising" : "Applying", migration.label(),
        migration.statements().size(), keyspace);
    long start = System.nanoTime();
    return executeAll(cql, migration.statements(keyspace))
        .thenCompose(done -> layoutUpTo(schema, migration.version()).differences(cql, keyspace))
        .thenCompose(differences -> {
          if (!differences.isEmpty()) {
            throw new SchemaRefusedException("keyspace " + keyspace + " is not as schema version "
                + migration.version() + " says after " + migration.label() + ": " + listed(differences)
                + ". It was made or changed by other code; it is left as it is and not recorded at this version");
          }
          AppliedMigration row = new AppliedMigration(migration.version(), migration.description(),
              migration.checksum(), Instant.now(), owner, Duration.ofNanos(System.nanoTime() - start), how);
          return SchemaVersions.record(cql, keyspace, row).thenApply(recorded -> row);
        });
  }

  private static List<String> baseline(SchemaDefinition schema) {
    return schema.catalog().migrations().get(0).statements(schema.keyspace());
  }

  private static SchemaLayout layoutUpTo(SchemaDefinition schema, int version) {
    return SchemaLayout.of(schema.catalog().upTo(version).statements(schema.keyspace()));
  }

  private static String listed(List<String> differences) {
    return differences.size() <= SHOWN ? String.join("; ", differences)
        : String.join("; ", differences.subList(0, SHOWN)) + " and " + (differences.size() - SHOWN) + " more";
  }

  static CompletionStage<Void> executeAll(CqlSession cql, List<String> statements) {
    CompletableFuture<Void> result = CompletableFuture.completedFuture(null);
    for (String statement : statements) {
      result = result.thenCompose(done -> cql.executeAsync(SimpleStatement.newInstance(statement)
          .setTimeout(DDL_TIMEOUT)).thenApply(rows -> null));
    }
    return result;
  }

  /** Who migrates, as recorded: "host pid 1234 (deploy/schema)". */
  static String owner(String command) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown host";
    }
    return host + " pid " + ProcessHandle.current().pid() + " (" + command + ")";
  }

  private static SchemaReport report(SchemaDefinition schema, SchemaState before, SchemaState after,
      List<AppliedMigration> applied) {
    Set<String> created = new LinkedHashSet<>(after.existingTables());
    created.removeAll(before.existingTables());
    Set<String> added = new LinkedHashSet<>(before.missingColumns());
    added.removeAll(after.missingColumns());
    // A column of a table created just now came with its CREATE TABLE, it was not added.
    added.removeIf(column -> created.contains(column.substring(0, column.lastIndexOf('.'))));
    SchemaReport report = new SchemaReport(created, added, schema.tables().size(), applied, after.version());
    log.info("Cassandra schema: {}", String.join("; ", report.lines().subList(0, report.lines().size() - 1)));
    return report;
  }
}
