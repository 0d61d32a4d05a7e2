package io.entrabackup.node;

import io.entrabackup.protocol.account.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route tables of http-api/API-SECURITY.md, read as ScopesIT holds them to the code: each row's route
 * ({@code METHOD /path/{id}}, its first cell) and what it says the route needs (its second cell).
 */
final class ApiSecurityTable {

  private static final Path DOCUMENT = Path.of("..", "http-api", "API-SECURITY.md");
  private static final Pattern ROW = Pattern.compile("^\\| `(GET|PUT|POST|DELETE|PATCH) (/[^`\\s]*)` \\|([^|]*)\\|");
  private static final Pattern NAME = Pattern.compile("`([a-z]+)`");

  private ApiSecurityTable() {}

  /** "METHOD template" to the row's "needs" cell, for every row naming a route. */
  static Map<String, String> read() throws IOException {
    Map<String, String> rows = new TreeMap<>();
    for (String line : Files.readAllLines(DOCUMENT)) {
      Matcher row = ROW.matcher(line);
      if (row.find() && rows.put(row.group(1) + " " + row.group(2), row.group(3).strip()) != null) {
        throw new AssertionError("API-SECURITY.md lists " + row.group(1) + " " + row.group(2) + " twice");
      }
    }
    return rows;
  }

  /** The scopes a "needs" cell names (in backquotes). */
  static Set<Scope> scopes(String needs) {
    Set<Scope> named = EnumSet.noneOf(Scope.class);
    Matcher name = NAME.matcher(needs);
    while (name.find()) {
      named.add(Scope.fromApiName(name.group(1)));
    }
    return named;
  }
}
