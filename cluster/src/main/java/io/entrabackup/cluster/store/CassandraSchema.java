package io.entrabackup.cluster.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our own keyspace and tables, from the CQL files in {@code cluster/src/main/resources/cql}: they are the body of schema
 * version 1 ({@code cql/migrations/V0001__baseline.cql} includes them, frozen), part of the node's whole
 * {@link SchemaDefinition}, which {@link SchemaMigration} applies from one process. {@link #createIfNotExists} applies
 * only these, for tests and benchmarks that need our tables without a node and without version bookkeeping. A schema
 * change is a new migration, never an edit of these files.
 */
public final class CassandraSchema {

  private static final Logger log = LoggerFactory.getLogger(CassandraSchema.class);

  /** Read-side table definitions, applied in this order; each statement is idempotent. */
  private static final List<String> CQL_FILES = List.of("cql/read-model.cql", "cql/snapshots.cql", "cql/downloads.cql",
      "cql/audit.cql", "cql/keys.cql", "cql/snapshot-search.cql", "cql/history.cql", "cql/retention.cql",
      "cql/offboarding.cql");

  private CassandraSchema() {}

  public static CompletionStage<Done> createIfNotExists(CassandraSession session, CassandraSettings settings) {
    String keyspace = settings.keyspace();
    CompletionStage<Done> result =
        session.executeDDL(
            "CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = "
                + settings.replicationCql());
    for (String statement : statements(keyspace)) {
      result = result.thenCompose(done -> session.executeDDL(statement));
    }
    return result.thenCompose(done -> requireCurrentSnapshotFormat(session, keyspace)).whenComplete(
        (done, error) -> {
          if (error == null) {
            log.info("Cassandra schema of keyspace {} is in place", keyspace);
          }
        });
  }

  /**
   * {@code CREATE TABLE IF NOT EXISTS} leaves a table of an older layout as it is. Snapshot states were text columns
   * before they were packed ({@code state_deflated}), a run's changes were not clustered by outcome, and small
   * memberships were chunk rows rather than inline; no deployment predates any of it, so rather than migrate we refuse
   * to start on such a keyspace, saying what to do, instead of failing on the first backup.
   */
  static CompletionStage<Done> requireCurrentSnapshotFormat(CassandraSession session, String keyspace) {
    return requireColumn(session, keyspace, "snapshot_versions", "state_deflated", "regular", "states as text")
        .thenCompose(done -> requireColumn(session, keyspace, "snapshot_run_changes", "outcome", "clustering",
            "run changes not clustered by outcome"))
        .thenCompose(done -> requireColumn(session, keyspace, "snapshot_latest", "members_inline", "regular",
            "no small memberships kept in the version row"))
        .thenCompose(done -> requireSealedSnapshots(session, keyspace));
  }

  /** Rows written before encryption at rest (cluster/ENCRYPTION.md) have state_crc32 in clear; sealed rows never do. */
  private static CompletionStage<Done> requireSealedSnapshots(CassandraSession session, String keyspace) {
    return session.selectOne("SELECT state_crc32 FROM " + keyspace + ".snapshot_latest LIMIT 1").thenApply(row -> {
      if (row.isPresent() && !row.get().isNull("state_crc32")) {
        throw new IllegalStateException("keyspace " + keyspace + " holds snapshots stored in clear, before encryption"
            + " at rest, that this version does not read: drop the keyspace (on a development machine: deploy/cassandra"
            + " clean) and back the tenants up again");
      }
      return Done.getInstance();
    });
  }

  private static CompletionStage<Done> requireColumn(CassandraSession session, String keyspace, String table,
      String column, String kind, String olderLayout) {
    return session.selectOne("SELECT kind FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?"
            + " AND column_name = ?", keyspace, table, column)
        .thenApply(row -> {
          if (row.isEmpty() || !kind.equals(row.get().getString("kind"))) {
            throw new IllegalStateException("keyspace " + keyspace + " holds snapshot tables of an older, pre-release"
                + " layout (" + olderLayout + ") that this version does not read: drop the keyspace (on a development"
                + " machine: deploy/cassandra clean) and back the tenants up again");
          }
          return Done.getInstance();
        });
  }

  /**
   * Our own tables' statements for {@code keyspace}, in order (also for tests that make keyspaces ahead): version 1's
   * files, then every later migration, so such a keyspace has the layout the build expects.
   */
  public static List<String> statements(String keyspace) {
    List<String> statements = new ArrayList<>(CQL_FILES.stream()
        .flatMap(file -> CqlText.statements(CqlText.resource(file)).stream())
        .map(statement -> statement.replace("${keyspace}", keyspace))
        .toList());
    MigrationCatalog.node().migrations().stream().skip(1)
        .forEach(migration -> statements.addAll(migration.statements(keyspace)));
    return statements;
  }
}
