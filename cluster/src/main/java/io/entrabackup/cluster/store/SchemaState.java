package io.entrabackup.cluster.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What Cassandra holds of a {@link SchemaDefinition}, as the node's coordinator sees it: the tables, the schema version
 * recorded in the keyspace, and whether every Cassandra node agrees on the schema. Ready means all of it: a table one
 * Cassandra node knows and another does not yet is exactly what made projections fail with "table tag_views does not
 * exist", and a keyspace behind the build's version lacks what the build's code uses.
 *
 * @param existingTables the defined tables that exist, as {@code keyspace.table}
 * @param missingTables the defined tables that do not exist yet
 * @param missingColumns the columns our CQL adds that are not there yet, as {@code keyspace.table.column}
 * @param agreement whether the driver reports schema agreement across the Cassandra cluster
 * @param applied the migrations recorded in the keyspace's {@code schema_versions}, by version
 * @param expectedVersion the version this build expects
 * @param refusal why this build must not run on the keyspace at all ({@link MigrationCatalog#refusal}), if it must not
 */
public record SchemaState(Set<String> existingTables, Set<String> missingTables, Set<String> missingColumns,
    boolean agreement, List<AppliedMigration> applied, int expectedVersion, Optional<String> refusal) {

  /** Names a log line lists before "and N more". */
  private static final int SHOWN = 6;

  public SchemaState {
    existingTables = Set.copyOf(existingTables);
    missingTables = Set.copyOf(missingTables);
    missingColumns = Set.copyOf(missingColumns);
    applied = List.copyOf(applied);
  }

  /** The keyspace's schema version: the highest recorded, 0 for none (no version table, or made before it existed). */
  public int version() {
    return applied.stream().mapToInt(AppliedMigration::version).max().orElse(0);
  }

  public boolean ready() {
    return missingTables.isEmpty() && missingColumns.isEmpty() && agreement && refusal.isEmpty()
        && version() == expectedVersion && applied.size() == expectedVersion;
  }

  /** What is still missing, in words for the log (sorted, so that a repeated state reads the same). */
  public String describe() {
    if (refusal.isPresent()) {
      return refusal.get();
    }
    List<String> parts = new ArrayList<>();
    if (version() < expectedVersion || applied.size() < expectedVersion) {
      parts.add("keyspace at schema version " + version() + ", this build expects " + expectedVersion);
    }
    if (!missingTables.isEmpty()) {
      parts.add(missingTables.size() + " table(s) missing: " + names(missingTables));
    }
    if (!missingColumns.isEmpty()) {
      parts.add("column(s) not added yet: " + names(missingColumns));
    }
    if (!agreement) {
      parts.add("the Cassandra nodes do not agree on the schema version yet");
    }
    return parts.isEmpty() ? "schema in place and agreed at version " + version() : String.join("; ", parts);
  }

  private static String names(Set<String> names) {
    List<String> sorted = List.copyOf(new TreeSet<>(names));
    return sorted.size() <= SHOWN ? String.join(", ", sorted)
        : String.join(", ", sorted.subList(0, SHOWN)) + " and " + (sorted.size() - SHOWN) + " more";
  }

  /** Reads the state from {@code system_schema} and {@code schema_versions} and asks the driver about agreement. */
  public static CompletionStage<SchemaState> read(CqlSession cql, SchemaDefinition schema) {
    CompletableFuture<Set<String>> existing = CompletableFuture.completedFuture(new LinkedHashSet<>());
    for (String keyspace : schema.keyspaces()) {
      existing = existing.thenCompose(found -> tablesOf(cql, keyspace).thenApply(tables -> {
        found.addAll(tables);
        return found;
      }));
    }
    CompletableFuture<Set<String>> missingColumns = CompletableFuture.completedFuture(new LinkedHashSet<>());
    for (String column : schema.addedColumns()) {
      missingColumns = missingColumns.thenCompose(missing -> exists(cql, column).thenApply(there -> {
        if (!there) {
          missing.add(column);
        }
        return missing;
      }));
    }
    CompletableFuture<Set<String>> columns = missingColumns;
    return existing.thenCompose(tables -> columns.thenCompose(missing ->
        SchemaVersions.read(cql, schema.keyspace()).thenCompose(applied ->
            cql.checkSchemaAgreementAsync().thenApply(agreed -> {
              Set<String> present = new LinkedHashSet<>(schema.tables());
              present.retainAll(tables);
              Set<String> absent = new LinkedHashSet<>(schema.tables());
              absent.removeAll(tables);
              return new SchemaState(present, absent, missing, agreed, applied, schema.expectedVersion(),
                  schema.catalog().refusal(schema.keyspace(), applied));
            }))));
  }

  private static CompletionStage<Set<String>> tablesOf(CqlSession cql, String keyspace) {
    return cql.executeAsync(SimpleStatement.newInstance(
            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace))
        .thenCompose(page -> collect(page, keyspace, new LinkedHashSet<>()));
  }

  private static CompletionStage<Set<String>> collect(AsyncResultSet page, String keyspace, Set<String> into) {
    for (Row row : page.currentPage()) {
      into.add(keyspace + "." + row.getString("table_name"));
    }
    return page.hasMorePages()
        ? page.fetchNextPage().thenCompose(next -> collect(next, keyspace, into))
        : CompletableFuture.completedFuture(into);
  }

  private static CompletionStage<Boolean> exists(CqlSession cql, String column) {
    String[] parts = column.split("\\.", 3);
    return cql.executeAsync(SimpleStatement.newInstance("SELECT column_name FROM system_schema.columns"
            + " WHERE keyspace_name = ? AND table_name = ? AND column_name = ?", parts[0], parts[1], parts[2]))
        .thenApply(result -> result.one() != null);
  }
}
