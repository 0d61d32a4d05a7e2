package io.entrabackup.node.multinode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import io.entrabackup.node.TestPorts;
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

/**
 * One entra-backup node in a JVM of its own, started as deploy/cluster starts one ({@code io.entrabackup.node.Main},
 * {@code -Dconfig.file=deploy/conf/node.conf}, settings through ENTRA_* variables), on the test's classpath. It can be
 * killed ({@code kill -9}), stopped (SIGTERM) or asked to leave through its management API.
 */
final class NodeProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** The three ports a node listens on. */
  record Ports(int http, int remote, int management) {
    static Ports free() throws IOException {
      return new Ports(TestPorts.free(), TestPorts.free(), TestPorts.free());
    }
  }

  private final String name;
  private final Process process;
  private final Ports ports;
  private final Path log;

  private NodeProcess(String name, Process process, Ports ports, Path log) {
    this.name = name;
    this.process = process;
    this.ports = ports;
    this.log = log;
  }

  /** Launches the node; does not wait (see {@link #awaitReady}). */
  static NodeProcess launch(String name, Path root, Path logDir, Ports ports, Map<String, String> settings,
      List<String> jvmFlags) throws IOException {
    Path log = logDir.resolve(name + ".log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms448m", "-Xmx448m",
        "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
        "-Dconfig.file=" + root.resolve("deploy/conf/node.conf"),
        // The application's own logging, not the test suite's quieter logback-test.xml.
        "-Dlogback.configurationFile=" + root.resolve("node/src/main/resources/logback.xml")));
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.entrabackup.node.Main"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().putAll(settings);
    builder.environment().put("ENTRA_HTTP_PORT", Integer.toString(ports.http()));
    builder.environment().put("ENTRA_REMOTE_PORT", Integer.toString(ports.remote()));
    builder.environment().put("ENTRA_MANAGEMENT_PORT", Integer.toString(ports.management()));
    builder.environment().put("ENTRA_REDIRECT_URI", callback(ports.http()));
    return new NodeProcess(name, builder.start(), ports, log);
  }

  static String callback(int httpPort) {
    return "http://127.0.0.1:" + httpPort + "/auth/callback";
  }

  /** Waits until /health/ready answers 200. */
  NodeProcess awaitReady(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!ready()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " not ready after " + max + "; see " + log);
      }
      Thread.sleep(250);
    }
    return this;
  }

  boolean ready() {
    try {
      return send("GET", "/health/ready", null, null).statusCode() == 200;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  String name() {
    return name;
  }

  Ports ports() {
    return ports;
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Its cluster address, as seed nodes and the management API name it. */
  String address() {
    return "pekko://entra-backup@127.0.0.1:" + ports.remote();
  }

  /** {@code kill -9}: no coordinated shutdown, no hand-over; the others must find out by themselves. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Asks the cluster, through this node's management API, to let {@code member} leave gracefully. */
  HttpResponse<String> leave(NodeProcess member) {
    return management("PUT", "/cluster/members/" + member.address(),
        "operation=Leave");
  }

  /** Waits for the process to end (after a leave, its coordinated shutdown ends the JVM). */
  boolean awaitExit(Duration max) throws InterruptedException {
    return process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A management route answering JSON, e.g. {@code /cluster/shards/Tenant}; null when the node does not answer. */
  JsonNode managementJson(String path) {
    try {
      HttpResponse<String> response = management("GET", path, null);
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (IOException | IllegalStateException e) {
      return null;
    }
  }

  HttpResponse<String> management(String method, String path, String form) {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.management() + path))
        .timeout(Duration.ofSeconds(5))
        .method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
    if (form != null) {
      request.header("Content-Type", "application/x-www-form-urlencoded");
    }
    return exchange(request.build(), method + " " + path);
  }

  HttpResponse<String> send(String method, String path, String body, String key) {
    var request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path
            : "http://127.0.0.1:" + ports.http() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return exchange(request.build(), method + " " + path);
  }

  /** GET with the key, expecting 200. */
  JsonNode get(String path, String key) {
    return ok(send("GET", path, null, key), 200);
  }

  static JsonNode ok(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new AssertionError("expected " + status + " but got " + response.statusCode() + ": " + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  private static HttpResponse<String> exchange(HttpRequest request, String what) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(what + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " interrupted", e);
    }
  }

  /** SIGTERM (coordinated shutdown), then SIGKILL after 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

}
