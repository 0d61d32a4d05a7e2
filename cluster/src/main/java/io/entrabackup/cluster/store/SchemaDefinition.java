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
 * Everything a node needs in Cassandra, in one place: our keyspace and tables ({@code cql/*.cql}), Pekko Persistence's
 * journal, tag and snapshot tables (their CQL as the plugin itself writes it, for the plugin's configured keyspace and
 * replication), and the projections' offset tables. The one process that creates the schema runs {@link #statements()}
 * (and the projections' own statements); every node waits until {@link #tables()} and {@link #addedColumns()} exist.
 *
 * @param statements the DDL in order, each idempotent ({@code IF NOT EXISTS}); the projection tables are not among
 *     them (Pekko Projections creates its own, see {@link SchemaMigration})
 * @param tables every table a node uses, as {@code keyspace.table}
 * @param addedColumns columns our CQL adds to existing tables ({@code ALTER TABLE ... ADD IF NOT EXISTS}), as
 *     {@code keyspace.table.column}: a table that exists without them is not migrated yet
 */
public record SchemaDefinition(List<String> statements, Set<String> tables, Set<String> addedColumns) {

  /** The plugin's configuration section: journal, snapshot store and events by tag. */
  static final String PERSISTENCE_PLUGIN = "pekko.persistence.cassandra";
  private static final String OFFSET_STORE = "pekko.projection.cassandra.offset-store";

  private static final Pattern CREATE_TABLE =
      Pattern.compile("(?is)^\\s*CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+\"?(\\w+)\"?\\.\"?(\\w+)\"?.*");
  private static final Pattern ADD_COLUMN = Pattern.compile(
      "(?is)^\\s*ALTER\\s+TABLE\\s+\"?(\\w+)\"?\\.\"?(\\w+)\"?\\s+ADD\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?(\\w+)\"?.*");

  public SchemaDefinition {
    statements = List.copyOf(statements);
    tables = Set.copyOf(tables);
    addedColumns = Set.copyOf(addedColumns);
  }

  /** The schema of a node configured as {@code system} is. */
  public static SchemaDefinition of(ActorSystem<?> system, CassandraSettings settings) {
    var pekko =
        new KeyspaceAndTableStatements(system, PERSISTENCE_PLUGIN, PluginSettings.apply(system.classicSystem()));
    List<String> statements = new ArrayList<>();
    statements.add("CREATE KEYSPACE IF NOT EXISTS " + settings.keyspace() + " WITH replication = "
        + settings.replicationCql());
    statements.addAll(CassandraSchema.statements(settings.keyspace()));
    statements.add(pekko.createJournalKeyspaceStatement());
    statements.addAll(pekko.getCreateJournalTablesStatements());
    statements.add(pekko.createSnapshotKeyspaceStatement());
    statements.addAll(pekko.getCreateSnapshotTablesStatements());
    Config offsets = system.settings().config().getConfig(OFFSET_STORE);
    String offsetKeyspace = offsets.getString("keyspace");
    return of(statements, List.of(offsetKeyspace + "." + offsets.getString("table"),
        offsetKeyspace + "." + offsets.getString("management-table")));
  }

  /** The definition of {@code statements} plus tables created elsewhere ({@code keyspace.table}). */
  static SchemaDefinition of(List<String> statements, List<String> otherTables) {
    Set<String> tables = new LinkedHashSet<>();
    Set<String> columns = new LinkedHashSet<>();
    for (String statement : statements) {
      Matcher table = CREATE_TABLE.matcher(statement);
      if (table.matches()) {
        tables.add(qualified(table.group(1), table.group(2)));
      }
      Matcher column = ADD_COLUMN.matcher(statement);
      if (column.matches()) {
        columns.add(qualified(column.group(1), column.group(2)) + "." + column.group(3).toLowerCase());
      }
    }
    otherTables.forEach(name -> tables.add(name.toLowerCase()));
    return new SchemaDefinition(statements, tables, columns);
  }

  /** The keyspaces the tables live in (one, as the node is configured). */
  public Set<String> keyspaces() {
    Set<String> keyspaces = new LinkedHashSet<>();
    tables.forEach(table -> keyspaces.add(table.substring(0, table.indexOf('.'))));
    return keyspaces;
  }

  // Unquoted CQL names are case-insensitive and stored in lower case in system_schema.
  private static String qualified(String keyspace, String table) {
    return keyspace.toLowerCase() + "." + table.toLowerCase();
  }
}
