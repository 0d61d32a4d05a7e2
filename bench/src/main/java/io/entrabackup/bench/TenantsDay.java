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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The day of many small tenants (issue 16): a simulator hosting them all and one node, each in a process of its own,
 * on the local Cassandra. Registers and authorizes every tenant through the API and the simulator's consent mode
 * (immediate backup: all first full backups queue at once behind the node's backup slots), waits for them, churns a
 * share of the objects, lets one scheduled period run (the incremental backups), then kills the node with SIGKILL,
 * starts a new one on the same keyspace and lets one more period run. Every figure comes from System Status (jobs,
 * their counts, Graph requests, queued/started/finished times), the node's GC log after a forced collection, and
 * /proc CPU ticks. Run by {@code deploy/bench --tenants-day}.
 */
final class TenantsDay {

  /** How long after its slot a scheduled run may still be queued and count as on time. */
  private static final Duration GRACE = Duration.ofSeconds(90);

  private final TenantsDayOptions options;
  private final Report report = new Report();
  /** From the kill to the new node's readiness, once the node was killed. */
  private Instant[] down;

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
    line("load average at start: " + Benchmark.loadAverage() + " ("
        + Runtime.getRuntime().availableProcessors() + " cores)");
    line(options.describe());
    int port = freePort();
    String keyspace = "bench_day_" + Long.toString(System.currentTimeMillis(), 36);
    String[] contact = options.cassandra().split(":");
    try (CqlSession cql = CqlSession.builder()
            .addContactPoint(new InetSocketAddress(contact[0], Integer.parseInt(contact[1])))
            .withLocalDatacenter(options.datacenter()).build()) {
      try {
        return day(port, keyspace);
      } finally {
        if (!options.keepData()) {
          cql.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
              .setTimeout(Duration.ofSeconds(120)));
        }
        Files.writeString(options.out().resolve("tenants-day.txt"), report.text());
      }
    }
  }

  private int day(int port, String keyspace) throws Exception {
    long simulatorStart = System.nanoTime();
    try (SimulatorProcess simulator = SimulatorProcess.start(options.root(), options.out(), options.tenants(),
        options.users(), options.groups(), options.seed(), options.simulatorHeap(), BenchNode.callback(port),
        List.of("--consent-mode", "consent"), Duration.ofMinutes(15))) {
      line(String.format("simulator: %,d tenants generated and listening in %.1f s", options.tenants(),
          (System.nanoTime() - simulatorStart) / 1e9));
      List<JsonNode> directories = new ArrayList<>();
      simulator.admin().tenants().forEach(directories::add);
      if (directories.size() != options.tenants()) {
        throw new IllegalStateException("the simulator hosts " + directories.size() + " tenants, not "
            + options.tenants());
      }

      BenchNode node = BenchNode.start(launch(port, keyspace, simulator, "day-node"));
      try {
        double baseline = heapAfterGc(node);
        line(String.format("node heap after GC before any tenant: %.1f MiB", baseline));
        TenantFleet fleet = new TenantFleet(port, simulator.trust());
        CpuMeter cpu = Measurements.cpuMeter(node, simulator);
        cpu.start();
        List<DayTenant> tenants = addTenants(fleet, directories);
        Map<String, Double> fullCpu = awaitFirstBackups(fleet, tenants, cpu);
        ScheduleCensus afterFull = census(fleet, tenants);
        double heapFull = heapAfterGc(node);
        boolean pass = reportFirstBackups(afterFull, fullCpu, heapFull - baseline);

        Set<String> churned = churn(simulator, directories);
        CpuMeter periodCpu = Measurements.cpuMeter(node, simulator);
        periodCpu.start();
        Instant lastFull = afterFull.firstBackups().lastFinished();
        awaitUntil(lastFull.plus(options.period()).plus(GRACE));
        Map<String, Double> incrementalCpu = periodCpu.stop();
        ScheduleCensus afterIncremental = census(fleet, tenants);
        double heapIdle = heapAfterGc(node);
        pass &= reportIncremental(afterIncremental, incrementalCpu, heapIdle - baseline, churned.size());

        if (options.restart()) {
          node = restart(node, port, keyspace, simulator, fleet);
          awaitUntil(lastFull.plus(options.period().multipliedBy(2)).plus(GRACE));
          ScheduleCensus afterRestart = census(fleet, tenants);
          pass &= reportSchedule("across the kill -9 and restart", afterRestart, 2);
          double heapRecovered = heapAfterGc(node);
          line(String.format("heap after GC of the new node, every tenant recovered and its period run:"
              + " %,.1f MiB over the first node's when empty = %.1f KiB per tenant (another JVM: indicative only)",
              heapRecovered - baseline,
              (heapRecovered - baseline) * 1024.0 / tenants.size()));
        }
        line("RESULT (every run once: none missed, none twice; Graph requests of unchanged tenants; the objects/s"
            + " target is its own line above): " + (pass ? "PASS" : "FAIL"));
        return pass ? 0 : 1;
      } finally {
        node.close();
      }
    }
  }

  private BenchNode.Launch launch(int port, String keyspace, SimulatorProcess simulator, String name) {
    List<String> properties = new ArrayList<>(List.of(
        "-Dentra-backup.backup.daily-period=" + options.period().toSeconds() + "s",
        "-Dentra-backup.tenant.max-tenants-per-account=" + (options.tenants() + 10)));
    if (options.maxConcurrent() > 0) {
      properties.add("-Dentra-backup.backup.max-concurrent-per-node=" + options.maxConcurrent());
    }
    return new BenchNode.Launch(options.root(), options.nodeHeap(), port, keyspace, options.cassandra(), simulator,
        options.requestsPerSecond(), options.out(), name, properties);
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
      added.add(pool.submit(() -> new DayTenant(fleet.addAuthorized(key, entra, domain, true), key, entra)));
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
        + " %.1f tenants/s (%d clients; each: register, Activate Backup, sign-in with login_hint, admin consent)",
        tenants.size(), small, seconds, tenants.size() / seconds, options.clientThreads()));
    return tenants;
  }

  private Map<String, Double> awaitFirstBackups(TenantFleet fleet, List<DayTenant> tenants, CpuMeter cpu)
      throws Exception {
    long start = System.nanoTime();
    while (true) {
      ScheduleCensus census = census(fleet, tenants);
      ScheduleCensus.Runs first = census.firstBackups();
      Benchmark.progress(String.format("first backups: %,d of %,d completed, %,d objects (%.0f s)", first.completed(),
          tenants.size(), first.objectsSeen(), (System.nanoTime() - start) / 1e9));
      if (census.firstBackupsDone()) {
        return cpu.stop();
      }
      if (System.nanoTime() - start > Duration.ofHours(2).toNanos()) {
        throw new IllegalStateException("first backups not done after 2 h");
      }
      Thread.sleep(5000);
    }
  }

  private boolean reportFirstBackups(ScheduleCensus census, Map<String, Double> cpu, double heapMib) {
    ScheduleCensus.Runs first = census.firstBackups();
    int[] missedDuplicated = census.firstBackupsMissedAndDuplicated();
    int n = options.tenants();
    line(String.format("first full backups: %,d of %,d completed, %,d objects in %.1f s (first queued to last"
            + " finished) = %,.0f objects/s on this one node; Graph requests %.1f per tenant (max %d); wait for a slot"
            + " %.1f s on average, %.1f s at most", first.completed(), n, first.objectsSeen(), first.seconds(),
        first.objectsPerSecond(), first.graphRequestsPerJob(), first.maxGraphRequests(), first.averageWaitSeconds(),
        first.maxWaitMillis() / 1000.0));
    line(String.format("first full backups: CPU-ms per tenant: node %.0f, Cassandra %.0f, simulator %.0f"
            + " (CPU s node %.1f, Cassandra %.1f, simulator %.1f, machine %.1f, wall %.1f, registration included)",
        1000 * cpu.getOrDefault("node", 0.0) / n, 1000 * cpu.getOrDefault("cassandra", 0.0) / n,
        1000 * cpu.getOrDefault("simulator", 0.0) / n, cpu.getOrDefault("node", 0.0),
        cpu.getOrDefault("cassandra", 0.0), cpu.getOrDefault("simulator", 0.0), cpu.getOrDefault("machine", 0.0),
        cpu.getOrDefault("wall", 0.0)));
    line(String.format("heap after GC with %,d idle tenants (all first backups done): %,.1f MiB over the"
        + " empty node's = %.1f KiB per tenant", n, heapMib, heapMib * 1024.0 / n));
    line(String.format("first backups missed %d, duplicated %d (target 0 and 0)", missedDuplicated[0],
        missedDuplicated[1]));
    // The single 100,000-user tenant of deploy/bench (a) reached 4,724 objects/s here (README, 2026-11-29:
    // 110,534 objects in 23.4 s); half of it is the target.
    double target = options.bigTenantObjectsPerSecond() / 2;
    line(String.format("target: at least %,.0f objects/s (half the single big tenant's %,.0f objects/s):"
        + " %s", target, options.bigTenantObjectsPerSecond(), first.objectsPerSecond() >= target ? "PASS" : "FAIL"));
    return missedDuplicated[0] == 0 && missedDuplicated[1] == 0 && first.completed() == n;
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
    line(String.format("incremental Graph requests per tenant: %.2f where nothing changed (max %d; target at"
            + " most %d, one per object type: %s), %.2f where something changed (max %d)",
        quiet.graphRequestsPerJob(), quiet.maxGraphRequests(), Benchmark.TYPES.size(),
        quiet.maxGraphRequests() <= Benchmark.TYPES.size() ? "PASS" : "FAIL", busy.graphRequestsPerJob(),
        busy.maxGraphRequests()));
    line(String.format("incremental period: CPU-ms per tenant: node %.0f, Cassandra %.0f, simulator %.0f"
            + " (wall %.0f s, the whole period); wait for a slot %.2f s on average, %.1f s at most",
        1000 * cpu.getOrDefault("node", 0.0) / n, 1000 * cpu.getOrDefault("cassandra", 0.0) / n,
        1000 * cpu.getOrDefault("simulator", 0.0) / n, cpu.getOrDefault("wall", 0.0), all.averageWaitSeconds(),
        all.maxWaitMillis() / 1000.0));
    line(String.format("heap after GC after the period: %,.1f MiB over the empty node's = %.1f KiB per tenant",
        heapMib, heapMib * 1024.0 / n));
    return reportSchedule("incremental period", census, 1)
        && quiet.maxGraphRequests() <= Benchmark.TYPES.size();
  }

  private boolean reportSchedule(String what, ScheduleCensus census, int periods) {
    Map<Integer, Integer> missed = census.missedByGeneration(Instant.now(), GRACE,
        Optional.ofNullable(down == null ? null : down.clone()));
    int duplicates = census.duplicates();
    int missedTotal = 0;
    for (int generation = 0; generation < periods; generation++) {
      missedTotal += missed.getOrDefault(generation, 0);
    }
    line(String.format("schedule, %s: missed runs %d by period %s, duplicate runs %d (target 0 and 0);"
        + " slots that came while no node ran, caught up by the tenant's next run: %d; scheduled jobs by state %s",
        what, missedTotal, missed, duplicates, census.whileDown(), census.scheduledStates()));
    return missedTotal == 0 && duplicates == 0;
  }

  private BenchNode restart(BenchNode node, int port, String keyspace, SimulatorProcess simulator,
      TenantFleet fleet) throws Exception {
    Benchmark.progress("kill -9 of the node mid-period");
    node.kill();
    long killed = System.nanoTime();
    Instant killedAt = Instant.now();
    BenchNode next = BenchNode.start(launch(port, keyspace, simulator, "day-node-restarted"));
    down = new Instant[] {killedAt, Instant.now()};
    line(String.format("node killed (SIGKILL) mid-period and a new one ready on the same keyspace %.1f s later",
        (System.nanoTime() - killed) / 1e9));
    fleet.port(port);
    return next;
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
    return new ScheduleCensus(ids, jobs, options.period());
  }

  private static void awaitUntil(Instant when) throws InterruptedException {
    long millis = Duration.between(Instant.now(), when).toMillis();
    if (millis > 0) {
      Benchmark.progress("waiting " + millis / 1000 + " s for the period to pass (until " + when + ")");
      Thread.sleep(millis);
    }
  }

  /** A full collection through jcmd, then the heap it left, in MiB. */
  private static double heapAfterGc(BenchNode node) throws Exception {
    Measurements.forceGc(node.pid());
    return Measurements.heapInUseMib(node.pid());
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

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
