package io.entrabackup.bench;

import io.entrabackup.simulator.admin.AdminClient;
import io.entrabackup.simulator.tls.TlsMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The Microsoft simulator in a process of its own ({@code java -jar simulator/target/simulator.jar}), throttling
 * off, with our app registered for the node's callback; reached through its admin API.
 */
final class SimulatorProcess implements AutoCloseable {

  static final String TRUST_STORE_PASSWORD = "changeit";
  private static final Pattern LISTENING = Pattern.compile("listening on (https://\\S+)");
  private static final Pattern TENANT = Pattern.compile("Tenant:\\s+(\\S+)\\s+(\\S+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final String baseUrl;
  private final String firstTenant;
  private final Path trustStore;

  private SimulatorProcess(Process process, String baseUrl, String firstTenant, Path trustStore) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.firstTenant = firstTenant;
    this.trustStore = trustStore;
  }

  /** Starts one tenant of {@code users} users and {@code groups} groups; waits until it listens. */
  static SimulatorProcess start(Path root, Path workDir, int users, int groups, long seed, String heap,
      String callback) throws Exception {
    return start(root, workDir, 1, users, groups, seed, heap, callback, List.of(), START_TIMEOUT);
  }

  /**
   * Starts {@code tenants} tenants of {@code users} users and {@code groups} groups each (the day of 10,000 tenants),
   * with extra simulator arguments (e.g. {@code --consent-mode consent}).
   */
  static SimulatorProcess start(Path root, Path workDir, int tenants, int users, int groups, long seed, String heap,
      String callback, List<String> extraArguments, Duration startTimeout) throws Exception {
    Path log = workDir.resolve("simulator.log");
    Path state = workDir.resolve("simulator-state");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
        "-jar", root.resolve("simulator/target/simulator.jar").toString(),
        "--port", "0", "--tenants", Integer.toString(tenants), "--users", Integer.toString(users), "--groups", Integer.toString(groups),
        "--seed", Long.toString(seed), "--no-throttle", "--state-dir", state.toString(),
        "--truststore-password", TRUST_STORE_PASSWORD,
        "--app", BenchNode.CLIENT_ID + ":" + BenchNode.CLIENT_SECRET + ":" + callback,
        // The admin's ID token must carry their directory roles (wids), as the README asks of the app registration.
        "--app-group-membership-claims", "DirectoryRole"));
    command.addAll(extraArguments);
    // Extra JVM flags for the simulator, e.g. BENCH_SIMULATOR_JAVA_OPTS=-XX:StartFlightRecording=filename=sim.jfr.
    String extra = System.getenv().getOrDefault("BENCH_SIMULATOR_JAVA_OPTS", "").strip();
    if (!extra.isEmpty()) {
      command.addAll(1, List.of(extra.split("\\s+")));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (true) {
      String out = Files.exists(log) ? Files.readString(log) : "";
      Matcher listening = LISTENING.matcher(out);
      Matcher tenant = TENANT.matcher(out);
      if (listening.find() && tenant.find() && out.contains("App:")) {
        return new SimulatorProcess(process, listening.group(1), tenant.group(1),
            state.resolve("simulator-truststore.p12").toAbsolutePath());
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the simulator exited with " + process.exitValue() + ": " + out);
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the simulator did not start in " + startTimeout + "; see " + log);
      }
      Thread.sleep(200);
    }
  }

  long pid() {
    return process.pid();
  }

  String baseUrl() {
    return baseUrl;
  }

  /** The Entra tenant id of the generated tenant. */
  String firstTenant() {
    return firstTenant;
  }

  Path trustStore() {
    return trustStore;
  }

  SSLContext trust() {
    return TlsMaterial.clientContext(trustStore, TRUST_STORE_PASSWORD);
  }

  AdminClient admin() {
    return AdminClient.of(baseUrl, trustStore, TRUST_STORE_PASSWORD);
  }

  @Override
  public void close() throws InterruptedException, IOException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
