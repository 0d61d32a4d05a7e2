package io.entrabackup.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The day of many small tenants (issue 16): a simulator hosting them all and a cluster of {@code --nodes} nodes
 * ({@link DayCluster}), each in a process of its own, on one keyspace of the local Cassandra. First every tenant is
 * registered and authorized through the API (spread over the nodes) and the simulator's consent mode, without an
 * immediate backup while the nodes hold the schedule (a period of {@link #HELD_PERIOD}: hardly a slot comes during the
 * registration, and those that do are counted). Then the nodes restart with the day's period, and the first full backups of all tenants are released
 * at once (Backup Now, spread over the nodes) and measured from that moment to the last one completed, total and per
 * node (each node's {@code entra_backup_objects_written_total} before and after). Then a share of the objects churns
 * and one scheduled period runs (the incremental backups), then one more period in which one node is killed (SIGKILL)
 * and restarted while the others run; every slot of every tenant is counted, none excused. Figures come from System
 * Status (jobs, counts, Graph requests, queued/started/finished times), the nodes' /metrics, their heap after a forced
 * collection and /proc CPU ticks. Run by {@code deploy/bench --tenants-day}.
 */
final class TenantsDay {

  /** How long after its slot a scheduled run may still be queued and count as on time. */
  private static final Duration GRACE = Duration.ofSeconds(90);
  /**
   * The schedule's period while tenants register: slots spread over 180 days, so about one tenant in 4,000 has a slot
   * in a registration hour (counted and shown); the timers stay under the scheduler's longest delay (~248 days).
   */
  private static final String HELD_PERIOD = "180d";
  /** The trigger of the first backups the bench releases. */
  private static final String FIRST = "manual";

  private final TenantsDayOptions options;
  private final Report report = new Report();

  private TenantsDay(TenantsDayOptions options) {
    this.options = options;
  }

  static int run(String[] args) throws Exception {
    try {
      return new TenantsDay(TenantsDayOptions.parse(args)).run();
    } catch (Exception e) {
      // The client pools' threads must not keep a failed run's JVM alive.
      e.printStackTrace();
      return 1;
    }
  }

  /** A tenant of the day: ours, its account's key, and its directory at the simulator. */
  private record DayTenant(String id, String key, String entraTenant) {}

  private int run() throws Exception {
    Files.createDirectories(options.out());
    line("entra-backup: the day of many tenants, " + Instant.now());
    line("command: " + options.command());
    line("load average at start: " + Benchmark.loadAverage() + " ("
        + Runtime.getRuntime().availableProcessors() + " cores; other work on the machine is not ours to stop)");
    line(options.describe());
    String keyspace = "bench_day_" + Long.toString(System.currentTimeMillis(), 36);
    String[] contact = options.cassandra().split(":");
    try (CqlSession cql = CqlSession.builder()
            .addContactPoint(new InetSocketAddress(contact[0], Integer.parseInt(contact[1])))
            .withLocalDatacenter(options.datacenter()).build()) {
      try {
        return day(keyspace);
      } finally {
        if (!options.keepData()) {
          cql.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
              .setTimeout(Duration.ofSeconds(120)));
        }
        Files.writeString(options.out().resolve("tenants-day.txt"), report.text());
      }
    }
  }

  private int day(String keyspace) throws Exception {
    List<DayCluster.Ports> ports = DayCluster.freePorts(options.nodes());
    long simulatorStart = System.nanoTime();
    try (SimulatorProcess simulator = SimulatorProcess.start(options.root(), options.out(), options.tenants(),
        options.users(), options.groups(), options.seed(), options.simulatorHeap(), DayCluster.callbacks(ports),
        List.of("--consent-mode", "consent"), Duration.ofMinutes(15))) {
      line(String.format("simulator: %,d tenants generated and listening in %.1f s", options.tenants(),
          (System.nanoTime() - simulatorStart) / 1e9));
      List<JsonNode> directories = new ArrayList<>();
      simulator.admin().tenants().forEach(directories::add);
      if (directories.size() != options.tenants()) {
        throw new IllegalStateException("the simulator hosts " + directories.size() + " tenants, not "
            + options.tenants());
      }
      double[] empty;
      List<DayTenant> tenants;
      try (DayCluster held = startCluster(ports, keyspace, simulator, HELD_PERIOD, "held-node")) {
        empty = held.heapAfterGcMib();
        line(String.format("heap after GC of the %d empty nodes: %s MiB", held.size(), mib(empty)));
        tenants = addTenants(new TenantFleet(held.apiPorts(), simulator.trust()), directories);
      }
      try (DayCluster cluster = startCluster(ports, keyspace, simulator, options.period().toSeconds() + "s",
          "day-node")) {
        return measured(cluster, new TenantFleet(cluster.apiPorts(), simulator.trust()), simulator, directories,
            tenants, empty);
      }
    }
  }

  /** Starts the nodes together; {@code period} is the schedule's (entra-backup.backup.daily-period). */
  private DayCluster startCluster(List<DayCluster.Ports> ports, String keyspace, SimulatorProcess simulator,
      String period, String name) throws Exception {
    long start = System.nanoTime();
    DayCluster cluster = DayCluster.start(ports, (node, logName) -> launch(ports, node, keyspace, simulator, period,
        logName), name);
    line(String.format("%d nodes (%s-1..%d) formed one cluster and are ready in %.1f s, schedule period %s",
        cluster.size(), name, cluster.size(), (System.nanoTime() - start) / 1e9, period));
    return cluster;
  }

  private int measured(DayCluster cluster, TenantFleet fleet, SimulatorProcess simulator, List<JsonNode> directories,
      List<DayTenant> tenants, double[] empty) throws Exception {
    int early = census(fleet, tenants).scheduledStates().values().stream().mapToInt(Integer::intValue).sum();
    line(String.format("scheduled runs before the release (slots of the held schedule): %d", early));
    List<Runnable> backUpNow = tenants.stream().map(t -> (Runnable) () -> fleet.backUpNow(t.key(), t.id())).toList();
    FirstBackups.Figures full = new FirstBackups(cluster, options, this::line).release(backUpNow,
        () -> census(fleet, tenants), cpuMeter(cluster, simulator));
    ScheduleCensus afterFull = census(fleet, tenants);
    boolean pass = reportFirstBackups(afterFull, full, sum(cluster.heapAfterGcMib()) - sum(empty));

    Set<String> churned = churn(simulator, directories);
    CpuMeter periodCpu = cpuMeter(cluster, simulator);
    periodCpu.start();
    Instant lastFull = afterFull.firstBackups().lastFinished();
    awaitUntil(lastFull.plus(options.period()).plus(GRACE));
    Map<String, Double> incrementalCpu = periodCpu.stop();
    ScheduleCensus afterIncremental = census(fleet, tenants);
    double heapIdle = sum(cluster.heapAfterGcMib()) - sum(empty);
    pass &= reportIncremental(afterIncremental, incrementalCpu, heapIdle, churned.size());

    if (options.restart()) {
      // Mid-period: the second period's slots spread from the first backups' ends to one period after the last.
      awaitUntil(lastFull.plus(options.period()).plus(options.period().dividedBy(2)));
      killAndRestart(cluster, fleet);
      awaitUntil(lastFull.plus(options.period().multipliedBy(2)).plus(GRACE));
      ScheduleCensus afterRestart = census(fleet, tenants);
      pass &= reportSchedule("both periods, node " + options.killNode() + " killed and restarted in the second",
          afterRestart, 2);
      double[] heap = cluster.heapAfterGcMib();
      line(String.format("heap after GC after the second period: %s MiB (node %d restarted) = %.1f KiB per tenant"
          + " over the empty nodes'", mib(heap), options.killNode(), (sum(heap) - sum(empty)) * 1024.0 / tenants.size()));
    }
    line("RESULT (first backups: all once and at least half the single big tenant's objects/s; every scheduled run"
        + " once, none missed, none twice, a node killed and restarted included; Graph requests of unchanged"
        + " tenants): " + (pass ? "PASS" : "FAIL"));
    return pass ? 0 : 1;
  }

  private BenchNode.Launch launch(List<DayCluster.Ports> ports, int node, String keyspace,
      SimulatorProcess simulator, String period, String name) {
    List<String> properties = new ArrayList<>(List.of(
        "-Dentra-backup.backup.daily-period=" + period,
        "-Dentra-backup.tenant.max-tenants-per-account=" + (options.tenants() + 10),
        // Three nodes starting at once on a loaded 2-core machine: binding the remote port took longer than
        // Pekko's 3 s default and the node gave up.
        "-Dpekko.remote.artery.bind.bind-timeout=60s"));
    if (options.maxConcurrent() > 0) {
      properties.add("-Dentra-backup.backup.max-concurrent-per-node=" + options.maxConcurrent());
    }
    return new BenchNode.Launch(options.root(), options.nodeHeap(), ports.get(node).http(), keyspace,
        options.cassandra(), simulator, options.requestsPerSecond(), options.out(), name, properties,
        DayCluster.clusterEnv(ports, node, options.replicationFactor()));
  }

  /** Registers and authorizes every directory, {@code --client-threads} at a time; the small account's first. */
  private List<DayTenant> addTenants(TenantFleet fleet, List<JsonNode> directories) throws Exception {
    String bigKey = fleet.createAccount("bench-big");
    String smallKey = fleet.createAccount("bench-small");
    ExecutorService pool = Executors.newFixedThreadPool(options.clientThreads());
    long start = System.nanoTime();
    List<Future<DayTenant>> added = new ArrayList<>();
    for (int i = 0; i < directories.size(); i++) {
      JsonNode directory = directories.get(i);
      int step = directories.size() / Math.max(1, options.smallAccountTenants());
      boolean small = options.smallAccountTenants() > 0 && i % step == 0 && i / step < options.smallAccountTenants();
      String key = small ? smallKey : bigKey;
      String entra = directory.path("id").asText();
      String domain = directory.path("domain").asText();
      added.add(pool.submit(() -> new DayTenant(fleet.addAuthorized(key, entra, domain, false), key, entra)));
    }
    List<DayTenant> tenants = new ArrayList<>();
    for (Future<DayTenant> tenant : added) {
      tenants.add(tenant.get());
      if (tenants.size() % 1000 == 0) {
        Benchmark.progress(String.format("%,d tenants registered and authorized (%.0f s)", tenants.size(),
            (System.nanoTime() - start) / 1e9));
      }
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    long small = tenants.stream().filter(t -> t.key().equals(smallKey)).count();
    line(String.format("registered and authorized %,d tenants (%,d of them in the small account) in %.1f s:"
        + " %.1f tenants/s (%d clients over the nodes; each: register, Activate Backup without an immediate backup,"
        + " sign-in with login_hint, admin consent)",
        tenants.size(), small, seconds, tenants.size() / seconds, options.clientThreads()));
    return tenants;
  }

  private boolean reportFirstBackups(ScheduleCensus census, FirstBackups.Figures full, double heapMib) {
    ScheduleCensus.Runs first = census.firstBackups();
    int[] missedDuplicated = census.firstBackupsMissedAndDuplicated();
    int n = options.tenants();
    double seconds = Duration.between(full.released(), first.lastFinished()).toMillis() / 1000.0;
    double rate = seconds <= 0 ? 0 : first.objectsSeen() / seconds;
    line(String.format("first full backups: %,d of %,d completed, %,d objects in %.1f s (release to the last one"
            + " completed) = %,.0f objects/s over the cluster; Graph requests %.1f per tenant (max %d); wait for a"
            + " slot %.1f s on average, %.1f s at most", first.completed(), n, first.objectsSeen(), seconds, rate,
        first.graphRequestsPerJob(), first.maxGraphRequests(), first.averageWaitSeconds(),
        first.maxWaitMillis() / 1000.0));
    StringBuilder perNode = new StringBuilder();
    for (int i = 0; i < full.writtenAfter().length; i++) {
      perNode.append(String.format("%snode%d %,.0f (%,d objects)", i == 0 ? "" : ", ", i + 1,
          full.nodeObjectsPerSecond(i, seconds), full.writtenAfter()[i] - full.writtenBefore()[i]));
    }
    line(String.format("first full backups per node (entra_backup_objects_written_total on /metrics, before and"
        + " after, over the same %.1f s): %s objects/s; %,d objects written in all", seconds, perNode, full.written()));
    Map<String, Double> cpu = full.cpu();
    double nodes = nodeCpu(cpu);
    line(String.format("first full backups: CPU-ms per tenant: nodes %.0f (all %d together), Cassandra %.0f,"
            + " simulator %.0f (CPU s: nodes %.1f %s, Cassandra %.1f, simulator %.1f, machine %.1f, wall %.1f;"
            + " registration not included)", 1000 * nodes / n, full.writtenAfter().length,
        1000 * cpu.getOrDefault("cassandra", 0.0) / n, 1000 * cpu.getOrDefault("simulator", 0.0) / n, nodes,
        perNodeCpu(cpu), cpu.getOrDefault("cassandra", 0.0), cpu.getOrDefault("simulator", 0.0),
        cpu.getOrDefault("machine", 0.0), cpu.getOrDefault("wall", 0.0)));
    line(String.format("heap after GC with %,d idle tenants (all first backups done): %,.1f MiB over the empty"
        + " nodes' (all together) = %.1f KiB per tenant", n, heapMib, heapMib * 1024.0 / n));
    boolean once = report.target(missedDuplicated[0] == 0 && missedDuplicated[1] == 0 && first.completed() == n,
        String.format("first backups: %,d completed of %,d, missed %d, duplicated %d (target: all, 0 and 0)",
            first.completed(), n, missedDuplicated[0], missedDuplicated[1]));
    double ratio = rate / options.bigTenantObjectsPerSecond();
    boolean half = report.target(ratio >= 0.5, String.format("first backups of the %,d small tenants together:"
        + " %,.0f objects/s = %.2f x the single 100,000-user tenant's %,.0f objects/s (--big-tenant-objects-per-second;"
        + " target at least 0.5)", n, rate, ratio, options.bigTenantObjectsPerSecond()));
    return once && half;
  }

  /** One object of {@code --churn-percent} of all users and of all groups, one changed object per changed tenant. */
  private Set<String> churn(SimulatorProcess simulator, List<JsonNode> directories) throws Exception {
    int n = directories.size();
    int users = (int) Math.round(n * (double) options.users() * options.churnPercent() / 100);
    int groups = (int) Math.round(n * (double) options.groups() * options.churnPercent() / 100);
    Set<String> churned = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(options.clientThreads());
    List<Future<?>> done = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      boolean user = i < users;
      boolean group = i >= n - groups;
      if (!user && !group) {
        continue;
      }
      String entra = directories.get(i).path("id").asText();
      long seed = options.seed() + i;
      done.add(pool.submit(() -> {
        simulator.admin().churn(entra, seed, user ? Map.of("update", "1") : Map.of(),
            group ? Map.of("update", "1") : Map.of());
        churned.add(entra);
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    line(String.format("churn: %,d users and %,d groups updated (%.1f%%) in %,d tenants, in %.1f s", users,
        groups, options.churnPercent(), churned.size(), (System.nanoTime() - start) / 1e9));
    return churned;
  }

  private boolean reportIncremental(ScheduleCensus census, Map<String, Double> cpu, double heapMib, int churned) {
    List<JsonNode> jobs = census.scheduled(0);
    List<JsonNode> unchanged = jobs.stream().filter(job -> !ScheduleCensus.changedAnything(job)).toList();
    List<JsonNode> changed = jobs.stream().filter(ScheduleCensus::changedAnything).toList();
    ScheduleCensus.Runs all = ScheduleCensus.runs(jobs);
    ScheduleCensus.Runs quiet = ScheduleCensus.runs(unchanged);
    ScheduleCensus.Runs busy = ScheduleCensus.runs(changed);
    int n = options.tenants();
    line(String.format("incremental period (%s): %,d scheduled runs, %,d completed, %,d objects seen;"
            + " %,d runs found changes (%,d tenants churned)", options.period(), all.jobs(), all.completed(),
        all.objectsSeen(), busy.jobs(), churned));
    line(String.format("incremental Graph requests per tenant: %.2f in all (%,d requests), %.2f where something"
            + " changed (max %d)", all.graphRequestsPerJob(), all.graphRequests(), busy.graphRequestsPerJob(),
        busy.maxGraphRequests()));
    boolean quietOk = report.target(quiet.maxGraphRequests() <= Benchmark.TYPES.size(), String.format(
        "incremental Graph requests of the %,d tenants where nothing changed: %.2f per tenant, max %d (target at most"
            + " %d, one per object type)", quiet.jobs(), quiet.graphRequestsPerJob(), quiet.maxGraphRequests(),
        Benchmark.TYPES.size()));
    line(String.format("incremental period: CPU-ms per tenant: nodes %.0f (%s CPU s), Cassandra %.0f, simulator %.0f"
            + " (wall %.0f s, the whole period); wait for a slot %.2f s on average, %.1f s at most",
        1000 * nodeCpu(cpu) / n, perNodeCpu(cpu), 1000 * cpu.getOrDefault("cassandra", 0.0) / n,
        1000 * cpu.getOrDefault("simulator", 0.0) / n, cpu.getOrDefault("wall", 0.0), all.averageWaitSeconds(),
        all.maxWaitMillis() / 1000.0));
    line(String.format("heap after GC after the period: %,.1f MiB over the empty node's = %.1f KiB per tenant",
        heapMib, heapMib * 1024.0 / n));
    return reportSchedule("incremental period", census, 1) && quietOk;
  }

  private boolean reportSchedule(String what, ScheduleCensus census, int periods) {
    Map<Integer, Integer> missed = census.missedByGeneration(Instant.now(), GRACE);
    int duplicates = census.duplicates();
    int missedTotal = 0;
    for (int generation = 0; generation < periods; generation++) {
      missedTotal += missed.getOrDefault(generation, 0);
    }
    return report.target(missedTotal == 0 && duplicates == 0, String.format("schedule, %s: missed runs %d (by period"
        + " %s; none excused), duplicate runs %d (target 0 and 0); scheduled jobs by state %s", what, missedTotal,
        missed, duplicates, census.scheduledStates()));
  }

  /** Kills one node (SIGKILL) while the others run, leaves it down {@code --down-for}, then starts it again. */
  private void killAndRestart(DayCluster cluster, TenantFleet fleet) throws Exception {
    int node = options.killNode() - 1;
    Benchmark.progress("kill -9 of node " + options.killNode() + " mid-period");
    fleet.down(cluster.apiPort(node));
    Instant killed = Instant.now();
    cluster.kill(node);
    Thread.sleep(options.downFor().toMillis());
    long start = System.nanoTime();
    cluster.restart(node, "day-node" + options.killNode() + "-restarted");
    fleet.up(cluster.apiPort(node));
    line(String.format("node %d killed (SIGKILL) at %s while %d others ran, started again after %s, ready (joined"
            + " the cluster) %.1f s later", options.killNode(), killed, cluster.size() - 1, options.downFor(),
        (System.nanoTime() - start) / 1e9));
  }

  private ScheduleCensus census(TenantFleet fleet, List<DayTenant> tenants) {
    Set<String> keys = new HashSet<>();
    Set<String> ids = new HashSet<>();
    tenants.forEach(t -> {
      keys.add(t.key());
      ids.add(t.id());
    });
    List<JsonNode> jobs = new ArrayList<>();
    keys.forEach(key -> jobs.addAll(fleet.backupJobs(key)));
    return new ScheduleCensus(ids, jobs, options.period(), FIRST);
  }

  private static void awaitUntil(Instant when) throws InterruptedException {
    long millis = Duration.between(Instant.now(), when).toMillis();
    if (millis > 0) {
      Benchmark.progress("waiting " + millis / 1000 + " s for the period to pass (until " + when + ")");
      Thread.sleep(millis);
    }
  }

  /** CPU of the nodes, the simulator and Cassandra ({@link CpuMeter}). */
  private static CpuMeter cpuMeter(DayCluster cluster, SimulatorProcess simulator) {
    Map<String, Long> pids = new LinkedHashMap<>(cluster.pids());
    CpuMeter.cassandraPid().ifPresent(pid -> pids.put("cassandra", pid));
    pids.put("simulator", simulator.pid());
    return new CpuMeter(pids);
  }

  /** CPU seconds of all nodes together. */
  private static double nodeCpu(Map<String, Double> cpu) {
    return cpu.entrySet().stream().filter(e -> e.getKey().startsWith("node")).mapToDouble(Map.Entry::getValue).sum();
  }

  private static String perNodeCpu(Map<String, Double> cpu) {
    return String.join(" + ", cpu.entrySet().stream().filter(e -> e.getKey().startsWith("node"))
        .map(e -> String.format("%.1f", e.getValue())).toList());
  }

  private static double sum(double[] values) {
    double total = 0;
    for (double v : values) {
      total += v;
    }
    return total;
  }

  private static String mib(double[] values) {
    return String.join(" + ", java.util.Arrays.stream(values).mapToObj(v -> String.format("%.1f", v)).toList());
  }

  /** A line of the report, written to tenants-day.txt at once: a run stopped halfway keeps what it measured. */
  private void line(String text) {
    report.line(text);
    try {
      Files.writeString(options.out().resolve("tenants-day.txt"), report.text());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
