package io.entrabackup.node.multinode;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Three Cassandra nodes on 127.0.0.1-3, started and stopped through {@code deploy/cassandra} as an operator would,
 * on ports and a data directory of their own (CQL 9044, storage 7020, JMX 7220-7222, node/target/multinode-cassandra),
 * so they run beside the shared single node (9042, 7000, 7199) and beside {@code deploy/cluster}'s ring. A ring that
 * already answers (left by a developer's earlier run) is used and left running; one this class started is stopped.
 */
final class CassandraRing implements AutoCloseable {

  static final int CQL_PORT = 9044;
  static final String CONTACT_POINT = "127.0.0.1:" + CQL_PORT;

  private final Path root;
  private final Path dataDir;
  private boolean startedHere;

  CassandraRing(Path root) {
    this.root = root;
    this.dataDir = root.resolve("node/target/multinode-cassandra");
  }

  /** Starts the three nodes one after the other (or finds them running); answers when each answers CQL. */
  void start() throws IOException, InterruptedException {
    if (run(List.of("status"), false) == 0) {
      return;
    }
    startedHere = true;
    run(List.of("start", "--nodes", "3"), true);
  }

  /** Stops node {@code k} alone (a graceful stop: it flushes, gossip tells the others it is down). */
  void stopNode(int k) throws IOException, InterruptedException {
    run(List.of("stop", "--node", Integer.toString(k)), true);
  }

  /** Starts every node that is not running (after {@link #stopNode}). */
  void startAll() throws IOException, InterruptedException {
    run(List.of("start", "--nodes", "3"), true);
  }

  /** {@code nodetool} against node {@code k}, its output. */
  String nodetool(int k, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("nodetool", "--node", Integer.toString(k)));
    command.addAll(List.of(args));
    Path out = dataDir.resolveSibling("multinode-nodetool.out");
    java.nio.file.Files.deleteIfExists(out);
    run(command, true, out);
    return java.nio.file.Files.readString(out);
  }

  /**
   * A driver session on this ring only. The contact point goes through the configuration, not addContactPoint: the
   * driver adds programmatic contact points to those of the test classpath's application.conf (the shared single
   * node on 9042), and would then talk to whichever ring answered first.
   */
  CqlSession session() {
    return CqlSession.builder().withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withStringList(DefaultDriverOption.CONTACT_POINTS, List.of(CONTACT_POINT))
            .withString(DefaultDriverOption.LOAD_BALANCING_LOCAL_DATACENTER, "datacenter1")
            .build())
        .build();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (startedHere) {
      run(List.of("stop"), false);
    }
  }

  private int run(List<String> args, boolean mustSucceed) throws IOException, InterruptedException {
    return run(args, mustSucceed, dataDir.resolveSibling("multinode-cassandra.log"));
  }

  private int run(List<String> args, boolean mustSucceed, Path output) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(root.resolve("deploy/cassandra").toString()));
    command.addAll(args);
    java.nio.file.Files.createDirectories(output.getParent());
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    Map<String, String> env = builder.environment();
    env.put("CASSANDRA_DATA_DIR", dataDir.toString());
    env.put("CASSANDRA_PORT", Integer.toString(CQL_PORT));
    env.put("CASSANDRA_STORAGE_PORT", "7020");
    env.put("CASSANDRA_JMX_PORT", "7220");
    env.putIfAbsent("CASSANDRA_HEAP", "640m");
    env.put("CASSANDRA_START_TIMEOUT", "240");
    Process process = builder.start();
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("deploy/cassandra " + args + " did not end; see " + output);
    }
    if (mustSucceed && process.exitValue() != 0) {
      throw new IllegalStateException("deploy/cassandra " + args + " failed (" + process.exitValue() + "); see " + output);
    }
    return process.exitValue();
  }
}
