package io.entrabackup.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.simulator.Simulator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Several in-process nodes forming one Pekko cluster on one keyspace, as ops start them: each its own actor system,
 * API port and remoting port, all with the same seed-node list (every node, node 1 first), all started at the same
 * moment from parallel threads. Nodes are numbered from 1, as an operator counts them.
 *
 * <pre>{@code
 * @RegisterExtension static final TestCassandra cassandra = new TestCassandra();
 * try (TestCluster cluster = TestCluster.start(cassandra, simulator)) {
 *   cluster.node(2).createAccount("msp-a");
 *   cluster.kill(1);
 * }
 * }</pre>
 *
 * <p>{@link #kill} ends a node without leaving the cluster (the others see it unreachable and down it), the nearest an
 * in-process test gets to {@code kill -9}; {@link #stop} leaves gracefully. {@link #restart} starts a new node on the
 * same remoting port.
 */
final class TestCluster implements AutoCloseable {

  static final int DEFAULT_SIZE = 3;

  private final TestCassandra cassandra;
  private final Simulator simulator;
  private final Clock clock;
  private final IntFunction<Config> settings;
  private final List<Integer> remotingPorts;
  private final List<TestNode> nodes;

  private TestCluster(TestCassandra cassandra, Simulator simulator, Clock clock, IntFunction<Config> settings,
      List<Integer> remotingPorts) {
    this.cassandra = cassandra;
    this.simulator = simulator;
    this.clock = clock;
    this.settings = settings;
    this.remotingPorts = remotingPorts;
    this.nodes = new ArrayList<>(remotingPorts.stream().map(port -> (TestNode) null).toList());
  }

  /** Three nodes with the default settings. */
  static TestCluster start(TestCassandra cassandra, Simulator simulator) throws Exception {
    return start(cassandra, simulator, DEFAULT_SIZE, Clock.systemUTC(), number -> ConfigFactory.empty());
  }

  /**
   * {@code size} nodes; {@code settings} answers node {@code number}'s settings over the defaults (HOCON as a Config,
   * e.g. {@code entra-backup.cassandra.create-schema = off}). Completes once every node is ready.
   */
  static TestCluster start(TestCassandra cassandra, Simulator simulator, int size, Clock clock,
      IntFunction<Config> settings) throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(TestPorts.free());
    }
    TestCluster cluster = new TestCluster(cassandra, simulator, clock, settings, List.copyOf(ports));
    cluster.startAllTogether();
    return cluster;
  }

  /** Node {@code number} (1..size); null while it is stopped. */
  TestNode node(int number) {
    return nodes.get(number - 1);
  }

  /** The running nodes. */
  List<TestNode> nodes() {
    return nodes.stream().filter(node -> node != null).toList();
  }

  int size() {
    return nodes.size();
  }

  /** Node {@code number}'s cluster address, as the seed-node list names it. */
  String address(int number) {
    return "pekko://" + Node.SYSTEM_NAME + "@127.0.0.1:" + remotingPorts.get(number - 1);
  }

  /** Node {@code number} leaves the cluster and stops, as on SIGTERM. */
  void stop(int number) throws Exception {
    TestNode node = nodes.set(number - 1, null);
    if (node != null) {
      node.close();
    }
  }

  /**
   * Node {@code number} ends at once without leaving: its actor system terminates without the coordinated shutdown
   * (the cluster does not hear it go; the split-brain resolver downs it).
   */
  void kill(int number) throws Exception {
    TestNode node = nodes.set(number - 1, null);
    if (node != null) {
      node.node.system().terminate();
      node.node.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Starts a new node {@code number} (stopped or killed before) on the same remoting port; answers it once ready. */
  TestNode restart(int number) throws Exception {
    if (nodes.get(number - 1) != null) {
      throw new IllegalStateException("node " + number + " still runs");
    }
    TestNode node = startNode(number);
    nodes.set(number - 1, node);
    registerCallbacks();
    return node;
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (int number = size(); number >= 1; number--) {
      try {
        stop(number);
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void startAllTogether() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<TestNode>> starting = IntStream.rangeClosed(1, size())
        .mapToObj(number -> CompletableFuture.supplyAsync(() -> {
          try {
            go.await();
            return startNode(number);
          } catch (Exception e) {
            throw new IllegalStateException("node " + number + " did not start: " + e.getMessage(), e);
          }
        }, command -> new Thread(command, "start-node-" + number).start()))
        .toList();
    go.countDown();
    Exception failure = null;
    for (int number = 1; number <= size(); number++) {
      try {
        nodes.set(number - 1, starting.get(number - 1).get());
      } catch (ExecutionException e) {
        failure = failure == null ? new IllegalStateException(e.getCause().getMessage(), e.getCause()) : failure;
      }
    }
    if (failure != null) {
      close();
      throw failure;
    }
    registerCallbacks();
  }

  private TestNode startNode(int number) throws Exception {
    String seeds = IntStream.rangeClosed(1, size()).mapToObj(n -> "\"" + address(n) + "\"")
        .collect(Collectors.joining(", "));
    Config cluster = ConfigFactory.parseString(String.join("\n",
        "pekko.remote.artery.canonical.port = " + remotingPorts.get(number - 1),
        "pekko.cluster.seed-nodes = [" + seeds + "]",
        // An in-process kill ends the actor system without the coordinated shutdown's leave (see kill).
        "pekko.coordinated-shutdown.run-by-actor-system-terminate = off"));
    return TestNode.start(cassandra, simulator, clock, settings.apply(number).withFallback(cluster));
  }

  /**
   * Each node registers the app with its own callback as it starts, replacing the one before; afterwards the app
   * accepts every running node's callback, so a consent begun on any node lands there.
   */
  private void registerCallbacks() {
    List<String> callbacks = nodes().stream().map(node -> "http://127.0.0.1:" + node.port + "/auth/callback").toList();
    simulator.registerApp(TestNode.CLIENT_ID, TestNode.CLIENT_SECRET, callbacks);
    simulator.groupMembershipClaims(TestNode.CLIENT_ID, "DirectoryRole");
  }

}
