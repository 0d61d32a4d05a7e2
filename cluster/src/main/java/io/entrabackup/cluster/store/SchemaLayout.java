package io.entrabackup.cluster.store;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables and columns a list of CQL statements leaves (CREATE TABLE, ALTER TABLE ADD/DROP, DROP TABLE), and whether a
 * keyspace holds exactly them: every table, every column with its type and static-ness. {@code IF NOT EXISTS} leaves a
 * table or column of another layout as it is, so running the baseline again on a keyspace made by earlier code proves
 * nothing by itself; this check is what makes it "version 1".
 *
 * @param columns per table ({@code keyspace.table}), column name to its expected {@link Column}
 */
record SchemaLayout(Map<String, Map<String, Column>> columns) {

  /** @param type CQL type in lower case, without spaces ({@code map<text,bigint>}) */
  record Column(String type, boolean isStatic) {}

  private static final Pattern CREATE = Pattern.compile(
      "(?is)^CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?(\\w+)\"?\\.\"?(\\w+)\"?\\s*\\((.*)$");
  private static final Pattern ADD = Pattern.compile(
      "(?is)^ALTER\\s+TABLE\\s+\"?(\\w+)\"?\\.\"?(\\w+)\"?\\s+ADD\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\"?(\\w+)\"?\\s+(.+)$");
  private static final Pattern DROP_COLUMN = Pattern.compile(
      "(?is)^ALTER\\s+TABLE\\s+\"?(\\w+)\"?\\.\"?(\\w+)\"?\\s+DROP\\s+(?:IF\\s+EXISTS\\s+)?\"?(\\w+)\"?\\s*$");
  private static final Pattern DROP_TABLE =
      Pattern.compile("(?is)^DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?\"?(\\w+)\"?\\.\"?(\\w+)\"?\\s*$");
  private static final Pattern STATIC = Pattern.compile("(?is)^(.*?)\\s+static$");

  /** The layout {@code statements} (for one keyspace) leave, applied in order to an empty keyspace. */
  static SchemaLayout of(List<String> statements) {
    Map<String, Map<String, Column>> tables = new LinkedHashMap<>();
    for (String statement : statements) {
      String cql = statement.strip();
      Matcher create = CREATE.matcher(cql);
      Matcher add = ADD.matcher(cql);
      Matcher dropColumn = DROP_COLUMN.matcher(cql);
      Matcher dropTable = DROP_TABLE.matcher(cql);
      if (create.matches()) {
        tables.putIfAbsent(name(create.group(1), create.group(2)), columnsOf(create.group(3)));
      } else if (add.matches()) {
        tables.computeIfAbsent(name(add.group(1), add.group(2)), table -> new LinkedHashMap<>())
            .putIfAbsent(add.group(3).toLowerCase(), column(add.group(4)));
      } else if (dropColumn.matches()) {
        Map<String, Column> table = tables.get(name(dropColumn.group(1), dropColumn.group(2)));
        if (table != null) {
          table.remove(dropColumn.group(3).toLowerCase());
        }
      } else if (dropTable.matches()) {
        tables.remove(name(dropTable.group(1), dropTable.group(2)));
      }
    }
    return new SchemaLayout(tables);
  }

  /**
   * What in the keyspace differs from this layout (missing tables, missing columns, columns of another type); empty
   * when it matches. Columns the keyspace has beyond the layout are not differences: earlier code may have left some.
   */
  CompletionStage<List<String>> differences(CqlSession cql, String keyspace) {
    return cql.executeAsync(SimpleStatement.newInstance(
            "SELECT keyspace_name, table_name, column_name, type, kind FROM system_schema.columns WHERE keyspace_name = ?", keyspace))
        .thenCompose(page -> collect(page, new LinkedHashMap<>()))
        .thenApply(actual -> {
          List<String> differences = new ArrayList<>();
          columns.forEach((table, expected) -> {
            Map<String, Column> found = actual.get(table);
            if (found == null) {
              differences.add("table " + table + " is missing");
              return;
            }
            expected.forEach((name, column) -> {
              Column there = found.get(name);
              if (there == null) {
                differences.add("column " + table + "." + name + " is missing");
              } else if (!there.equals(column)) {
                differences.add("column " + table + "." + name + " is " + describe(there) + ", not "
                    + describe(column));
              }
            });
          });
          return differences;
        });
  }

  private static String describe(Column column) {
    return column.type() + (column.isStatic() ? " static" : "");
  }

  private static CompletionStage<Map<String, Map<String, Column>>> collect(AsyncResultSet page,
      Map<String, Map<String, Column>> into) {
    for (Row row : page.currentPage()) {
      into.computeIfAbsent(row.getString("keyspace_name") + "." + row.getString("table_name"), t -> new LinkedHashMap<>())
          .put(row.getString("column_name"), new Column(type(row.getString("type")),
              "static".equals(row.getString("kind"))));
    }
    return page.hasMorePages() ? page.fetchNextPage().thenCompose(next -> collect(next, into))
        : CompletableFuture.completedFuture(into);
  }

  private static Map<String, Column> columnsOf(String body) {
    Map<String, Column> columns = new LinkedHashMap<>();
    int depth = 0;
    StringBuilder part = new StringBuilder();
    for (char c : body.toCharArray()) {
      if (c == ')' && depth == 0) {
        addColumn(columns, part.toString());
        return columns;
      }
      if (c == ',' && depth == 0) {
        addColumn(columns, part.toString());
        part.setLength(0);
        continue;
      }
      depth += c == '(' || c == '<' ? 1 : c == ')' || c == '>' ? -1 : 0;
      part.append(c);
    }
    throw new IllegalArgumentException("unbalanced CREATE TABLE: " + body);
  }

  private static void addColumn(Map<String, Column> columns, String definition) {
    String text = definition.strip();
    if (text.isEmpty() || text.toUpperCase().startsWith("PRIMARY KEY")) {
      return;
    }
    String[] nameAndType = text.split("\\s+", 2);
    String type = nameAndType[1].replaceAll("(?i)\\s+PRIMARY\\s+KEY$", "");
    columns.put(nameAndType[0].replace("\"", "").toLowerCase(), column(type));
  }

  private static Column column(String typeAndModifier) {
    Matcher isStatic = STATIC.matcher(typeAndModifier.strip());
    return isStatic.matches() ? new Column(type(isStatic.group(1)), true) : new Column(type(typeAndModifier), false);
  }

  private static String type(String type) {
    return type.replaceAll("\\s+", "").toLowerCase();
  }

  private static String name(String keyspace, String table) {
    return keyspace.toLowerCase() + "." + table.toLowerCase();
  }
}
