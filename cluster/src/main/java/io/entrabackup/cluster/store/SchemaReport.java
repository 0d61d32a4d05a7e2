package io.entrabackup.cluster.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one run of {@link SchemaMigration} did: the migrations it applied (or recognised), the tables it created and the
 * columns it added (none when the schema was already in place: running it twice changes nothing), out of how many
 * tables the node uses, and the version the keyspace is at after it.
 *
 * @param createdTables tables that did not exist before, as {@code keyspace.table}
 * @param addedColumns columns that were not there before, as {@code keyspace.table.column}
 * @param tables every table the node uses
 * @param applied the migrations this run recorded, in order
 * @param version the keyspace's schema version after the run
 */
public record SchemaReport(Set<String> createdTables, Set<String> addedColumns, int tables,
    List<AppliedMigration> applied, int version) {

  public SchemaReport {
    createdTables = Set.copyOf(createdTables);
    addedColumns = Set.copyOf(addedColumns);
    applied = List.copyOf(applied);
  }

  public boolean changedNothing() {
    return createdTables.isEmpty() && addedColumns.isEmpty() && applied.isEmpty();
  }

  /** Lines for an operator: what changed, then that the schema is in place and agreed. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (AppliedMigration migration : applied) {
      lines.add(migration.how() + " " + Migration.label(migration.version()) + " " + migration.description()
          + String.format(Locale.ROOT, " in %.1f s", migration.took().toMillis() / 1000.0)
          + (AppliedMigration.RECOGNISED.equals(migration.how())
              ? " (keyspace made before versioned migrations: every table and column checked)" : ""));
    }
    new TreeSet<>(createdTables).forEach(table -> lines.add("created table " + table));
    new TreeSet<>(addedColumns).forEach(column -> lines.add("added column " + column));
    lines.add(changedNothing()
        ? "schema already in place at version " + version + ": all " + tables + " tables exist, nothing changed"
        : "schema in place at version " + version + ": " + applied.size() + " migration(s) applied, "
            + createdTables.size() + " of " + tables + " tables created, " + addedColumns.size() + " column(s) added");
    lines.add("schema agreement reached across the Cassandra cluster");
    return lines;
  }
}
