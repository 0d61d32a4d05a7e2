package io.entrabackup.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's two measured actions, a Backup Now and a download of a whole tenant, each with the CPU every process
 * used, Cassandra's activity and the node's heap during it.
 */
record Measurements(Path root, Report report) {

  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  /** One Backup Now, measured. */
  Phase backUp(String name, BenchNode node, String tenantId, SimulatorProcess simulator, CqlSession cql,
      String keyspace, Duration max) throws Exception {
    simulator.admin().resetStats();
    CpuMeter cpu = cpuMeter(node, simulator);
    CassandraActivity cassandra = new CassandraActivity(cql, root);
    cassandra.start();
    cpu.start();
    long from = System.currentTimeMillis();
    Benchmark.progress(name + ": Backup Now");
    String jobId = node.backUpNow(tenantId);
    JsonNode job = node.awaitJob(jobId, max);
    long seenDone = System.currentTimeMillis();
    Map<String, Double> cpuSeconds = cpu.stop();
    report.line("Cassandra during " + name + ": " + cassandra.stop());
    // A collection after the run, so that even a run too short to fill the young generation has one in its window.
    forceGc(node.pid());
    HeapLog.Peak heap = HeapLog.peak(node.gcLog(), from, System.currentTimeMillis());
    JsonNode stats = simulator.admin().stats();
    // Counted page by page: COUNT(*) over a million-row partition is one request, and it times out.
    long rows = 0;
    for (var ignored : cql.execute(SimpleStatement.newInstance("SELECT object_id FROM " + keyspace
        + ".snapshot_run_changes WHERE tenant_id = ? AND run_id = ?", tenantId, jobId)
        .setPageSize(5000).setTimeout(Duration.ofSeconds(60)))) {
      rows++;
    }
    Phase phase = new Phase(name, jobId, job, seenDone - from, rows, requestsByType(stats),
        stats.path("throttled429").asLong(), heap, new LinkedHashMap<>(), cpuSeconds);
    Benchmark.progress(name + ": " + job.path("state").asText() + " in " + phase.seconds() + " s, " + phase.seen()
        + " objects, " + rows + " new snapshot rows, heap after GC " + heap.afterGc());
    if (!"completed".equals(job.path("state").asText())) {
      throw new IllegalStateException(name + " did not complete: " + job);
    }
    return phase;
  }

  /** Graph requests the simulator answered, per object type (identity and organization calls as "other"). */
  private static Map<String, Long> requestsByType(JsonNode stats) {
    Map<String, Long> byType = new TreeMap<>();
    stats.path("byEndpointAndStatus").fields().forEachRemaining(entry -> {
      String endpoint = entry.getKey();
      String type = Benchmark.TYPES.stream().filter(t -> endpoint.contains("/" + t)).findFirst().orElse("other");
      byType.merge(type, entry.getValue().asLong(), Long::sum);
    });
    return byType;
  }

  static CpuMeter cpuMeter(BenchNode node, SimulatorProcess simulator) {
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("node", node.pid());
    CpuMeter.cassandraPid().ifPresent(pid -> pids.put("cassandra", pid));
    pids.put("simulator", simulator.pid());
    return new CpuMeter(pids);
  }

  /** The node's heap in use now (jcmd GC.heap_info, KiB), as MiB with decimals. */
  static double heapInUseMib(long pid) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info").redirectErrorStream(true)
        .start();
    String info = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("no heap figure from jcmd GC.heap_info: " + info);
    }
    return Long.parseLong(m.group(1)) / 1024.0;
  }

  static void forceGc(long pid) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    p.waitFor();
    Thread.sleep(300); // the unified log is written asynchronously to the file
  }

  /** (d) a download of the whole backed-up tenant (issue 6): built by the node, fetched through its link. */
  ExportFigures export(BenchNode node, String tenantId, SimulatorProcess simulator, CqlSession cql)
      throws Exception {
    Benchmark.progress("(d) export: a download of the whole tenant");
    long from = System.currentTimeMillis();
    CpuMeter cpu = cpuMeter(node, simulator);
    CassandraActivity cassandra = new CassandraActivity(cql, root);
    cassandra.start();
    cpu.start();
    ExportBenchmark.Result result =
        ExportBenchmark.run(node.api(), node.apiKey(), tenantId, Duration.ofMinutes(30));
    Map<String, Double> used = cpu.stop();
    report.line("Cassandra during the download of tenant " + tenantId + ": " + cassandra.stop());
    forceGc(node.pid());
    HeapLog.Peak heap = HeapLog.peak(node.gcLog(), from, System.currentTimeMillis());
    Benchmark.progress("(d) export: " + result + ", heap after GC " + heap.afterGc());
    return new ExportFigures(result, heap, used);
  }
}
