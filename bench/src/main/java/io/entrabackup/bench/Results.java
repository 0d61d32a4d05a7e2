package io.entrabackup.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's figures as a table, the raw baseline's comparison, and its targets, PASS or FAIL. */
final class Results {

  private final BenchOptions options;
  private final Path out;
  private final Report report;
  /** The download of (c)'s tenant by (c)'s node, when (c) ran. */
  private final ExportFigures millionExport;

  Results(BenchOptions options, Report report, ExportFigures millionExport) {
    this.options = options;
    this.out = options.out();
    this.report = report;
    this.millionExport = millionExport;
  }

  /** (c) alone ({@code --only-million}): its figures and target; answers whether it passed. */
  boolean printMillionOnly(Phase million) throws Exception {
    report.line("");
    Table table = new Table("figure", List.of(million.name()));
    List<Phase> phases = List.of(million);
    table.row("objects seen", phases, p -> Long.toString(p.seen()));
    table.row("wall time (job API duration)", phases, p -> p.seconds() + " s");
    table.row("objects/s", phases, p -> String.format("%,.0f", p.seen() / Math.max(p.seconds(), 0.001)));
    table.row("new snapshot rows (run's versions)", phases, p -> Long.toString(p.snapshotRows()));
    table.row("CPU s: node/Cassandra/simulator/machine/wall", phases, Phase::cpuFigures);
    table.row("node heap: peak after GC", phases, p -> p.heap().afterGc());
    table.row("node heap: peak before GC", phases, p -> p.heap().beforeGc());
    table.row("node heap: -Xmx / GCs in run", phases, p -> options.millionHeap() + " / " + p.heap().collections());
    table.print(report);
    boolean pass = millionTargets(million);
    report.line("load average at end: " + Benchmark.loadAverage());
    Path results = out.resolve("results.txt");
    Files.writeString(results, report.text());
    System.out.println("Written to " + results);
    return pass;
  }

  /** (c)'s targets: its backup and its download complete with the small heap. */
  boolean millionTargets(Phase million) throws Exception {
    boolean pass = reportMillionExport();
    return report.target(million.seen() >= options.millionUsers(), "(c) " + options.millionUsers()
        + "-user full backup completed with -Xmx" + options.millionHeap() + ": " + million.seen() + " objects in "
        + million.seconds() + " s, peak heap after GC " + million.heap().afterGc()) && pass;
  }

  /** (c)'s download: it must complete on the 512 MiB node (the objects/s target is (d)'s). */
  private boolean reportMillionExport() throws Exception {
    if (millionExport == null) {
      return true;
    }
    millionExport.describe(report, "(c) export of the " + options.millionUsers() + "-user tenant by the -Xmx"
        + options.millionHeap() + " node");
    return report.target(millionExport.result().objects() >= options.millionUsers(), "(c) export completed with -Xmx"
        + options.millionHeap() + ": " + millionExport.result().objects() + " objects, peak heap after GC "
        + millionExport.heap().afterGc());
  }

  /** Prints the table and the targets; answers whether every target passed. */
  boolean print(Phase full, Phase incremental, RawInsertBaseline.Result raw, int changedObjects,
      Phase million, String millionSkipped) throws Exception {
    List<Phase> phases = new ArrayList<>(List.of(full, incremental));
    if (million != null) {
      phases.add(million);
    }
    report.line("");
    Table table = new Table("figure", phases.stream().map(Phase::name).toList());
    table.row("objects seen", phases, p -> Long.toString(p.seen()));
    table.row("wall time (job API duration)", phases, p -> p.seconds() + " s");
    table.row("wall time (Backup Now -> seen completed)", phases, p -> String.format("%.2f s", p.observedMillis() / 1000.0));
    table.row("objects/s", phases, p -> String.format("%,.0f", p.seen() / Math.max(p.seconds(), 0.001)));
    table.row("Graph requests (job API)", phases, p -> Long.toString(p.job().path("graph").path("requests").asLong()));
    for (String type : Benchmark.TYPES) {
      table.row("  " + type + " (simulator)", phases, p -> Long.toString(p.requestsByType().getOrDefault(type, 0L)));
    }
    table.row("  token/organization (simulator)", phases, p -> Long.toString(p.requestsByType().getOrDefault("other", 0L)));
    table.row("429s (job API / simulator)", phases,
        p -> p.job().path("graph").path("throttled").asLong() + " / " + p.throttled());
    table.row("Graph bytes", phases, p -> String.format("%.1f MB", p.job().path("graph").path("bytes").asLong() / 1e6));
    table.row("created / changed / removed", phases, p -> p.count("created") + " / " + p.count("changed") + " / "
        + p.count("removed"));
    table.row("new snapshot rows (run's versions)", phases, p -> Long.toString(p.snapshotRows()));
    table.row("CPU s: node/Cassandra/simulator/machine/wall", phases, Phase::cpuFigures);
    table.row("node heap: peak after GC", phases, p -> p.heap().afterGc());
    table.row("node heap: peak before GC", phases, p -> p.heap().beforeGc());
    table.row("node heap: -Xmx / GCs in run", phases, p -> (p == million ? options.millionHeap() : options.nodeHeap())
        + " / " + p.heap().collections());
    table.print(report);
    report.line("");
    report.line("Peak heap after GC: the most the node's heap still held right after a collection during the run"
        + " (from its -Xlog:gc log; a young collection leaves old garbage, so this bounds the live set from above);"
        + " a System.gc() via jcmd just after the run is included. Peak before GC: how full the collector let it get.");
    report.line("CPU s: CPU seconds each process used during the run, the machine's busy CPU seconds (all"
        + " processes, 2 cores = 2 CPU s per wall second) and the wall seconds: what else ran shows as the difference.");
    report.line("Graph requests per type are the simulator's request counters for that phase; the job API gives"
        + " the total.");
    if (million == null) {
      report.line("(c) skipped: " + millionSkipped);
    }

    double ourSeconds = full.seconds();
    double rawRowsPerSecond = raw.rows() / raw.seconds();
    double ourRowsPerSecond = raw.rows() / ourSeconds;
    report.line("");
    report.line(String.format("Raw driver baseline (same %,d rows of %,d versions of (a), same tables, async, %d in"
            + " flight): %.2f s, %,.0f rows/s, %,.0f objects/s", raw.rows(), raw.objects(), options.rawParallelism(),
        raw.seconds(), rawRowsPerSecond, raw.objectsPerSecond()));
    report.line(String.format("(a) wrote the same rows at %,.0f rows/s (%,.0f objects/s): %.0f%% of the raw rate",
        ourRowsPerSecond, raw.objects() / ourSeconds, 100 * ourRowsPerSecond / rawRowsPerSecond));
    reportBestCase(full, raw);

    report.line("");
    report.line("Targets:");
    boolean pass = true;
    pass &= report.target(ourRowsPerSecond >= 0.5 * rawRowsPerSecond, String.format(
        "(a) rate >= 50%% of the raw driver rate: %.0f%%", 100 * ourRowsPerSecond / rawRowsPerSecond));
    pass &= report.target(full.seconds() < 60, String.format("(a) under 60 s: %.2f s", full.seconds()));
    long incrementalVersions = incremental.count("created") + incremental.count("changed")
        + incremental.count("removed");
    pass &= report.target(incremental.snapshotRows() == changedObjects && incrementalVersions == changedObjects,
        "(b) new snapshot rows == objects changed: " + incremental.snapshotRows() + " rows, " + incrementalVersions
            + " versions in the job's counts, " + changedObjects + " objects changed");
    for (String type : Benchmark.TYPES) {
      long needed = pagesNeeded(type, incremental);
      long requests = incremental.requestsByType().getOrDefault(type, 0L);
      pass &= report.target(requests <= needed + 1, "(b) " + type + " Graph requests <= pages needed + 1: " + requests
          + " <= " + needed + " + 1");
    }
    pass &= report.target(incremental.seconds() < 5, String.format("(b) under 5 s: %.2f s", incremental.seconds()));
    if (million != null) {
      pass &= millionTargets(million);
    } else {
      report.line("  SKIP (c) " + millionSkipped);
    }
    report.line("");
    report.line("load average at end: " + Benchmark.loadAverage());
    Path results = out.resolve("results.txt");
    Files.writeString(results, report.text());
    System.out.println("Written to " + results);
    return pass;
  }

  /**
   * Pages an incremental round needs: the changed objects of a delta type in pages of {@value Benchmark#PAGE_SIZE} (at
   * least one, which carries the deltaLink); the whole list for types Graph has no delta for.
   */
  private static long pagesNeeded(String type, Phase phase) {
    boolean delta = List.of("users", "groups", "directoryRoles").contains(type);
    long objects = delta ? phase.changedByType().getOrDefault(type, 0L) : phase.seenOf(type);
    return Math.max(1, (objects + Benchmark.PAGE_SIZE - 1) / Benchmark.PAGE_SIZE);
  }

  /**
   * What bounds the ratio on this machine: node, simulator and Cassandra share its cores, so (a) cannot take less than
   * their CPU seconds over the cores, even if Cassandra did no more work for (a) than for the raw insert of the same
   * rows and no core ever idled. Printed so that a run shows how much of the gap is the work itself and how much is
   * Cassandra's extra work and idle cores.
   */
  private void reportBestCase(Phase full, RawInsertBaseline.Result raw) {
    int cores = Runtime.getRuntime().availableProcessors();
    double rawCassandra = raw.insertCpu().getOrDefault("cassandra", 0.0);
    double node = full.cpu().getOrDefault("node", 0.0);
    double simulator = full.cpu().getOrDefault("simulator", 0.0);
    double bestSeconds = (rawCassandra + node + simulator) / cores;
    double cassandra = full.cpu().getOrDefault("cassandra", 0.0);
    double wall = full.cpu().getOrDefault("wall", 0.0);
    report.line(String.format("(a)'s best case here: Cassandra's CPU for the raw insert (%.1f s) plus (a)'s node (%.1f s)"
            + " and simulator (%.1f s) CPU on %d busy cores = %.1f s, at most %.0f%% of the raw rate; (a) took"
            + " Cassandra %.1f CPU-s (%.1f more than the raw insert) and kept the cores %.0f%% busy", rawCassandra, node,
        simulator, cores, bestSeconds, 100 * raw.seconds() / bestSeconds, cassandra, cassandra - rawCassandra,
        100 * full.cpu().getOrDefault("machine", 0.0) / Math.max(wall * cores, 0.001)));
  }
}
