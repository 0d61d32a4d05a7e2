package io.entrabackup.bench;

import java.nio.file.Path;
import java.time.Duration;

/** The command line of the day of 10,000 tenants ({@code deploy/bench --tenants-day --help}). */
record TenantsDayOptions(Path root, Path out, int tenants, int users, int groups, double churnPercent,
    Duration period, int maxConcurrent, int smallAccountTenants, int clientThreads, boolean restart, long seed,
    String nodeHeap, String simulatorHeap, String cassandra, String datacenter, double requestsPerSecond,
    boolean keepData, double bigTenantObjectsPerSecond, int nodes, int killNode, Duration downFor,
    int replicationFactor, String command) {

  static final String USAGE = String.join("\n",
      "usage: deploy/bench --tenants-day [options]",
      "  The day of many small tenants on a cluster of --nodes nodes: every tenant registered and authorized first",
      "  (its schedule held), then the first full backups of all of them released at once (Backup Now), then one",
      "  scheduled (incremental) period after churn, then one more period in which one node is killed (kill -9) and",
      "  restarted while the others run.",
      "  --nodes N               nodes of the cluster, each a process of its own (default 3)",
      "  --kill-node K           the node killed mid-period (1-based; default 1, the oldest: shard coordinator)",
      "  --down-for D            how long it stays down before it is started again (default 30s)",
      "  --replication-factor N  of the keyspace (default 1: the one local Cassandra; 3 on deploy/cluster's ring)",
      "  --tenants N             tenants (default 10000)",
      "  --users N               users per tenant (default 50)",
      "  --groups N              groups per tenant (default 10)",
      "  --churn-percent P       share of all users and of all groups changed before the incremental period,",
      "                          one object per changed tenant (default 1)",
      "  --period D              entra-backup.backup.daily-period, the schedule's period (default 10m)",
      "  --max-concurrent N      entra-backup.backup.max-concurrent-per-node (default: the node's, 8)",
      "  --small-account N       tenants of a second, small account, the rest in one big account (default 5)",
      "  --client-threads N      registrations and consents in flight (default 8)",
      "  --no-restart            skip the period across a kill -9 and restart of a node",
      "  --seed N                simulator seed (default 42)",
      "  --node-heap H           -Xmx of each node (default 1g, as deploy/run)",
      "  --simulator-heap H      -Xmx of the simulator (default 2g)",
      "  --requests-per-second R entra-backup.graph.delta.requests-per-second-per-tenant (default 10, the node's)",
      "  --cassandra HOST:PORT   (default 127.0.0.1:9042)",
      "  --big-tenant-objects-per-second R  the single 100,000-user tenant's full backup rate on this machine, the",
      "                          target's reference (default 4724: deploy/bench (a), README, 2026-11-29)",
      "  --keep-data             keep the benchmark's keyspace (dropped by default)",
      "  --out DIR               where logs and tenants-day.txt go (default target/bench)");

  static TenantsDayOptions parse(String[] args) {
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    Path out = root.resolve("target/bench");
    int tenants = 10_000;
    int users = 50;
    int groups = 10;
    double churn = 1;
    Duration period = Duration.ofMinutes(10);
    int maxConcurrent = 0;
    int small = 5;
    int threads = 8;
    boolean restart = true;
    long seed = 42;
    String nodeHeap = "1g";
    String simulatorHeap = "2g";
    String cassandra = "127.0.0.1:9042";
    double rate = 10;
    boolean keep = false;
    double big = 4724;
    int nodes = 3;
    int killNode = 1;
    Duration downFor = Duration.ofSeconds(30);
    int replicationFactor = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tenants-day" -> { }
        case "--tenants" -> tenants = Integer.parseInt(args[++i]);
        case "--users" -> users = Integer.parseInt(args[++i]);
        case "--groups" -> groups = Integer.parseInt(args[++i]);
        case "--churn-percent" -> churn = Double.parseDouble(args[++i]);
        case "--period" -> period = parseDuration(args[++i]);
        case "--max-concurrent" -> maxConcurrent = Integer.parseInt(args[++i]);
        case "--small-account" -> small = Integer.parseInt(args[++i]);
        case "--client-threads" -> threads = Integer.parseInt(args[++i]);
        case "--no-restart" -> restart = false;
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--node-heap" -> nodeHeap = args[++i];
        case "--simulator-heap" -> simulatorHeap = args[++i];
        case "--requests-per-second" -> rate = Double.parseDouble(args[++i]);
        case "--cassandra" -> cassandra = args[++i];
        case "--keep-data" -> keep = true;
        case "--big-tenant-objects-per-second" -> big = Double.parseDouble(args[++i]);
        case "--out" -> out = Path.of(args[++i]).toAbsolutePath();
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--kill-node" -> killNode = Integer.parseInt(args[++i]);
        case "--down-for" -> downFor = parseDuration(args[++i]);
        case "--replication-factor" -> replicationFactor = Integer.parseInt(args[++i]);
        case "--help", "-h" -> {
          System.out.println(USAGE);
          System.exit(0);
        }
        default -> {
          System.err.println("unknown option " + args[i] + "\n" + USAGE);
          System.exit(2);
        }
      }
    }
    small = Math.max(0, Math.min(small, tenants - 1));
    if (nodes < 1 || killNode < 1 || killNode > nodes) {
      throw new IllegalArgumentException("--nodes must be at least 1 and --kill-node one of them");
    }
    return new TenantsDayOptions(root, out, tenants, users, groups, churn, period, maxConcurrent, small, threads,
        restart, seed, nodeHeap, simulatorHeap, cassandra, "datacenter1", rate, keep, big, nodes, killNode, downFor,
        replicationFactor, "deploy/bench " + String.join(" ", args));
  }

  /** "10m", "90s", "1h". */
  static Duration parseDuration(String text) {
    String t = text.trim();
    long n = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException("a period is like 10m, 90s or 1h: " + text);
    };
  }

  String describe() {
    return String.format("%,d tenants of %d users and %d groups (%,d in a second, small account), %.1f%% churn,"
            + " period %s, %d nodes (one cluster, replication factor %d on %s), max concurrent backups per node %s,"
            + " node -Xmx%s each, %.0f Graph requests/s per tenant; node %d killed for %s mid-period%s", tenants,
        users, groups, smallAccountTenants, churnPercent, period, nodes, replicationFactor, cassandra,
        maxConcurrent > 0 ? maxConcurrent : "default (8)", nodeHeap, requestsPerSecond, killNode, downFor,
        restart ? "" : " (skipped: --no-restart)");
  }
}
