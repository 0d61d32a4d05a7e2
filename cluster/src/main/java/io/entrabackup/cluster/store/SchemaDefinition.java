package io.entrabackup.cluster.store;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.KeyspaceAndTableStatements;
import org.apache.pekko.persistence.cassandra.PluginSettings;

/**
 * Everything a node needs in Cassandra, in one place: the keyspace (with the replication it is configured with) and the
 * versioned migrations of {@code cql/migrations} ({@link MigrationCatalog}), which hold our tables, Pekko Persistence's
 * journal, tag and snapshot tables and the projections' offset tables. {@link SchemaMigration} applies the migrations
 * from one process; every node waits until the keyspace is at {@link #expectedVersion()}, {@link #tables()} and
 * {@link #addedColumns()} exist and the Cassandra nodes agree ({@link SchemaGate}).
 *
 * @param keyspace our keyspace (the journal, snapshot store and projections use it too)
 * @param keyspaceStatement creates the keyspace with the configured replication, idempotent; not a migration, since
 *     replication is the deployment's choice, not the schema's
 * @param catalog the migrations this build knows
 * @param statements every migration's DDL in order, for {@code keyspace}
 * @param tables every table a node uses, as {@code keyspace.table}
 * @param addedColumns columns the migrations add to existing tables ({@code ALTER TABLE ... ADD IF NOT EXISTS}), as
 *     {@code keyspace.table.column}: a table that exists without them is not migrated yet
 */
public record SchemaDefinition(String keyspace, String keyspaceStatement, MigrationCatalog catalog,
    List<String> statements, Set<String> tables, Set<String> addedColumns) {

  /** The plugin's configuration section: journal, snapshot store and events by tag. */
  static final String PERSISTENCE_PLUGIN = "pekko.persistence.cassandra";
  private static final String OFFSET_STORE = "pekko.projection.cassandra.offset-store";

  private static final Pattern ADD_COLUMN = Pattern.compile(
      "(?is)^\\s*ALTER\\s+TABLE\\s+\"?(\\w+)\"?\\.\"?(\\w+)\"?\\s+ADD\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?(\\w+)\"?.*");

  public SchemaDefinition {
    statements = List.copyOf(statements);
    tables = Set.copyOf(tables);
    addedColumns = Set.copyOf(addedColumns);
  }

  /** The schema of a node configured as {@code system} is, with the node's migrations. */
  public static SchemaDefinition of(ActorSystem<?> system, CassandraSettings settings) {
    return of(system, settings, MigrationCatalog.node());
  }

  /**
   * As {@link #of(ActorSystem, CassandraSettings)} with other migrations (tests: an older or newer build). Fails when
   * Pekko Persistence or Projections, as configured, would use tables the migrations do not make as they would.
   */
  public static SchemaDefinition of(ActorSystem<?> system, CassandraSettings settings, MigrationCatalog catalog) {
    SchemaDefinition schema = of(settings.keyspace(), "CREATE KEYSPACE IF NOT EXISTS " + settings.keyspace()
        + " WITH replication = " + settings.replicationCql(), catalog);
    schema.requirePekkoTablesAsConfigured(system);
    return schema;
  }

  /** The definition of {@code catalog} for {@code keyspace}. */
  static SchemaDefinition of(String keyspace, String keyspaceStatement, MigrationCatalog catalog) {
    List<String> statements = catalog.statements(keyspace);
    Set<String> tables = new LinkedHashSet<>(SchemaLayout.of(statements).columns().keySet());
    Set<String> columns = new LinkedHashSet<>();
    for (String statement : statements) {
      Matcher column = ADD_COLUMN.matcher(statement);
      if (column.matches()) {
        String table = qualified(column.group(1), column.group(2));
        if (tables.contains(table)) {
          columns.add(table + "." + column.group(3).toLowerCase());
        }
      }
    }
    return new SchemaDefinition(keyspace, keyspaceStatement, catalog, statements, tables, columns);
  }

  /** The version of the keyspace this build runs on: its last migration's. */
  public int expectedVersion() {
    return catalog.latest();
  }

  /** The keyspaces the tables live in (one, as the node is configured). */
  public Set<String> keyspaces() {
    Set<String> keyspaces = new LinkedHashSet<>();
    tables.forEach(table -> keyspaces.add(table.substring(0, table.indexOf('.'))));
    return keyspaces;
  }

  /**
   * The plugin's own CQL for its configuration must be among the migrations' statements, and the projections' tables
   * among their tables: else the node would run against tables nobody made (a changed setting, or a Pekko upgrade
   * whose tables differ, which needs a migration of its own).
   */
  private void requirePekkoTablesAsConfigured(ActorSystem<?> system) {
    var pekko =
        new KeyspaceAndTableStatements(system, PERSISTENCE_PLUGIN, PluginSettings.apply(system.classicSystem()));
    List<String> wanted = new ArrayList<>(pekko.getCreateJournalTablesStatements());
    wanted.addAll(pekko.getCreateSnapshotTablesStatements());
    Set<String> ours = new LinkedHashSet<>();
    statements.forEach(statement -> ours.add(CqlText.normalized(statement)));
    for (String statement : wanted) {
      if (!ours.contains(CqlText.normalized(statement))) {
        throw new IllegalStateException("Pekko Persistence, as configured, needs a table the schema migrations do not"
            + " make as it would (a changed journal setting, or a plugin upgrade: add a migration): "
            + CqlText.normalized(statement));
      }
    }
    Config offsets = system.settings().config().getConfig(OFFSET_STORE);
    String offsetKeyspace = offsets.getString("keyspace");
    for (String table : List.of(offsets.getString("table"), offsets.getString("management-table"))) {
      if (!tables.contains(qualified(offsetKeyspace, table))) {
        throw new IllegalStateException("Pekko Projections, as configured, uses table " + offsetKeyspace + "." + table
            + ", which the schema migrations do not make");
      }
    }
  }

  // Unquoted CQL names are case-insensitive and stored in lower case in system_schema.
  private static String qualified(String keyspace, String table) {
    return keyspace.toLowerCase() + "." + table.toLowerCase();
  }
}
