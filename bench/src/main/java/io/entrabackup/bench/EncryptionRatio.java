package io.entrabackup.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What encryption at rest costs (issue 18): (a) the full backup and (d) the export of one tenant by a node with
 * {@code entra-backup.encryption.enabled} on, as a ratio of the same by a node with it off (target: at least 0.85).
 * Each mode runs on a fresh node and keyspace, warmed up first on a tenant of its own (as {@link Benchmark} does);
 * rounds alternate the order (on, off, then off, on) so drift of a shared machine does not favour one side, and each
 * side's best round counts. Run by {@code deploy/bench --encryption-ratio} with the usual size options.
 */
final class EncryptionRatio {

  static final double TARGET = 0.85;

  private final BenchOptions options;
  private final int rounds;
  private final Report report = new Report();
  private final Measurements measure;

  private EncryptionRatio(BenchOptions options, int rounds) {
    this.options = options;
    this.rounds = rounds;
    this.measure = new Measurements(options.root(), report);
  }

  /**
   * Mode figures of one round: objects per second of (a) and of (d), and (a)'s CPU seconds (node and Cassandra) per
   * 1,000 objects: on a machine busy with other work the wall-clock rates drift more than encryption costs, while the
   * CPU the work itself used does not.
   */
  private record Figures(double backupPerSecond, double exportPerSecond, double backupCpuPerThousand) {}

  static int run(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    rest.remove("--encryption-ratio");
    int rounds = 2;
    int at = rest.indexOf("--rounds");
    if (at >= 0) {
      rounds = Integer.parseInt(rest.get(at + 1));
      rest.subList(at, at + 2).clear();
    }
    if (rest.contains("--help") || rest.contains("-h")) {
      System.out.println("deploy/bench --encryption-ratio [--rounds N (default 2)] [--users N] [--groups N]"
          + " [--warmup-users N] ...: (a) and (d) with encryption on and off, and their ratio");
      return 0;
    }
    if (!rest.contains("--skip-million")) {
      rest.add("--skip-million");
    }
    return new EncryptionRatio(BenchOptions.parse(rest.toArray(String[]::new)), rounds).run();
  }

  private int run() throws Exception {
    Files.createDirectories(options.out());
    report.line("entra-backup encryption cost, " + Instant.now() + "; load average " + Benchmark.loadAverage());
    report.line(options.describe() + "; " + rounds + " round(s)");
    String[] contact = options.cassandra().split(":");
    Figures bestOn = null;
    Figures bestOff = null;
    try (CqlSession cql = CqlSession.builder()
            .addContactPoint(new InetSocketAddress(contact[0], Integer.parseInt(contact[1])))
            .withLocalDatacenter(options.datacenter()).build()) {
      for (int round = 1; round <= rounds; round++) {
        boolean onFirst = round % 2 == 1;
        for (boolean encrypted : onFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
          Figures figures = measure(cql, encrypted, round);
          if (encrypted) {
            bestOn = best(bestOn, figures);
          } else {
            bestOff = best(bestOff, figures);
          }
        }
      }
    }
    double backup = bestOn.backupPerSecond() / bestOff.backupPerSecond();
    double export = bestOn.exportPerSecond() / bestOff.exportPerSecond();
    report.line(String.format("(a) full backup: %,.0f objects/s encrypted, %,.0f objects/s in clear: ratio %.3f",
        bestOn.backupPerSecond(), bestOff.backupPerSecond(), backup));
    report.line(String.format("(d) export: %,.0f objects/s encrypted, %,.0f objects/s in clear: ratio %.3f",
        bestOn.exportPerSecond(), bestOff.exportPerSecond(), export));
    report.line(String.format("(a) CPU s of node and Cassandra per 1,000 objects: %.2f encrypted, %.2f in clear:"
            + " CPU ratio (clear / encrypted) %.3f", bestOn.backupCpuPerThousand(), bestOff.backupCpuPerThousand(),
        bestOff.backupCpuPerThousand() / bestOn.backupCpuPerThousand()));
    report.line("load average at the end: " + Benchmark.loadAverage());
    boolean pass = backup >= TARGET && export >= TARGET;
    report.line("  " + (pass ? "PASS" : "FAIL") + String.format(" encryption ratio >= %.2f: (a) %.3f, (d) %.3f",
        TARGET, backup, export));
    Files.writeString(options.out().resolve("results-encryption.txt"), report.text());
    return pass ? 0 : 1;
  }

  private static Figures best(Figures so, Figures now) {
    return so == null ? now : new Figures(Math.max(so.backupPerSecond(), now.backupPerSecond()),
        Math.max(so.exportPerSecond(), now.exportPerSecond()),
        Math.min(so.backupCpuPerThousand(), now.backupCpuPerThousand()));
  }

  /** One mode on a fresh node, simulator and keyspace: warm-up, then (a) and (d). */
  private Figures measure(CqlSession cql, boolean encrypted, int round) throws Exception {
    String mode = encrypted ? "encrypted" : "in clear";
    int port = freePort();
    String keyspace = "bench_enc_" + (encrypted ? "on_" : "off_") + Long.toString(System.currentTimeMillis(), 36);
    try (SimulatorProcess simulator = SimulatorProcess.start(options.root(), options.out(), options.users(),
        options.groups(), options.seed(), options.simulatorHeap(), BenchNode.callback(port))) {
      BenchNode.Launch launch = new BenchNode.Launch(options.root(), options.nodeHeap(), port, keyspace,
          options.cassandra(), simulator, options.requestsPerSecond(), options.out(), "node-encryption-"
          + (encrypted ? "on" : "off"), List.of("-Dentra-backup.encryption.enabled=" + (encrypted ? "on" : "off")));
      try (BenchNode node = BenchNode.start(launch)) {
        Benchmark.progress("round " + round + ", " + mode + ": node pid " + node.pid() + ", keyspace " + keyspace);
        if (options.warmupUsers() > 0) {
          JsonNode warm = simulator.admin().createTenant(options.warmupUsers(), options.warmupGroups());
          String warmTenant = node.addAuthorizedTenant(warm.path("id").asText(), simulator.trust());
          measure.backUp("warm-up, " + mode, node, warmTenant, simulator, cql, keyspace, Duration.ofMinutes(15));
          ExportBenchmark.run(node.api(), node.apiKey(), warmTenant, Duration.ofMinutes(10));
        }
        String tenantId = node.addAuthorizedTenant(simulator.firstTenant(), simulator.trust());
        Phase full = measure.backUp("(a) full, " + mode, node, tenantId, simulator, cql, keyspace,
            Duration.ofMinutes(30));
        ExportFigures export = measure.export(node, tenantId, simulator, cql);
        double cpu = full.cpu().getOrDefault("node", 0.0) + full.cpu().getOrDefault("cassandra", 0.0);
        Figures figures = new Figures(full.seen() / Math.max(full.seconds(), 0.001),
            export.result().objectsPerSecond(), cpu * 1000.0 / Math.max(full.seen(), 1));
        report.line(String.format("round %d, %s: (a) %,d objects in %.1f s = %,.0f objects/s (CPU s"
                + " node/Cassandra/simulator/machine/wall %s); (d) %,.0f objects/s", round, mode, full.seen(),
            full.seconds(), figures.backupPerSecond(), full.cpuFigures(), figures.exportPerSecond()));
        return figures;
      }
    } finally {
      cql.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
          .setTimeout(Duration.ofSeconds(120)));
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
