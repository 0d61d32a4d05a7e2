package io.entrabackup.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The nodes of the day of many tenants: one Pekko cluster of processes of their own (as {@code deploy/cluster} starts
 * them: the same seed list on every node, each with its own API, remote and management ports, started at the same
 * moment; the first seed makes the schema, the others wait for it), on one keyspace. Its ports stay the same across
 * restarts, so the seed list and the simulator's registered callbacks stay valid.
 */
final class DayCluster implements AutoCloseable {

  /** One node's ports. */
  record Ports(int http, int remote, int management) {}

  private static final String METRIC = "entra_backup_objects_written_total";
  /**
   * How long a node may take to be ready: on this loaded 2-core machine three nodes starting together took 5 minutes
   * (the schema made on one Cassandra, then each node's check of it, then the joins with delayed heartbeats), and a
   * node recovering thousands of remembered tenants takes longer than an empty one.
   */
  private static final Duration READY = Duration.ofMinutes(15);

  private final List<Ports> ports;
  /** The launch of node {@code i} (0-based) under a name (its log file). */
  private final BiFunction<Integer, String, BenchNode.Launch> launches;
  private final BenchNode[] nodes;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private DayCluster(List<Ports> ports, BiFunction<Integer, String, BenchNode.Launch> launches) {
    this.ports = ports;
    this.launches = launches;
    this.nodes = new BenchNode[ports.size()];
  }

  /** Free ports for {@code count} nodes. */
  static List<Ports> freePorts(int count) throws IOException {
    List<Ports> ports = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ports.add(new Ports(freePort(), freePort(), freePort()));
    }
    return ports;
  }

  /** What a node of this cluster needs on top of a single node's settings: its ports and the shared seed list. */
  static Map<String, String> clusterEnv(List<Ports> ports, int node, int replicationFactor) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ENTRA_REMOTE_HOST", "127.0.0.1");
    env.put("ENTRA_REMOTE_PORT", Integer.toString(ports.get(node).remote()));
    env.put("ENTRA_MANAGEMENT_HOST", "127.0.0.1");
    env.put("ENTRA_MANAGEMENT_PORT", Integer.toString(ports.get(node).management()));
    for (int k = 0; k < Math.min(3, ports.size()); k++) {
      env.put("ENTRA_SEED_NODE_" + (k + 1), "pekko://entra-backup@127.0.0.1:" + ports.get(k).remote());
    }
    env.put("ENTRA_CASSANDRA_REPLICATION_FACTOR", Integer.toString(replicationFactor));
    env.put("ENTRA_CASSANDRA_CONSISTENCY", "LOCAL_QUORUM");
    return env;
  }

  /** Every node's callback, comma-separated, as the simulator registers our app's redirect URIs. */
  static String callbacks(List<Ports> ports) {
    return String.join(",", ports.stream().map(p -> BenchNode.callback(p.http())).toList());
  }

  /** Starts every node at the same moment and waits until each is ready. */
  static DayCluster start(List<Ports> ports, BiFunction<Integer, String, BenchNode.Launch> launches, String name)
      throws Exception {
    DayCluster cluster = new DayCluster(ports, launches);
    try {
      for (int i = 0; i < ports.size(); i++) {
        cluster.nodes[i] = BenchNode.launch(launches.apply(i, name + (i + 1)));
      }
      for (int i = 0; i < ports.size(); i++) {
        cluster.nodes[i].awaitReady(launches.apply(i, name + (i + 1)), READY);
      }
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  int size() {
    return nodes.length;
  }

  List<Integer> apiPorts() {
    return ports.stream().map(Ports::http).toList();
  }

  int apiPort(int node) {
    return ports.get(node).http();
  }

  /** The node processes' pids by name ("node1" ...), for {@link CpuMeter}. */
  Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (int i = 0; i < nodes.length; i++) {
      pids.put("node" + (i + 1), nodes[i].pid());
    }
    return pids;
  }

  /** Kills node {@code i} as a crash would (SIGKILL). */
  void kill(int node) throws InterruptedException {
    nodes[node].kill();
  }

  /** Starts node {@code i} again (same ports, same seed list) while the others run; waits until it is ready. */
  void restart(int node, String name) throws Exception {
    BenchNode.Launch launch = launches.apply(node, name);
    nodes[node] = BenchNode.launch(launch);
    nodes[node].awaitReady(launch, READY);
  }

  /** Each node's heap after a full collection, in MiB. */
  double[] heapAfterGcMib() throws Exception {
    double[] heap = new double[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      Measurements.forceGc(nodes[i].pid());
      heap[i] = Measurements.heapInUseMib(nodes[i].pid());
    }
    return heap;
  }

  /** Each node's {@code entra_backup_objects_written_total} (all types and outcomes) from its management /metrics. */
  long[] objectsWritten() throws Exception {
    long[] written = new long[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + ports.get(i).management() + "/metrics"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      if (metrics.statusCode() != 200) {
        throw new IllegalStateException("node" + (i + 1) + " /metrics answered " + metrics.statusCode());
      }
      written[i] = sum(metrics.body());
    }
    return written;
  }

  /** The sum of every {@link #METRIC} sample in a Prometheus text exposition. */
  static long sum(String exposition) {
    double total = 0;
    for (String line : exposition.split("\n")) {
      if (line.startsWith(METRIC + "{") || line.startsWith(METRIC + " ")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Math.round(total);
  }

  /** Stops every node gracefully (coordinated shutdown), all at once. */
  @Override
  public void close() throws InterruptedException {
    for (BenchNode node : nodes) {
      if (node != null) {
        node.terminate();
      }
    }
    for (BenchNode node : nodes) {
      if (node != null) {
        node.close();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
