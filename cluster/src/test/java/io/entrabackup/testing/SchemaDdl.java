package io.entrabackup.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.entrabackup.cluster.store.CassandraSchema;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Test keyspaces made and dropped with a plain driver session, outside any actor system ({@link KeyspaceStock}). */
public final class SchemaDdl {

  /** A schema change waits for the node to agree; on a busy machine that takes longer than a query's default. */
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);

  private SchemaDdl() {}

  /** A keyspace with our own tables (read models, snapshots, downloads, audit), as {@link CassandraSchema} makes them. */
  public static void createReadSide(String host, int port, String keyspace) {
    execute(host, port, List.of("CREATE KEYSPACE IF NOT EXISTS " + keyspace
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
    execute(host, port, CassandraSchema.statements(keyspace));
  }

  /** Empties every table of the keyspace; its schema stays, and so does its record of it (schema_versions). */
  public static void truncateAll(String host, int port, String keyspace) {
    try (CqlSession session = session(host, port)) {
      List<String> tables = session.execute(SimpleStatement.newInstance(
              "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace))
          .all().stream().map(row -> row.getString("table_name"))
          .filter(table -> !table.equals("schema_versions") && !table.equals("schema_lock")).toList();
      tables.forEach(table -> session.execute(
          SimpleStatement.newInstance("TRUNCATE " + keyspace + "." + table).setTimeout(DDL_TIMEOUT)));
    }
  }

  public static void drop(String host, int port, String keyspace) {
    execute(host, port, List.of("DROP KEYSPACE IF EXISTS " + keyspace));
  }

  private static void execute(String host, int port, List<String> statements) {
    try (CqlSession session = session(host, port)) {
      statements.forEach(statement ->
          session.execute(SimpleStatement.newInstance(statement).setTimeout(DDL_TIMEOUT)));
    }
  }

  private static CqlSession session(String host, int port) {
    return CqlSession.builder().addContactPoint(new InetSocketAddress(host, port)).withLocalDatacenter("datacenter1")
        .build();
  }
}
