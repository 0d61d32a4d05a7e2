package io.entrabackup.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Issue 5's benchmark: a simulator and a node, each in a process of its own, on the local Cassandra.
 * (a) a full backup of a generated tenant, (b) an incremental one after 1% of its users and groups changed,
 * (c) a full backup of 1,000,000 users by a node with a 512 MiB heap, and the raw driver insert rate of
 * (a)'s rows. Every figure comes from the job API (counts, Graph requests and 429s, duration), the snapshot
 * tables, the simulator's request counters or the node's GC log. Run by {@code deploy/bench}.
 */
public final class Benchmark {

  /** Pages the node asks Graph for (entra-backup.graph.delta.max-page-size). */
  static final int PAGE_SIZE = 999;
  static final List<String> TYPES =
      List.of("users", "groups", "directoryRoles", "roleDefinitions", "roleAssignments");

  private final BenchOptions options;
  private final Path root;
  private final Path out;
  private final Report report = new Report();
  private final Measurements measure;
  /** The download of (c)'s tenant by (c)'s node, when (c) ran. */
  private ExportFigures millionExport;

  private Benchmark(BenchOptions options) {
    this.options = options;
    this.root = options.root();
    this.out = options.out();
    this.measure = new Measurements(root, report);
  }

  public static void main(String[] args) throws Exception {
    if (java.util.Arrays.asList(args).contains("--tenants-day")) {
      System.exit(TenantsDay.run(args));
    }
    if (java.util.Arrays.asList(args).contains("--retention")) {
      System.exit(RetentionBench.run(args));
    }
    if (java.util.Arrays.asList(args).contains("--encryption-ratio")) {
      System.exit(EncryptionRatio.run(args));
    }
    if (java.util.Arrays.asList(args).contains("--dashboard")) {
      System.exit(DashboardBench.run(args));
    }
    BenchOptions options = BenchOptions.parse(args);
    int exit = new Benchmark(options).run();
    System.exit(exit);
  }

  private int run() throws Exception {
    Files.createDirectories(out);
    report.line("entra-backup benchmark, " + Instant.now());
    report.line("load average at start: " + loadAverage() + " (" + Runtime.getRuntime().availableProcessors()
        + " cores)");
    report.line(options.describe());
    int port = freePort();
    String keyspace = "bench_" + Long.toString(System.currentTimeMillis(), 36);
    String[] contact = options.cassandra().split(":");
    try (CqlSession cql = CqlSession.builder()
            .addContactPoint(new InetSocketAddress(contact[0], Integer.parseInt(contact[1])))
            .withLocalDatacenter(options.datacenter()).build();
        SimulatorProcess simulator = SimulatorProcess.start(root, out, options.onlyMillion() ? 1 : options.users(),
            options.onlyMillion() ? 1 : options.groups(),
            options.seed(), options.simulatorHeap(), BenchNode.callback(port))) {
      progress("simulator " + simulator.baseUrl() + ", tenant " + simulator.firstTenant() + " (" + options.users()
          + " users, " + options.groups() + " groups)");
      if (options.onlyMillion()) {
        return onlyMillion(simulator, cql, keyspace, port);
      }
      Phase full;
      Phase incremental;
      RawInsertBaseline.Result raw;
      int changedObjects;
      ExportFigures export;
      try {
        BenchNode.Launch launch = new BenchNode.Launch(root, options.nodeHeap(), port, keyspace,
            options.cassandra(), simulator, options.requestsPerSecond(), out, "node");
        try (BenchNode node = BenchNode.start(launch)) {
          progress("node pid " + node.pid() + " ready (-Xmx" + options.nodeHeap() + ", keyspace " + keyspace + ")");
          String tenantId = node.addAuthorizedTenant(simulator.firstTenant(), simulator.trust());
          progress("tenant " + tenantId + " authorized through the consent page");
          int warmupRounds = options.warmupUsers() > 0 ? options.warmupRounds() : 0;
          for (int round = 1; round <= warmupRounds; round++) {
            warmUp(node, simulator, cql, keyspace);
          }

          full = measure.backUp("(a) full", node, tenantId, simulator, cql, keyspace, Duration.ofMinutes(30));
          progress("raw driver baseline: re-inserting the rows of " + full.jobId());
          raw = RawInsertBaseline.run(cql, keyspace, tenantId, full.jobId(), options.rawParallelism(),
              Measurements.cpuMeter(node, simulator), new CassandraActivity(cql, root));
          report.line("Cassandra during the raw insert: " + raw.cassandra());
          Map<String, Double> used = raw.insertCpu();
          report.line(String.format("raw baseline CPU s (the insert alone): Cassandra %.1f, machine %.1f, wall %.1f",
              used.getOrDefault("cassandra", -1.0), used.getOrDefault("machine", -1.0), used.get("wall")));

          JsonNode churn = simulator.admin().churn(simulator.firstTenant(), options.seed() + 1,
              Map.of("update", options.changePercent() + "%"), Map.of("update", options.changePercent() + "%"));
          Set<String> changed = new HashSet<>();
          churn.path("usersUpdated").forEach(id -> changed.add(id.asText()));
          int usersChanged = changed.size();
          churn.path("groupsUpdated").forEach(id -> changed.add(id.asText()));
          changedObjects = changed.size();
          progress("changed " + usersChanged + " users and " + (changedObjects - usersChanged)
              + " groups through the simulator");
          incremental = measure.backUp("(b) incremental", node, tenantId, simulator, cql, keyspace, Duration.ofMinutes(5));
          incremental.changedByType().put("users", (long) usersChanged);
          incremental.changedByType().put("groups", (long) (changedObjects - usersChanged));
          export = measure.export(node, tenantId, simulator, cql);
        }
      } catch (Exception e) {
        dropUnlessKept(cql, keyspace);
        throw e;
      }

      Phase million = null;
      String millionSkipped = options.skipMillionReason();
      if (millionSkipped == null) {
        try {
          million = millionUsers(simulator, cql, keyspace, port);
        } catch (Exception e) {
          millionSkipped = "FAILED: " + e.getMessage();
          e.printStackTrace();
        }
      }
      dropUnlessKept(cql, keyspace);
      boolean pass = new Results(options, report, millionExport)
          .print(full, incremental, raw, changedObjects, million, millionSkipped);
      pass &= export.report(report);
      Files.writeString(out.resolve("results.txt"), report.text());
      return pass ? 0 : 1;
    }
  }

  /** (c) alone ({@code --only-million}): its figures and target. */
  private int onlyMillion(SimulatorProcess simulator, CqlSession cql, String keyspace, int port) throws Exception {
    Phase million;
    try {
      million = millionUsers(simulator, cql, keyspace, port);
    } finally {
      dropUnlessKept(cql, keyspace);
    }
    boolean pass = new Results(options, report, millionExport).printMillionOnly(million);
    return pass ? 0 : 1;
  }

  private Phase millionUsers(SimulatorProcess simulator, CqlSession cql, String keyspace, int port) throws Exception {
    JsonNode tenant = simulator.admin().createTenant(options.millionUsers(), options.millionGroups());
    String entraTenant = tenant.path("id").asText();
    progress("(c) simulator tenant " + entraTenant + " with " + options.millionUsers() + " users, "
        + options.millionGroups() + " groups");
    BenchNode.Launch launch = new BenchNode.Launch(root, options.millionHeap(), port, keyspace, options.cassandra(),
        simulator, options.requestsPerSecond(), out, "node-million");
    try (BenchNode node = BenchNode.start(launch)) {
      progress("node pid " + node.pid() + " ready (-Xmx" + options.millionHeap() + ")");
      String tenantId = node.addAuthorizedTenant(entraTenant, simulator.trust());
      Phase phase = measure.backUp("(c) 1M full", node, tenantId, simulator, cql, keyspace, Duration.ofMinutes(90));
      // Issue 6: a 1,000,000-user tenant exports with the node at -Xmx512m too.
      millionExport = measure.export(node, tenantId, simulator, cql);
      return phase;
    }
  }

  /**
   * Backs up a tenant of its own (by default as big as the measured one), downloads it, and runs the raw baseline on
   * its rows, before anything is measured. A node in service has backed up and exported many tenants; a freshly
   * started one spends its first minutes compiling: its C2 compiler threads took 29 CPU-s of a 46 CPU-s full backup on
   * this 2-core machine, and still 10.6 of 29.6 after a 20,000-user warm-up, competing with the work for the cores
   * (the simulator's JVM and this one's raw insert path warm up too). Both sides of the ratio run warm; the warm-up's
   * own figures are printed, so the cold cost stays visible ({@code --warmup-users 0} measures a cold node instead).
   */
  private void warmUp(BenchNode node, SimulatorProcess simulator, CqlSession cql, String keyspace) throws Exception {
    JsonNode tenant = simulator.admin().createTenant(options.warmupUsers(), options.warmupGroups());
    String warmTenant = node.addAuthorizedTenant(tenant.path("id").asText(), simulator.trust());
    Phase warm = measure.backUp("warm-up", node, warmTenant, simulator, cql, keyspace, Duration.ofMinutes(15));
    RawInsertBaseline.Result raw =
        RawInsertBaseline.run(cql, keyspace, warmTenant, warm.jobId(), options.rawParallelism(),
            Measurements.cpuMeter(node, simulator), new CassandraActivity(cql, root));
    ExportBenchmark.Result export =
        ExportBenchmark.run(node.api(), node.apiKey(), warmTenant, Duration.ofMinutes(10));
    report.line(String.format("warm-up (not counted): %,d objects of a tenant of %,d users and %,d groups backed up by"
            + " the fresh node in %s s (%,.0f objects/s; CPU s node/Cassandra/simulator/machine/wall %s);"
            + " raw baseline of its %,d rows %.1f s; its download on the fresh node %,.0f objects/s", warm.seen(),
        options.warmupUsers(), options.warmupGroups(), warm.seconds(), warm.seen() / Math.max(warm.seconds(), 0.001),
        warm.cpuFigures(), raw.rows(), raw.seconds(), export.objectsPerSecond()));
  }

  private void dropUnlessKept(CqlSession cql, String keyspace) {
    if (options.keepData()) {
      progress("keeping keyspace " + keyspace);
      return;
    }
    cql.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace).setTimeout(Duration.ofSeconds(120)));
  }

  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2] + " (1/5/15 min)";
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  static void progress(String what) {
    System.out.println("bench: " + what);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
