package io.entrabackup.node.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What Cassandra did over a phase, from its own virtual tables ({@code system_views}): requests served, local
 * mutations, reads and scans, flushes and compactions, and the writes and reads per table. CPU seconds say how much
 * Cassandra worked; these say on what, so two phases writing "the same rows" can be compared request for request.
 */
final class CassandraActivity {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> POOLS = List.of("Native-Transport-Requests", "MutationStage", "ReadStage",
      "CounterMutationStage", "MemtableFlushWriter", "CompactionExecutor");

  private final CqlSession cql;
  private Map<String, Long> start;

  CassandraActivity(CqlSession cql) {
    this.cql = cql;
  }

  void start() {
    start = read();
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
    StringBuilder line = new StringBuilder(String.format("%,d requests, %,d mutation tasks, %,d read tasks, %,d counter"
            + " tasks, %,d flushes, %,d compaction tasks",
        delta.getOrDefault("pool:Native-Transport-Requests", 0L), delta.getOrDefault("pool:MutationStage", 0L),
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
