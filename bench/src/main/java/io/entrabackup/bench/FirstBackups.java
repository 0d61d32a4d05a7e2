package io.entrabackup.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The first full backups of the day of many tenants, released together once every tenant is registered and
 * authorized (so registration is not part of what is measured), and measured from the release to the last one
 * completed: the jobs System Status lists, each node's {@code entra_backup_objects_written_total} before and after,
 * and the CPU the processes used meanwhile.
 */
final class FirstBackups {

  /**
   * What the release measured: when it began, how long issuing every Backup Now took, each node's objects written
   * before and after, and CPU seconds per process ({@link CpuMeter}).
   */
  record Figures(Instant released, double issueSeconds, long[] writtenBefore, long[] writtenAfter,
      Map<String, Double> cpu) {

    /** Objects node {@code i} stored per second over {@code seconds}. */
    double nodeObjectsPerSecond(int node, double seconds) {
      return seconds <= 0 ? 0 : (writtenAfter[node] - writtenBefore[node]) / seconds;
    }

    long written() {
      long total = 0;
      for (int i = 0; i < writtenAfter.length; i++) {
        total += writtenAfter[i] - writtenBefore[i];
      }
      return total;
    }
  }

  private final DayCluster cluster;
  private final TenantsDayOptions options;
  private final Consumer<String> line;

  FirstBackups(DayCluster cluster, TenantsDayOptions options, Consumer<String> line) {
    this.cluster = cluster;
    this.options = options;
    this.line = line;
  }

  /**
   * Issues every Backup Now ({@code backUpNow}, {@code --client-threads} at a time, spread over the nodes by the
   * fleet), then waits until the census shows every first backup ended.
   */
  Figures release(List<Runnable> backUpNow, Supplier<ScheduleCensus> census, CpuMeter cpu) throws Exception {
    long[] before = cluster.objectsWritten();
    cpu.start();
    Instant released = Instant.now();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(options.clientThreads());
    try {
      List<Future<?>> issued = new ArrayList<>();
      backUpNow.forEach(call -> issued.add(pool.submit(call)));
      for (Future<?> call : issued) {
        call.get();
      }
    } finally {
      pool.shutdown();
    }
    double issueSeconds = (System.nanoTime() - start) / 1e9;
    line.accept(String.format("released %,d first full backups together (Backup Now over %d nodes, %d clients) in"
        + " %.1f s", backUpNow.size(), cluster.size(), options.clientThreads(), issueSeconds));
    // A poll lists every job of the day; with thousands of tenants it is itself work for the nodes, so not too often.
    long pollMillis = Math.max(5000, backUpNow.size() * 2L);
    while (true) {
      ScheduleCensus now = census.get();
      ScheduleCensus.Runs first = now.firstBackups();
      Benchmark.progress(String.format("first backups: %,d of %,d completed, %,d objects (%.0f s)",
          first.completed(), backUpNow.size(), first.objectsSeen(), (System.nanoTime() - start) / 1e9));
      if (now.firstBackupsDone()) {
        Map<String, Double> used = cpu.stop();
        return new Figures(released, issueSeconds, before, cluster.objectsWritten(), used);
      }
      if (System.nanoTime() - start > Duration.ofHours(2).toNanos()) {
        throw new IllegalStateException("first backups not done after 2 h");
      }
      Thread.sleep(pollMillis);
    }
  }
}
