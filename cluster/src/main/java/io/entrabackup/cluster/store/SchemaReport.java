package io.entrabackup.cluster.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one run of {@link SchemaMigration} did: the tables it created and the columns it added (none when the schema
 * was already in place: running it twice changes nothing), out of how many tables the node uses.
 *
 * @param createdTables tables that did not exist before, as {@code keyspace.table}
 * @param addedColumns columns that were not there before, as {@code keyspace.table.column}
 * @param tables every table the node uses
 */
public record SchemaReport(Set<String> createdTables, Set<String> addedColumns, int tables) {

  public SchemaReport {
    createdTables = Set.copyOf(createdTables);
    addedColumns = Set.copyOf(addedColumns);
  }

  public boolean changedNothing() {
    return createdTables.isEmpty() && addedColumns.isEmpty();
  }

  /** Lines for an operator: what changed, then that the schema is in place and agreed. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    new TreeSet<>(createdTables).forEach(table -> lines.add("created table " + table));
    new TreeSet<>(addedColumns).forEach(column -> lines.add("added column " + column));
    lines.add(changedNothing()
        ? "schema already in place: all " + tables + " tables exist, nothing changed"
        : "schema in place: " + createdTables.size() + " of " + tables + " tables created, " + addedColumns.size()
            + " column(s) added");
    lines.add("schema agreement reached across the Cassandra cluster");
    return lines;
  }
}
