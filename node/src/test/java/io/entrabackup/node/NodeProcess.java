package io.entrabackup.node;

import io.entrabackup.simulator.Simulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A node in a JVM of its own ({@link Main}, as an operator starts one), so that a test can kill it as {@code kill -9}
 * does: no shutdown hook, no coordinated shutdown, no stream or future of it completing afterwards. An in-process node
 * ({@link TestNode}) can only be stopped, which lets its pending work finish or fail in order. Same keyspace,
 * simulator and keys as a {@link TestNode} of the same class, so the next node takes over what it leaves.
 */
final class NodeProcess implements AutoCloseable {

  private static final HttpClient http = HttpClient.newHttpClient();
  /** Where {@link TestCassandra} finds Cassandra. */
  private static final String CASSANDRA = System.getenv().getOrDefault("CASSANDRA_HOST", "127.0.0.1") + ":"
      + System.getenv().getOrDefault("CASSANDRA_PORT", "9042");

  private final Process process;
  final int port;
  final Path log;

  private NodeProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the node and waits until it is ready; {@code extra} are further settings (path = value). */
  static NodeProcess start(TestCassandra cassandra, Simulator simulator, Map<String, String> extra) throws Exception {
    int port = TestPorts.free();
    String callback = "http://127.0.0.1:" + port + "/auth/callback";
    simulator.registerApp(TestNode.CLIENT_ID, TestNode.CLIENT_SECRET, List.of(callback));
    simulator.groupMembershipClaims(TestNode.CLIENT_ID, "DirectoryRole");
    Map<String, String> settings = new TreeMap<>(Map.ofEntries(
        Map.entry("entra-backup.cassandra.keyspace", cassandra.keyspace()),
        Map.entry("entra-backup.http.port", Integer.toString(port)),
        Map.entry("entra-backup.auth.bootstrap-key", TestNode.BOOTSTRAP_KEY),
        Map.entry("entra-backup.auth.signing-key", TestNode.SIGNING_KEY),
        Map.entry("entra-backup.graph.login-base-url", simulator.baseUrl()),
        Map.entry("entra-backup.graph.graph-base-url", simulator.graphBaseUrl()),
        Map.entry("entra-backup.graph.client-id", TestNode.CLIENT_ID),
        Map.entry("entra-backup.graph.client-secret", TestNode.CLIENT_SECRET),
        Map.entry("entra-backup.graph.redirect-uri", callback),
        Map.entry("entra-backup.graph.trust-store", simulator.trustStorePath().toString()),
        Map.entry("entra-backup.graph.trust-store-password", simulator.trustStorePassword()),
        Map.entry("entra-backup.http.limits.requests-per-second-per-key", "0"),
        Map.entry("pekko.remote.artery.canonical.port", "0"),
        Map.entry("pekko.management.http.port", "0"),
        Map.entry("datastax-java-driver.basic.contact-points.0", CASSANDRA)));
    settings.putAll(extra);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path")));
    settings.forEach((path, value) -> command.add("-D" + path + "=" + value));
    command.add(Main.class.getName());
    Path log = Files.createTempFile(Path.of("target"), "node-process-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("ENTRA_MASTER_KEY", io.entrabackup.testing.TestMasterKey.BASE64);
    Process process = builder.start();
    NodeProcess node = new NodeProcess(process, port, log);
    // The first node of a keyspace makes its schema, which takes a minute or more on a busy machine.
    node.awaitReady(Duration.ofSeconds(240));
    return node;
  }

  private void awaitReady(Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the node process ended (exit " + process.exitValue() + "); see " + log);
      }
      try {
        var ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250); // a process's start, not a cluster event: nothing to await but its port
    }
    kill();
    throw new AssertionError("the node process was not ready within " + max + "; see " + log);
  }

  /** A request to the node's API with the bootstrap key, expecting {@code status}; answers the body. */
  com.fasterxml.jackson.databind.JsonNode ok(String method, String path, String json, int status) {
    try {
      var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .header("Authorization", "Bearer " + TestNode.BOOTSTRAP_KEY);
      if (json == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request.method(method, HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
      }
      var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != status) {
        throw new AssertionError(method + " " + path + ": " + response.statusCode() + " " + response.body());
      }
      return TestNode.read(response.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    }
  }

  /** As {@link TestNode#addAuthorizedTenant}, no backup right away: adds the tenant and consents; answers its id. */
  String addAuthorizedTenant(Simulator simulator, io.entrabackup.simulator.TenantInfo tenant) throws Exception {
    String id = ok("POST", "/api/v1/tenants", "{\"displayName\":\"" + tenant.displayName() + "\",\"entraTenant\":\""
        + tenant.id() + "\"}", 201).get("id").asText();
    String consent = ok("POST", "/api/v1/tenants/" + id + "/activation",
        "{\"immediateBackup\":false,\"frequency\":\"P1D\"}", 200).get("consentUrl").asText();
    String callback = new AdminBrowser(simulator).decides(consent, "accept");
    try {
      var landed = http.send(HttpRequest.newBuilder(URI.create(callback.startsWith("http") ? callback
          : "http://127.0.0.1:" + port + callback)).build(), HttpResponse.BodyHandlers.discarding());
      if (landed.statusCode() != 303) {
        throw new AssertionError("consent not completed: " + landed.statusCode());
      }
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("consent callback failed", e);
    }
    return id;
  }

  /** Starts a backup of the tenant and waits until it has completed; answers the job. */
  com.fasterxml.jackson.databind.JsonNode backUpNow(String tenantId) throws InterruptedException {
    String jobId = ok("POST", "/api/v1/tenants/" + tenantId + "/backups", null, 202).get("jobId").asText();
    // The job is listed a moment after it was accepted (System Status follows the tenant's events): 404 until then.
    awaitTrue(Duration.ofSeconds(120), () -> {
      try {
        return TestNode.ENDED.contains(ok("GET", "/api/v1/jobs/" + jobId, null, 200).get("state").asText());
      } catch (AssertionError notListedYet) {
        return false;
      }
    });
    return ok("GET", "/api/v1/jobs/" + jobId, null, 200);
  }

  /** Polls a condition about this process (no actor system of the test's sees it). */
  static void awaitTrue(Duration max, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + max);
      }
      Thread.sleep(100);
    }
  }

  /** As {@code kill -9}: the process ends now, whatever it was doing. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      kill();
    }
  }

}
