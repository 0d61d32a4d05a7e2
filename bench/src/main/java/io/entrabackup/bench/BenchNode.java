package io.entrabackup.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * One entra-backup node in a JVM of its own ({@code java -jar node/target/node.jar}, as {@code deploy/run}
 * starts it), so the heap the benchmark reports is the node's alone. Its GC log goes to {@link #gcLog()};
 * the benchmark drives it over its HTTP API like an operator would.
 */
final class BenchNode implements AutoCloseable {

  static final String CLIENT_ID = "8a4c2f1e-5b7d-4e3a-9c6f-1d2e3f4a5b6c";
  static final String CLIENT_SECRET = "bench-client-secret-that-is-long-enough";
  private static final String KEY = "eb_bootstrap_bench-key-0123456789abcdefghijklmnop";
  private static final String SIGNING_KEY = "signing-key-for-bench-0123456789abcdefghij";
  /** The node's master key (base64 of 32 bytes): encryption at rest is on, as in deploy/run. */
  private static final String MASTER_KEY = "q3ZC0T6w7Q0a7k9W3l2m1n0b9v8c7x6z5a4s3d2f1g0=";
  // -Dbench.ready-timeout-seconds: longer on a machine busy with other work.
  private static final Duration READY_TIMEOUT =
      Duration.ofSeconds(Long.getLong("bench.ready-timeout-seconds", 120));

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final int port;
  private final Path gcLog;

  private BenchNode(Process process, int port, Path gcLog) {
    this.process = process;
    this.port = port;
    this.gcLog = gcLog;
  }

  /**
   * What a node of the benchmark runs with; {@code env} goes over the defaults below (a cluster's node: its remote and
   * management ports, the seed list, the replication factor).
   */
  record Launch(Path root, String heap, int port, String keyspace, String cassandra, SimulatorProcess simulator,
      double requestsPerSecond, Path logDir, String name, List<String> properties, Map<String, String> env) {

    Launch(Path root, String heap, int port, String keyspace, String cassandra, SimulatorProcess simulator,
        double requestsPerSecond, Path logDir, String name, List<String> properties) {
      this(root, heap, port, keyspace, cassandra, simulator, requestsPerSecond, logDir, name, properties, Map.of());
    }

    Launch(Path root, String heap, int port, String keyspace, String cassandra, SimulatorProcess simulator,
        double requestsPerSecond, Path logDir, String name) {
      this(root, heap, port, keyspace, cassandra, simulator, requestsPerSecond, logDir, name, List.of());
    }
  }

  static String callback(int port) {
    return "http://127.0.0.1:" + port + "/auth/callback";
  }

  /** Starts the node and waits until /health/ready answers 200. */
  static BenchNode start(Launch launch) throws Exception {
    BenchNode node = launch(launch);
    node.awaitReady(launch);
    return node;
  }

  /** Starts the node without waiting for it (a cluster's nodes start together, then {@link #awaitReady}). */
  static BenchNode launch(Launch launch) throws Exception {
    Path gcLog = launch.logDir().resolve(launch.name() + "-gc.log");
    Path log = launch.logDir().resolve(launch.name() + ".log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // A fixed heap, as deploy/run starts the node (why: there).
        "-Xms" + launch.heap(),
        "-Xmx" + launch.heap(),
        // Every collection with the heap before and after it, stamped with wall-clock milliseconds, so the
        // benchmark can take each phase's peak from the node's own log.
        "-Xlog:gc:file=" + gcLog.toAbsolutePath() + ":timemillis",
        "-Dconfig.file=" + launch.root().resolve("deploy/conf/node.conf"),
        // The simulator does not throttle here; Graph's real identity budget for a tenant over 500 users is
        // 8,000 resource units per 10 s (a delta page costs 1-2), far above the default pacing of 10 pages/s.
        "-Dentra-backup.graph.delta.requests-per-second-per-tenant=" + launch.requestsPerSecond(),
        // It measures backups and exports, not the API's per-key request limit (http-api/LIMITS.md).
        "-Dentra-backup.http.limits.requests-per-second-per-key=0",
        "-jar", launch.root().resolve("node/target/node.jar").toString()));
    // Settings of one benchmark (-Dkey=value), before -jar.
    command.addAll(command.size() - 2, launch.properties());
    // Extra JVM flags for the node, e.g. BENCH_NODE_JAVA_OPTS=-XX:StartFlightRecording=filename=node.jfr to profile.
    String extra = System.getenv().getOrDefault("BENCH_NODE_JAVA_OPTS", "").strip();
    if (!extra.isEmpty()) {
      command.addAll(1, List.of(extra.split("\\s+")));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("ENTRA_HTTP_PORT", Integer.toString(launch.port()));
    env.put("ENTRA_REMOTE_PORT", "0");
    env.put("ENTRA_MANAGEMENT_PORT", "0");
    env.put("ENTRA_CASSANDRA_KEYSPACE", launch.keyspace());
    env.put("ENTRA_CASSANDRA_CONTACT_POINT", launch.cassandra());
    env.put("ENTRA_BOOTSTRAP_KEY", KEY);
    env.put("ENTRA_SIGNING_KEY", SIGNING_KEY);
    env.put("ENTRA_MASTER_KEY", MASTER_KEY);
    env.put("ENTRA_LOGIN_BASE_URL", launch.simulator().baseUrl());
    env.put("ENTRA_GRAPH_BASE_URL", launch.simulator().baseUrl() + "/v1.0");
    env.put("ENTRA_CLIENT_ID", CLIENT_ID);
    env.put("ENTRA_CLIENT_SECRET", CLIENT_SECRET);
    env.put("ENTRA_REDIRECT_URI", callback(launch.port()));
    env.put("ENTRA_TRUST_STORE", launch.simulator().trustStore().toString());
    env.put("ENTRA_TRUST_STORE_PASSWORD", SimulatorProcess.TRUST_STORE_PASSWORD);
    env.putAll(launch.env());
    return new BenchNode(builder.start(), launch.port(), gcLog);
  }

  /** Waits until /health/ready answers 200; fails when the node exits or the timeout passes. */
  void awaitReady(Launch launch) throws Exception {
    awaitReady(launch, READY_TIMEOUT);
  }

  void awaitReady(Launch launch, Duration timeout) throws Exception {
    Path log = launch.logDir().resolve(launch.name() + ".log");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the node exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("the node is not ready after " + timeout + "; see " + log);
      }
      Thread.sleep(250);
    }
  }

  private boolean ready() {
    try {
      var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The node's API, for clients of the public API such as the export benchmark. */
  java.net.URI api() {
    return java.net.URI.create("http://127.0.0.1:" + port);
  }

  String apiKey() {
    return KEY;
  }

  long pid() {
    return process.pid();
  }

  Path gcLog() {
    return gcLog;
  }

  /** Adds the simulator's tenant and authorizes it through the real consent flow; answers our tenant id. */
  String addAuthorizedTenant(String entraTenant, SSLContext simulatorTrust) throws Exception {
    String id = ok(send("POST", "/api/v1/tenants",
        "{\"displayName\":\"Benchmark " + entraTenant.substring(0, 8) + "\",\"entraTenant\":\"" + entraTenant + "\"}"),
        201).get("id").asText();
    String consentUrl = ok(send("POST", "/api/v1/tenants/" + id + "/activation",
        "{\"immediateBackup\":false,\"frequency\":\"P1D\"}"), 200).get("consentUrl").asText();
    // The admin's browser: signs in (the directory's one admin on the account page), our callback sends it on to the
    // consent page (accepted), then back to our callback.
    HttpClient browser = HttpClient.newBuilder().sslContext(simulatorTrust)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    var picker = browser.send(HttpRequest.newBuilder(URI.create(consentUrl)).build(), HttpResponse.BodyHandlers.ofString());
    var account = java.util.regex.Pattern.compile("class=\"account\" href=\"([^\"]+)\"").matcher(picker.body());
    String signedIn = account.find()
        ? browser.send(HttpRequest.newBuilder(URI.create(consentUrl.substring(0, consentUrl.indexOf('/', 8))
            + account.group(1).replace("&amp;", "&"))).build(), HttpResponse.BodyHandlers.ofString())
            .headers().firstValue("Location").orElseThrow()
        : picker.headers().firstValue("Location").orElseThrow();
    String consentPage = send("GET", signedIn, null).headers().firstValue("Location")
        .orElseThrow(() -> new IllegalStateException("sign-in not accepted"));
    var consent = browser.send(HttpRequest.newBuilder(URI.create(consentPage + "&sim_decision=accept")).build(),
        HttpResponse.BodyHandlers.ofString());
    String back = consent.headers().firstValue("Location")
        .orElseThrow(() -> new IllegalStateException("consent page did not redirect: " + consent.body()));
    var landed = send("GET", back, null);
    if (landed.statusCode() != 303) {
      throw new IllegalStateException("consent not completed: " + landed.statusCode() + " " + landed.body());
    }
    JsonNode tenant = ok(send("GET", "/api/v1/tenants/" + id, null), 200);
    if (!"authorized".equals(tenant.path("status").asText())) {
      throw new IllegalStateException("tenant not authorized after consent: " + tenant);
    }
    return id;
  }

  /** Backup Now; answers the job id. */
  String backUpNow(String tenantId) {
    return ok(send("POST", "/api/v1/tenants/" + tenantId + "/backups", ""), 202).get("jobId").asText();
  }

  /** Polls System Status every 100 ms until the job is completed or failed (or the deadline passes). */
  JsonNode awaitJob(String jobId, Duration max) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + max.toNanos();
    String lastProgress = "";
    while (true) {
      var response = send("GET", "/api/v1/jobs/" + jobId, null);
      if (response.statusCode() == 200) {
        JsonNode job = read(response.body());
        if (List.of("completed", "completed_with_skipped_items", "failed").contains(job.path("state").asText())) {
          return job;
        }
        String progress = job.path("progress").toString();
        if (!progress.equals(lastProgress)) {
          System.out.printf("bench:   %6.1f s  %s%n", (System.nanoTime() - start) / 1e9, progress);
          lastProgress = progress;
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the node died (exit " + process.exitValue() + ") during job " + jobId);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("job " + jobId + " not finished after " + max + ": " + response.body());
      }
      Thread.sleep(100);
    }
  }

  private HttpResponse<String> send(String method, String path, String body) {
    var request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : "http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + KEY);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " " + path + " interrupted", e);
    }
  }

  /** The answer's JSON when it has {@code status}; otherwise fails naming both (also for {@link TenantFleet}). */
  static JsonNode ok(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException("expected " + status + " but got " + response.statusCode() + ": "
          + response.body());
    }
    return read(response.body());
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + body, e);
    }
  }

  /** Kills the node as a crash would (SIGKILL): nothing is flushed, nothing leaves the cluster. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** Asks the node to stop (SIGTERM) without waiting: several nodes stop at once, then {@link #close} each. */
  void terminate() {
    process.destroy();
  }

  /** Stops the node gracefully (SIGTERM: coordinated shutdown), forcibly after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
