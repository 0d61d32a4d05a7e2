package io.entrabackup.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What Cassandra did over a phase, from its own virtual tables ({@code system_views}): requests served, local
 * mutations, reads and scans, flushes and compactions, and the writes and reads per table. CPU seconds say how much
 * Cassandra worked; these say on what, so two phases writing "the same rows" can be compared request for request.
 * Each phase starts with Cassandra's memtables flushed and Cassandra idle ({@link #start}).
 */
final class CassandraActivity {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> POOLS = List.of("Native-Transport-Requests", "MutationStage", "ReadStage",
      "CounterMutationStage", "MemtableFlushWriter", "CompactionExecutor");

  /** The longest a phase waits for Cassandra to finish what the phase before it left (flushes, compactions). */
  private static final Duration QUIET_MAX = Duration.ofMinutes(2);

  private final CqlSession cql;
  private final Path root;
  private Map<String, Long> start;
  private Duration waited = Duration.ZERO;
  private String flushed = "";

  /** @param root the checkout, whose {@code deploy/cassandra nodetool} flushes the local node */
  CassandraActivity(CqlSession cql, Path root) {
    this.cql = cql;
    this.root = root;
  }

  /**
   * Flushes every memtable, waits until Cassandra is quiet (see {@link #awaitQuiet}), then takes the phase's starting
   * counts. Flushed first because memtables hold up to 512 MiB (deploy/cassandra): without it, what one phase wrote
   * was flushed in the next (the raw insert flushed 22 times after (a)'s 8, most of them (a)'s rows), and each phase
   * now starts empty and leaves its own rows in memory, the same for both sides of the ratio.
   */
  void start() throws InterruptedException {
    flushed = flushMemtables();
    waited = awaitQuiet(QUIET_MAX);
    start = read();
  }

  private String flushMemtables() throws InterruptedException {
    try {
      Process flush = new ProcessBuilder(root.resolve("deploy/cassandra").toString(), "nodetool", "flush")
          .redirectErrorStream(true).start();
      if (!flush.waitFor(2, TimeUnit.MINUTES)) {
        flush.destroyForcibly();
        return "memtables NOT flushed first (nodetool flush took over 2 minutes), ";
      }
      if (flush.exitValue() != 0) {
        String said = new String(flush.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return "memtables NOT flushed first (" + said + "), ";
      }
      return "memtables flushed first, ";
    } catch (IOException e) {
      return "memtables NOT flushed first (" + e.getMessage() + "), ";
    }
  }

  /** One line: what changed since {@link #start}. */
  String stop() {
    Map<String, Long> end = read();
    Map<String, Long> delta = new HashMap<>();
    end.forEach((key, value) -> {
      long d = value - start.getOrDefault(key, 0L);
      if (d > 0) {
        delta.put(key, d);
      }
    });
    StringBuilder line = new StringBuilder(String.format("(%sstarted after %.1f s waiting for it to be idle) %,d requests, %,d mutation tasks, %,d read tasks, %,d counter"
            + " tasks, %,d flushes, %,d compaction tasks",
        flushed, waited.toMillis() / 1000.0, delta.getOrDefault("pool:Native-Transport-Requests", 0L), delta.getOrDefault("pool:MutationStage", 0L),
        delta.getOrDefault("pool:ReadStage", 0L), delta.getOrDefault("pool:CounterMutationStage", 0L),
        delta.getOrDefault("pool:MemtableFlushWriter", 0L), delta.getOrDefault("pool:CompactionExecutor", 0L)));
    for (String kind : List.of("write", "read", "scan")) {
      String perTable = delta.entrySet().stream()
          .filter(e -> e.getKey().startsWith(kind + ":"))
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .map(e -> String.format("%s %,d", e.getKey().substring(kind.length() + 1), e.getValue()))
          .collect(Collectors.joining(", "));
      if (!perTable.isEmpty()) {
        line.append("; ").append(kind).append("s: ").append(perTable);
      }
    }
    return line.toString();
  }

  /**
   * Waits until Cassandra has no flush or compaction running or pending (twice in a row, a second apart), at most
   * {@code max}; returns how long it waited. Called before each measured phase, so that neither side of the ratio pays
   * for the compactions the phase before it left behind (which one did varied from run to run, by a third).
   */
  Duration awaitQuiet(Duration max) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    int quiet = 0;
    while (quiet < 2 && System.nanoTime() < deadline) {
      long busy = 0;
      for (Row row : query("SELECT name, active_tasks, pending_tasks FROM system_views.thread_pools")) {
        String name = row.getString("name");
        if (name.equals("CompactionExecutor") || name.startsWith("MemtableFlushWriter")
            || name.startsWith("PerDiskMemtableFlushWriter")) {
          busy += row.getInt("active_tasks") + row.getInt("pending_tasks");
        }
      }
      quiet = busy == 0 ? quiet + 1 : 0;
      if (quiet < 2) {
        Thread.sleep(1000);
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private Map<String, Long> read() {
    Map<String, Long> counts = new HashMap<>();
    for (Row row : query("SELECT name, completed_tasks FROM system_views.thread_pools")) {
      if (POOLS.contains(row.getString("name"))) {
        counts.put("pool:" + row.getString("name"), row.getLong("completed_tasks"));
      }
    }
    for (String kind : List.of("write", "read", "scan")) {
      for (Row row : query("SELECT keyspace_name, table_name, count FROM system_views.local_" + kind + "_latency")) {
        if (!row.getString("keyspace_name").startsWith("system")) {
          counts.merge(kind + ":" + row.getString("table_name"), row.getLong("count"), Long::sum);
        }
      }
    }
    return counts;
  }

  private Iterable<Row> query(String cqlText) {
    return cql.execute(SimpleStatement.newInstance(cqlText).setTimeout(TIMEOUT));
  }
}
