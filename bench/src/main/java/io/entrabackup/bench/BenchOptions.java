package io.entrabackup.bench;

import java.nio.file.Path;

/** The benchmark's command line ({@code deploy/bench --help}). */
record BenchOptions(Path root, Path out, int users, int groups, long seed, int changePercent, boolean skipMillion,
    boolean onlyMillion, int millionUsers, int millionGroups, String nodeHeap, String millionHeap,
    String simulatorHeap, double requestsPerSecond, int rawParallelism, String cassandra, String datacenter, boolean keepData,
    int warmupUsers, int warmupGroups, int warmupRounds) {

  static final String USAGE = String.join("\n",
      "usage: deploy/bench [options]",
      "  --users N               users of the tenant of (a) and (b) (default 100000)",
      "  --groups N              groups of that tenant (default 10000)",
      "  --seed N                simulator seed (default 42)",
      "  --change-percent P      share of users and of groups changed before (b) (default 1)",
      "  --warmup-users N        users of the warm-up tenant backed up (and raw-inserted) before (a), so that",
      "                          (a) and the raw baseline run on warmed-up JVMs, as on a node in service",
      "                          (default: as many as --users, a node in steady state; 0: no warm-up, (a)",
      "                          measures a freshly started node)",
      "  --warmup-groups N       groups of the warm-up tenant (default: as many as --groups)",
      "  --warmup-rounds N       warm-up tenants, one after the other (default 2)",
      "  --skip-million          skip (c), the 1,000,000-user backup with a 512 MiB node",
      "  --only-million          run only (c) (no (a), (b) or raw baseline; the simulator's first tenant is tiny)",
      "  --million-users N       users of (c) (default 1000000)",
      "  --million-groups N      groups of (c) (default 10000)",
      "  --node-heap H           -Xmx of the node of (a) and (b) (default 1g, as deploy/run)",
      "  --million-heap H        -Xmx of the node of (c) (default 512m)",
      "  --simulator-heap H      -Xmx of the simulator (default 2g)",
      "  --requests-per-second R entra-backup.graph.delta.requests-per-second-per-tenant (default 200)",
      "  --raw-parallelism N     statements in flight for the raw driver baseline (default 32 =",
      "                          entra-backup.backup.write-parallelism)",
      "  --cassandra HOST:PORT   (default 127.0.0.1:9042)",
      "  --keep-data             keep the benchmark's keyspace (dropped by default)",
      "  --out DIR               where logs and results.txt go (default target/bench)");

  static BenchOptions parse(String[] args) {
    Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
    Path out = root.resolve("target/bench");
    int users = 100_000;
    int groups = 10_000;
    long seed = 42;
    int change = 1;
    boolean skipMillion = false;
    boolean onlyMillion = false;
    int millionUsers = 1_000_000;
    int millionGroups = 10_000;
    String nodeHeap = "1g";
    String millionHeap = "512m";
    String simulatorHeap = "2g";
    double rate = 200;
    int rawParallelism = 32;
    String cassandra = "127.0.0.1:9042";
    boolean keep = false;
    // Unless given: as big as the measured tenant (below).
    int warmupUsers = -1;
    int warmupGroups = -1;
    int warmupRounds = 2;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--users" -> users = Integer.parseInt(args[++i]);
        case "--groups" -> groups = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--change-percent" -> change = Integer.parseInt(args[++i]);
        case "--skip-million" -> skipMillion = true;
        case "--only-million" -> onlyMillion = true;
        case "--million-users" -> millionUsers = Integer.parseInt(args[++i]);
        case "--million-groups" -> millionGroups = Integer.parseInt(args[++i]);
        case "--node-heap" -> nodeHeap = args[++i];
        case "--million-heap" -> millionHeap = args[++i];
        case "--simulator-heap" -> simulatorHeap = args[++i];
        case "--requests-per-second" -> rate = Double.parseDouble(args[++i]);
        case "--raw-parallelism" -> rawParallelism = Integer.parseInt(args[++i]);
        case "--cassandra" -> cassandra = args[++i];
        case "--keep-data" -> keep = true;
        case "--warmup-users" -> warmupUsers = Integer.parseInt(args[++i]);
        case "--warmup-groups" -> warmupGroups = Integer.parseInt(args[++i]);
        case "--warmup-rounds" -> warmupRounds = Integer.parseInt(args[++i]);
        case "--out" -> out = root.resolve(args[++i]);
        case "--help", "-h" -> {
          System.out.println(USAGE);
          System.exit(0);
        }
        default -> {
          System.err.println("unknown option " + arg + "\n" + USAGE);
          System.exit(2);
        }
      }
    }
    if (skipMillion && onlyMillion) {
      System.err.println("--skip-million and --only-million exclude each other\n" + USAGE);
      System.exit(2);
    }
    // As big as the measured tenant, twice: after a 20,000-user warm-up the node's C2 compiler still took 10.6 of its
    // 29.6 CPU-s in (a), after one full-size one 6.7 of 33.7 (2026-11-29): work a node in service did long ago (the
    // per-page code reaches C2 only after many pages). A smaller warm-up measures the JIT, not us.
    warmupUsers = warmupUsers < 0 ? users : warmupUsers;
    warmupGroups = warmupGroups < 0 ? groups : warmupGroups;
    return new BenchOptions(root, out, users, groups, seed, change, skipMillion, onlyMillion, millionUsers,
        millionGroups, nodeHeap, millionHeap, simulatorHeap, rate, rawParallelism, cassandra, "datacenter1", keep,
        warmupUsers, warmupGroups, warmupRounds);
  }

  /** Why (c) does not run, or null when it does. */
  String skipMillionReason() {
    return skipMillion ? "--skip-million was given" : null;
  }

  String describe() {
    return String.format("tenant: %,d users, %,d groups (seed %d); change before (b): %d%% of users and of groups;"
            + " node -Xmx%s; simulator throttling off; node pacing %s pages/s per tenant (default 10);"
            + " raw baseline %d in flight; warm-up: %s; (c): %s", users, groups, seed, changePercent, nodeHeap,
        requestsPerSecond, rawParallelism,
        warmupUsers > 0 && warmupRounds > 0
            ? String.format("%d x %,d users, %,d groups", warmupRounds, warmupUsers, warmupGroups)
            : "none (cold node)",
        skipMillion ? "skipped" : String.format("%,d users, %,d groups, node -Xmx%s", millionUsers, millionGroups,
            millionHeap));
  }
}
