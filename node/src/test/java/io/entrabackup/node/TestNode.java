package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.simulator.Simulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

/**
 * A node wired to the real local Cassandra and an in-process simulator, as a test drives it over
 * HTTP with an API key.
 */
final class TestNode implements AutoCloseable {

  static final String CLIENT_ID = "8a4c2f1e-5b7d-4e3a-9c6f-1d2e3f4a5b6c";
  static final String CLIENT_SECRET = "test-client-secret-that-is-long-enough";
  static final String BOOTSTRAP_KEY = "eb_bootstrap_test-key-0123456789abcdefghijklmnop";
  static final String SIGNING_KEY = "signing-key-for-tests-0123456789abcdefghij";

  /** A job's states once it has ended. */
  static final List<String> ENDED = List.of("completed", "completed_with_skipped_items", "failed");

  private static final ObjectMapper json = new ObjectMapper();
  private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  final Node node;
  final int port;

  private TestNode(Node node, int port) {
    this.node = node;
    this.port = port;
  }

  /** Starts a node whose Microsoft is {@code simulator}; registers our app there with our callback. */
  static TestNode start(TestCassandra cassandra, Simulator simulator) throws Exception {
    return start(cassandra, simulator, Clock.systemUTC(), ConfigFactory.empty());
  }

  /** As {@link #start(TestCassandra, Simulator)}, with the node's clock and extra settings given. */
  static TestNode start(TestCassandra cassandra, Simulator simulator, Clock clock, Config extra) throws Exception {
    int port = TestPorts.free();
    String callback = "http://127.0.0.1:" + port + "/auth/callback";
    simulator.registerApp(CLIENT_ID, CLIENT_SECRET, List.of(callback));
    // As the README asks of the operator: ID tokens carry the admin's directory roles (wids).
    simulator.groupMembershipClaims(CLIENT_ID, "DirectoryRole");
    Config overrides = ConfigFactory.parseString(String.join("\n",
        "entra-backup.http.port = " + port,
        "entra-backup.auth.bootstrap-key = \"" + BOOTSTRAP_KEY + "\"",
        "entra-backup.auth.signing-key = \"" + SIGNING_KEY + "\"",
        "entra-backup.graph.login-base-url = \"" + simulator.baseUrl() + "\"",
        "entra-backup.graph.graph-base-url = \"" + simulator.graphBaseUrl() + "\"",
        "entra-backup.graph.client-id = \"" + CLIENT_ID + "\"",
        "entra-backup.graph.client-secret = \"" + CLIENT_SECRET + "\"",
        "entra-backup.graph.redirect-uri = \"" + callback + "\"",
        "entra-backup.graph.trust-store = \"" + simulator.trustStorePath() + "\"",
        "entra-backup.graph.trust-store-password = \"" + simulator.trustStorePassword() + "\"",
        // Tests compare whole directories through the API, far faster than an operator: the per-key, per-account and
        // keyless per-address rate limits are off here (0) unless a test sets them (RequestLimitsIT does).
        "entra-backup.http.limits.requests-per-second-per-key = 0",
        "entra-backup.http.limits.requests-per-second-per-account = 0",
        "entra-backup.http.limits.requests-per-second-per-address = 0",
        // The simulator answers in microseconds; our Graph pacing (10 per second and tenant, held by GraphHttpTest and
        // RoundReaderTest) only stretches restores here. Tests of throttling make the simulator send 429s instead.
        "entra-backup.graph.delta.requests-per-second-per-tenant = 100"));
    Config merged = extra.withFallback(overrides).withFallback(cassandra.nodeConfig());
    Node node = Node.start(merged, clock)
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    // In a cluster a node may wait for another process to create the schema (JoinAfterSchema).
    node.schemaReady().toCompletableFuture().get(180, TimeUnit.SECONDS);
    TestNode started = new TestNode(node, port);
    started.await(Duration.ofSeconds(30), () -> {
      if (started.send("GET", "/health/ready", null, null).statusCode() != 200) {
        throw new AssertionError("node not ready");
      }
    });
    return started;
  }

  /**
   * Adds {@code tenant} of the simulator under the key's account and authorizes it through the consent
   * page, as an admin's browser would; answers our tenant id.
   */
  String addAuthorizedTenant(Simulator simulator, io.entrabackup.simulator.TenantInfo tenant, String key,
      boolean immediateBackup) throws Exception {
    String id = ok(send("POST", "/api/v1/tenants",
        "{\"displayName\":\"" + tenant.displayName() + "\",\"entraTenant\":\"" + tenant.id() + "\"}", key), 201)
        .get("id").asText();
    authorize(simulator, id, key, immediateBackup);
    return id;
  }

  /** Activate Backup for our tenant {@code tenantId} through this node, its admin accepting the consent. */
  void authorize(Simulator simulator, String tenantId, String key, boolean immediateBackup) throws Exception {
    String callback = new AdminBrowser(simulator).decides(consentUrl(key, tenantId, immediateBackup), "accept");
    var landed = send("GET", callback, null, null);
    if (landed.statusCode() != 303) {
      throw new AssertionError("consent not completed: " + landed.body());
    }
  }

  /** A new MSP account made with the bootstrap key; answers its first API key. */
  String createAccount(String id) {
    JsonNode created = ok(send("POST", "/api/v1/accounts",
        "{\"id\":\"" + id + "\",\"displayName\":\"" + id + "\"}", BOOTSTRAP_KEY), 201);
    return created.get("apiKey").get("key").asText();
  }

  /** Activate Backup for the tenant: answers the admin-consent link. */
  String consentUrl(String key, String tenantId, boolean immediateBackup) {
    return ok(send("POST", "/api/v1/tenants/" + tenantId + "/activation",
        "{\"immediateBackup\":" + immediateBackup + ",\"frequency\":\"P1D\"}", key), 200)
        .get("consentUrl").asText();
  }

  HttpResponse<String> send(String method, String path, String body, String key) {
    var request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : "http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    }
  }

  /** The port the API answers on (plain HTTP in tests). */
  int port() {
    return port;
  }

  /** GET with the key, expecting 200; answers the body. */
  JsonNode get(String path, String key) {
    return ok(send("GET", path, null, key), 200);
  }

  JsonNode ok(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new AssertionError("expected " + status + " but got " + response.statusCode() + ": " + response.body());
    }
    return read(response.body());
  }

  static JsonNode read(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  /** Waits until the job has ended (completed, with or without skipped items, or failed); answers it. */
  JsonNode awaitJob(String jobId, String key, Duration max) {
    JsonNode[] job = new JsonNode[1];
    await(max, () -> {
      job[0] = ok(send("GET", "/api/v1/jobs/" + jobId, null, key), 200);
      assertTrue(ENDED.contains(job[0].get("state").asText()), job[0].toString());
    });
    return job[0];
  }

  /** The id of the job a request that starts one (202) answered. */
  static String jobId(JsonNode accepted) {
    return accepted.get("jobId").asText();
  }

  /** Retries {@code check} until it passes (read models follow events a moment later). */
  void await(Duration max, Runnable check) {
    TestProbe.create(node.system()).awaitAssert(max, () -> {
      check.run();
      return null;
    });
  }

  @Override
  public void close() throws Exception {
    node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

}
