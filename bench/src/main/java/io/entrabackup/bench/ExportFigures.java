package io.entrabackup.bench;

import java.util.Map;

/** The export's figures and its target (20,000 objects/s on this kind of machine). */
record ExportFigures(ExportBenchmark.Result result, HeapLog.Peak heap,
    Map<String, Double> cpu) {
  boolean report(Report report) throws Exception {
    describe(report, "(d) export of the whole tenant");
    boolean ok = result.objectsPerSecond() >= 20_000;
    report.line("  " + (ok ? "PASS" : "FAIL") + String.format(" (d) export >= 20,000 objects/s: %,.0f",
        result.objectsPerSecond()));
    return ok;
  }

  void describe(Report report, String what) {
    report.line(String.format(what + ": %,d objects, %.1f MB ZIP, built in %.1f s: %,.0f"
            + " objects/s, %.1f MB/s; fetched in %.1f s; node peak heap after GC %s (before GC %d MiB);"
            + " CPU s node/Cassandra/machine/wall %.1f / %.1f / %.1f / %.1f",
        result.objects(), result.bytes() / 1e6, result.buildMillis() / 1000.0, result.objectsPerSecond(),
        result.megabytesPerSecond(), result.fetchMillis() / 1000.0, heap.afterGc(), heap.maxBeforeMib(),
        cpu.getOrDefault("node", -1.0), cpu.getOrDefault("cassandra", -1.0), cpu.getOrDefault("machine", -1.0),
        cpu.getOrDefault("wall", -1.0)));
  }
}
