package io.entrabackup.bench;

/** The lines printed and written to results.txt. */
final class Report {
  private final StringBuilder text = new StringBuilder();

  void line(String line) {
    System.out.println(line);
    text.append(line).append('\n');
  }

  String text() {
    return text.toString();
  }

  /** Writes a target's line, PASS or FAIL; answers whether it passed. */
  boolean target(boolean ok, String what) {
    line("  " + (ok ? "PASS" : "FAIL") + " " + what);
    return ok;
  }
}
