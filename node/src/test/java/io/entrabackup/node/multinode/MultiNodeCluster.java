package io.entrabackup.node.multinode;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A cluster as deploy/cluster runs one, for a test class: three Cassandra nodes ({@link CassandraRing}), the Microsoft
 * simulator (in the test's JVM, so the test can read its directory object by object) and three entra-backup nodes in
 * JVMs of their own, on a keyspace of the class's own with replication factor 3 and LOCAL_QUORUM. Nodes can be killed,
 * asked to leave and replaced by new processes.
 */
final class MultiNodeCluster implements BeforeAllCallback, AfterAllCallback {

  static final String KEY = "eb_bootstrap_multinode-key-0123456789abcdefghijklmn";
  static final String CLIENT_ID = "8a4c2f1e-5b7d-4e3a-9c6f-1d2e3f4a5b6c";
  private static final String CLIENT_SECRET = "multinode-client-secret-that-is-long-enough";
  private static final String SIGNING_KEY = "signing-key-for-multinode-0123456789abcdefghij";
  // Generous: on a 2-core machine shared with other builds, a node creating the schema on three Cassandra nodes took
  // over 3 minutes (each CREATE waits for schema agreement).
  private static final Duration START_TIMEOUT = Duration.ofSeconds(360);

  /** Number of shards of the Tenant entity (pekko.cluster.sharding.number-of-shards). */
  private static final int SHARDS = 128;

  private final Path root = Path.of(System.getProperty("user.dir")).getParent();
  private final Path logDir = root.resolve("node/target/multinode");
  private final CassandraRing ring = new CassandraRing(root);
  private final String keyspace = "mn_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final SimulatorConfig.Builder directory;
  private final List<String> nodeFlags;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<String> callbacks = new ArrayList<>();
  private Simulator simulator;
  private CqlSession session;
  private int launched;

  private MultiNodeCluster(SimulatorConfig.Builder directory, List<String> nodeFlags) {
    this.directory = directory;
    this.nodeFlags = nodeFlags;
  }

  /** A cluster whose Microsoft holds {@code directory}; {@code nodeFlags} are extra JVM flags of every node. */
  static MultiNodeCluster of(SimulatorConfig.Builder directory, String... nodeFlags) {
    return new MultiNodeCluster(directory, List.of(nodeFlags));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Files.createDirectories(logDir);
    long started = System.nanoTime();
    ring.start();
    say("Cassandra ring up (" + CassandraRing.CONTACT_POINT + ", 127.0.0.1-3) after " + seconds(started) + " s");
    Path state = Files.createTempDirectory(logDir, "simulator-");
    simulator = Simulator.start(directory.port(0).stateDir(state).throttleEnabled(false).build());
    session = ring.session();
    startNodes();
    say("three nodes up after " + seconds(started) + " s; logs in " + logDir);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      for (NodeProcess node : nodes) {
        node.close();
      }
      if (simulator != null) {
        simulator.close();
      }
      if (session != null) {
        session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
            .setTimeout(Duration.ofSeconds(60)));
        session.close();
      }
    } finally {
      ring.close();
    }
  }

  /**
   * Starts the three nodes. The first creates the schema alone and the other two join once it is ready: nodes that
   * create tables at the same moment race (issue 16). Once every node waits for schema agreement itself, the three
   * can start together here.
   */
  private void startNodes() throws Exception {
    NodeProcess first = launch(List.of()).awaitReady(START_TIMEOUT);
    awaitSchema(first);
    NodeProcess second = launch(List.of(first));
    NodeProcess third = launch(List.of(first));
    second.awaitReady(START_TIMEOUT);
    third.awaitReady(START_TIMEOUT);
    awaitMembersUp(3);
  }

  /** Starts a new node process that joins the running ones (after a kill or a leave); waits until it is Up. */
  NodeProcess addNode() throws Exception {
    List<NodeProcess> seeds = running();
    NodeProcess node = launch(seeds.subList(0, Math.min(3, seeds.size()))).awaitReady(START_TIMEOUT);
    awaitMembersUp(running().size());
    return node;
  }

  private NodeProcess launch(List<NodeProcess> seeds) throws IOException {
    launched++;
    NodeProcess.Ports ports = NodeProcess.Ports.free();
    callbacks.add(NodeProcess.callback(ports.http()));
    simulator.registerApp(CLIENT_ID, CLIENT_SECRET, callbacks);
    simulator.groupMembershipClaims(CLIENT_ID, "DirectoryRole");
    Map<String, String> env = new HashMap<>();
    env.put("ENTRA_CASSANDRA_KEYSPACE", keyspace);
    env.put("ENTRA_CASSANDRA_CONTACT_POINT", CassandraRing.CONTACT_POINT);
    env.put("ENTRA_CASSANDRA_REPLICATION_FACTOR", "3");
    env.put("ENTRA_CASSANDRA_CONSISTENCY", "LOCAL_QUORUM");
    env.put("ENTRA_BOOTSTRAP_KEY", KEY);
    env.put("ENTRA_SIGNING_KEY", SIGNING_KEY);
    env.put("ENTRA_MASTER_KEY", io.entrabackup.testing.TestMasterKey.BASE64);
    env.put("ENTRA_LOGIN_BASE_URL", simulator.baseUrl());
    env.put("ENTRA_GRAPH_BASE_URL", simulator.graphBaseUrl());
    env.put("ENTRA_CLIENT_ID", CLIENT_ID);
    env.put("ENTRA_CLIENT_SECRET", CLIENT_SECRET);
    env.put("ENTRA_TRUST_STORE", simulator.trustStorePath().toString());
    env.put("ENTRA_TRUST_STORE_PASSWORD", simulator.trustStorePassword());
    // The first node seeds itself (it forms the cluster); later ones join through the running nodes.
    List<String> seedAddresses = seeds.isEmpty() ? List.of("pekko://entra-backup@127.0.0.1:" + ports.remote())
        : seeds.stream().map(NodeProcess::address).toList();
    for (int i = 0; i < seedAddresses.size(); i++) {
      env.put("ENTRA_SEED_NODE_" + (i + 1), seedAddresses.get(i));
    }
    List<String> flags = new ArrayList<>(nodeFlags);
    // Tests drive the API far faster than an operator.
    flags.add("-Dentra-backup.http.limits.requests-per-second-per-key=0");
    // On a starved machine a node's serialization extension took over the default 20 s to initialize and the node
    // gave up starting ("Initialization of SerializationExtension took more than [20000 ms]").
    flags.add("-Dpekko.actor.creation-timeout=120s");
    NodeProcess node = NodeProcess.launch("node" + launched, root, logDir, ports, env, flags);
    nodes.add(node);
    return node;
  }

  /** The schema is in place once an API call that reads our tables answers. */
  private void awaitSchema(NodeProcess node) throws InterruptedException {
    await(START_TIMEOUT, () -> node.get("/api/v1/tenants", KEY));
  }

  /** Waits until every running node sees {@code count} members, all Up. */
  void awaitMembersUp(int count) throws InterruptedException {
    await(START_TIMEOUT, () -> {
      for (NodeProcess node : running()) {
        JsonNode members = node.managementJson("/cluster/members");
        if (members == null) {
          throw new AssertionError(node.name() + " does not answer /cluster/members");
        }
        long up = 0;
        for (JsonNode member : members.get("members")) {
          up += "Up".equals(member.get("status").asText()) ? 1 : 0;
        }
        if (up != count || members.get("members").size() != count || members.get("unreachable").size() != 0) {
          throw new AssertionError(node.name() + " sees " + members);
        }
      }
      return null;
    });
  }

  /** The nodes whose process runs. */
  List<NodeProcess> running() {
    return nodes.stream().filter(NodeProcess::alive).toList();
  }

  /** The node whose shard region runs the tenant's entity, if any answers so. */
  Optional<NodeProcess> runnerOf(String tenantId) {
    String shard = Integer.toString(Math.abs(tenantId.hashCode() % SHARDS));
    for (NodeProcess node : running()) {
      JsonNode shards = node.managementJson("/cluster/shards/Tenant");
      if (shards == null) {
        continue;
      }
      for (JsonNode region : shards.path("regions")) {
        if (shard.equals(region.path("shardId").asText()) && region.path("numEntities").asInt() > 0) {
          return Optional.of(node);
        }
      }
    }
    return Optional.empty();
  }

  Simulator simulator() {
    return simulator;
  }

  CassandraRing ring() {
    return ring;
  }

  /** A node to talk to (the first running one). */
  NodeProcess any() {
    return running().get(0);
  }

  /** Adds {@code tenant} under the bootstrap account and authorizes it as its admin would; answers our tenant id. */
  String addAuthorizedTenant(TenantInfo tenant) throws Exception {
    NodeProcess node = any();
    String id = NodeProcess.ok(node.send("POST", "/api/v1/tenants",
        "{\"displayName\":\"" + tenant.displayName() + "\",\"entraTenant\":\"" + tenant.id() + "\"}", KEY), 201)
        .get("id").asText();
    String signIn = NodeProcess.ok(node.send("POST", "/api/v1/tenants/" + id + "/activation",
        "{\"immediateBackup\":false,\"frequency\":\"P1D\"}", KEY), 200).get("consentUrl").asText();
    HttpClient browser = HttpClient.newBuilder().sslContext(simulator.sslContext())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    String callback = location(browser, signIn + "&login_hint="
        + URLEncoder.encode("admin@" + tenant.domain(), StandardCharsets.UTF_8));
    String consentPage = node.send("GET", callback, null, null).headers().firstValue("Location")
        .orElseThrow(() -> new AssertionError("sign-in not accepted"));
    String back = location(browser, consentPage + "&sim_decision=accept");
    var landed = node.send("GET", back, null, null);
    if (landed.statusCode() != 303) {
      throw new AssertionError("consent not completed: " + landed.statusCode() + " " + landed.body());
    }
    return id;
  }

  private static String location(HttpClient browser, String url) throws Exception {
    HttpResponse<String> response = browser.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.headers().firstValue("Location")
        .orElseThrow(() -> new AssertionError(url + " answered " + response.statusCode() + ": " + response.body()));
  }

  /** Backup Now through any node; answers the job id. */
  String startBackup(String tenantId) {
    return NodeProcess.ok(any().send("POST", "/api/v1/tenants/" + tenantId + "/backups", "", KEY), 202)
        .get("jobId").asText();
  }

  /** The job as System Status shows it, through any running node; empty while none answers. */
  Optional<JsonNode> job(String jobId) {
    for (NodeProcess node : running()) {
      try {
        var response = node.send("GET", "/api/v1/jobs/" + jobId, null, KEY);
        if (response.statusCode() == 200) {
          return Optional.of(NodeProcess.ok(response, 200));
        }
      } catch (IllegalStateException e) {
        // that node is going; ask the next
      }
    }
    return Optional.empty();
  }

  /** The keyspace's snapshot versions of a tenant, per object type and id: how many versions each has. */
  Map<String, Map<String, Integer>> versionsPerObject(String tenantId) {
    Map<String, Map<String, Integer>> versions = new HashMap<>();
    var rows = session.execute(SimpleStatement.newInstance(
            "SELECT tenant_id, object_type, object_id FROM " + keyspace + ".snapshot_versions")
        .setConsistencyLevel(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.QUORUM)
        .setPageSize(5000).setTimeout(Duration.ofSeconds(60)));
    for (var row : rows) {
      if (tenantId.equals(row.getString("tenant_id"))) {
        versions.computeIfAbsent(row.getString("object_type"), type -> new HashMap<>())
            .merge(row.getString("object_id"), 1, Integer::sum);
      }
    }
    return versions;
  }

  /** Retries {@code check} (which throws AssertionError until it passes) until {@code max} has passed. */
  static <T> T await(Duration max, CheckedSupplier<T> check) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      try {
        return check.get();
      } catch (AssertionError | IllegalStateException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not so after " + max + ": " + e.getMessage(), e);
        }
        Thread.sleep(250);
      }
    }
  }

  /** A check that answers a value once it passes. */
  interface CheckedSupplier<T> {
    T get();
  }

  static double seconds(long sinceNanos) {
    return Math.round((System.nanoTime() - sinceNanos) / 1e8) / 10.0;
  }

  static void say(String line) {
    System.out.println("multinode: " + line);
  }
}
