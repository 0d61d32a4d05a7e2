package io.entrabackup.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A plain-text table, one column per phase. */
final class Table {
  private final List<List<String>> rows = new ArrayList<>();

  Table(String first, List<String> columns) {
    List<String> header = new ArrayList<>();
    header.add(first);
    header.addAll(columns);
    rows.add(header);
  }

  void row(String label, List<Phase> phases, Function<Phase, String> value) {
    List<String> row = new ArrayList<>();
    row.add(label);
    phases.forEach(p -> row.add(value.apply(p)));
    rows.add(row);
  }

  void print(Report report) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    rows.forEach(row -> {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    });
    for (int r = 0; r < rows.size(); r++) {
      StringBuilder line = new StringBuilder("| ");
      for (int i = 0; i < columns; i++) {
        String cell = rows.get(r).get(i);
        line.append(i == 0 ? String.format("%-" + widths[i] + "s", cell) : String.format("%" + widths[i] + "s", cell))
            .append(" | ");
      }
      report.line(line.toString().stripTrailing());
      if (r == 0) {
        StringBuilder rule = new StringBuilder("|");
        for (int width : widths) {
          rule.append("-".repeat(width + 2)).append('|');
        }
        report.line(rule.toString());
      }
    }
  }
}
