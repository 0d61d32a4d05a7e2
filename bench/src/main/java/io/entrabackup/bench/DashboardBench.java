package io.entrabackup.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.cluster.store.CassandraSettings;
import io.entrabackup.cluster.tenant.TenantDirectory;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Issue 17's dashboard with 10,000 tenants: one account's tenant list, timed over HTTP against a real node on the
 * local Cassandra. Run by {@code deploy/bench --dashboard}.
 *
 * <p>The tenants are <em>seeded into the read model</em>, not registered: every registration and consent goes through
 * the tenant's entity and the admin-consent round trip (minutes per thousand), while the dashboard never asks an
 * entity: GET /api/v1/tenants reads only the account's {@code tenants_by_account} partition (TenantDirectory.list).
 * The rows are written by TenantDirectory's own {@code record} methods from the very events the projection writes them
 * from, so the node reads exactly the rows it would have after 10,000 real registrations, and what is timed is exactly
 * the dashboard's read path: HTTP, authentication, the partition read, search, filter, sort, page and summary.
 */
final class DashboardBench {

  /** Rows written at once while seeding. */
  private static final int SEED_IN_FLIGHT = 128;

  private final DashboardOptions options;
  private final Report report = new Report();

  private DashboardBench(DashboardOptions options) {
    this.options = options;
  }

  static int run(String[] args) {
    DashboardOptions options;
    try {
      options = DashboardOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + DashboardOptions.USAGE);
      return 2;
    }
    if (options.help()) {
      System.out.println(DashboardOptions.USAGE);
      return 0;
    }
    try {
      return new DashboardBench(options).run();
    } catch (Exception e) {
      // The client pools' threads must not keep a failed run's JVM alive.
      e.printStackTrace();
      return 1;
    }
  }

  private int run() throws Exception {
    Files.createDirectories(options.out());
    line("entra-backup: the dashboard's tenant list, " + Instant.now());
    line("load average at start: " + Benchmark.loadAverage() + " ("
        + Runtime.getRuntime().availableProcessors() + " cores)");
    line(options.describe());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String keyspace = "bench_dash_" + Long.toString(System.currentTimeMillis(), 36);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "dashboard-bench", ConfigFactory.parseString(
            String.join("\n",
                "pekko.actor.provider = local",
                "pekko.loglevel = WARNING",
                "entra-backup.cassandra.keyspace = " + keyspace,
                "datastax-java-driver.basic.contact-points = [\"" + options.cassandra() + "\"]",
                "datastax-java-driver.basic.load-balancing-policy.local-datacenter = \"" + options.datacenter() + "\"",
                "datastax-java-driver.basic.request.timeout = 30s"))
        .withFallback(ConfigFactory.load()));
    try {
      CassandraSession session = CassandraSessionRegistry.get(system)
          .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
      try {
        return measure(port, keyspace, session);
      } finally {
        if (!options.keepData()) {
          session.executeDDL("DROP KEYSPACE IF EXISTS " + keyspace).toCompletableFuture().get(2, TimeUnit.MINUTES);
        } else {
          line("keeping keyspace " + keyspace);
        }
        Files.writeString(options.out().resolve("dashboard.txt"), report.text());
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private int measure(int port, String keyspace, CassandraSession session) throws Exception {
    // The node needs an identity provider and Graph to start; a one-user simulator is both (nothing calls it here).
    try (SimulatorProcess simulator = SimulatorProcess.start(options.root(), options.out(), 1, 1, 42, "256m",
        BenchNode.callback(port))) {
      BenchNode.Launch launch = new BenchNode.Launch(options.root(), options.nodeHeap(), port, keyspace,
          options.cassandra(), simulator, 10, options.out(), "dashboard-node");
      try (BenchNode node = BenchNode.start(launch)) {
        line("node pid " + node.pid() + " ready (-Xmx" + options.nodeHeap() + ", keyspace " + keyspace + ")");
        String key = new TenantFleet(port, simulator.trust()).createAccount("dashboard-bench");
        AccountId account = new AccountId("dashboard-bench");
        int attention = seed(session, keyspace, account);
        long rows = session.selectOne("SELECT count(*) FROM " + keyspace + ".tenants_by_account WHERE account_id = ?",
            account.value()).toCompletableFuture().get(2, TimeUnit.MINUTES).orElseThrow().getLong(0);
        line(String.format("rows in the account's tenants_by_account partition: %,d", rows));

        DashboardQueries queries = new DashboardQueries(node.api(), key, options.pageSize());
        JsonNode summary = queries.firstPage().path("summary");
        line("the API's summary of the first page: " + summary);
        boolean exact = summary.path("tenants").asLong() == options.tenants()
            && summary.path("needAttention").asLong() == attention;
        if (!exact) {
          line("FAIL: the summary does not count the seeded tenants (" + options.tenants() + ", " + attention
              + " needing attention)");
          return 1;
        }
        long from = System.currentTimeMillis();
        List<DashboardQueries.Timing> timings = queries.time(options.warmups(), options.repeats(),
            options.pagesWalked(), DashboardTenants.domain(options.tenants() / 2));
        line(String.format("%-52s %12s %9s %9s %8s %8s", "GET /api/v1/tenants (limit " + options.pageSize() + ")",
            "rows matched", "bytes", "median ms", "p95 ms", "max ms"));
        for (DashboardQueries.Timing timing : timings) {
          line(String.format("%-52s %,12d %,9d %9.1f %8.1f %8.1f", timing.name(), timing.matching(), timing.bytes(),
              timing.median(), timing.p95(), timing.max()));
        }
        line("p95 of " + options.repeats() + " timed rounds is the nearest-rank 95th percentile (with 10 rounds: the"
            + " slowest); each round after " + options.warmups() + " warm-up rounds of every query");
        // The unified GC log is written asynchronously: a moment for the window's last collection to land.
        Thread.sleep(500);
        HeapLog.Peak heap = HeapLog.peak(node.gcLog(), from, System.currentTimeMillis());
        line(String.format("node heap while the queries ran (its GC log): %d collections, peak in use after GC %s,"
            + " before GC %s, committed %d MiB (-Xmx%s)", heap.collections(), heap.afterGc(), heap.beforeGc(),
            heap.committedMib(), options.nodeHeap()));
        double used = Measurements.heapInUseMib(node.pid());
        Measurements.forceGc(node.pid());
        line(String.format("node heap in use right after the last query %.1f MiB; after a full GC %.1f MiB (the"
            + " list keeps nothing between requests)", used, Measurements.heapInUseMib(node.pid())));
        return 0;
      }
    }
  }

  /** Writes every tenant's events into the read model; answers how many tenants need attention. */
  private int seed(CassandraSession session, String keyspace, AccountId account) throws Exception {
    TenantDirectory directory = new TenantDirectory(session, keyspace);
    Instant now = Instant.now();
    Semaphore inFlight = new Semaphore(SEED_IN_FLIGHT);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    int attention = 0;
    long start = System.nanoTime();
    long events = 0;
    for (int n = 0; n < options.tenants(); n++) {
      attention += DashboardTenants.Kind.of(n).needsAttention() ? 1 : 0;
      for (Event event : DashboardTenants.events(account, n, now)) {
        inFlight.acquire();
        CompletionStage<?> written = directory.record(event);
        written.whenComplete((ok, error) -> {
          if (error != null) {
            failed.compareAndSet(null, error);
          }
          inFlight.release();
        });
        events++;
      }
    }
    inFlight.acquire(SEED_IN_FLIGHT);
    if (failed.get() != null) {
      throw new IllegalStateException("seeding the read model failed", failed.get());
    }
    line(String.format("seeded %,d tenants (%,d events, %,d needing attention) into the read model in %.1f s:"
            + " rows written by TenantDirectory.record, as the projection writes them, not registered through the"
            + " API (each registration goes through an entity and a consent round trip; the list never asks an"
            + " entity, so its read path is exactly the one measured)", options.tenants(), events, attention,
        (System.nanoTime() - start) / 1e9));
    return attention;
  }

  private void line(String text) {
    report.line(text);
  }
}
