package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.cluster.store.CassandraSettings;
import io.entrabackup.cluster.store.SchemaCommand;
import io.entrabackup.cluster.store.SchemaDefinition;
import io.entrabackup.cluster.store.SchemaMigration;
import io.entrabackup.cluster.store.SchemaState;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Three nodes started at the same moment on a fresh keyspace share one schema, made once, and a working read side on
 * every node: what the API writes is read on the next request to any node, and what only the projections write
 * (offsets, a tenant's last backup, the audit trail) reaches all three, with no projection failing. Once as development runs them (create-schema =
 * on everywhere: only the first seed node creates), once as production does (create-schema = off: the nodes wait for
 * the schema command, which is idempotent).
 */
class SchemaOnceIT {

  @RegisterExtension static final TestCassandra development = TestCassandra.withoutSchema();
  @RegisterExtension static final TestCassandra production = TestCassandra.withoutSchema();

  private static final Duration READ_SIDE = Duration.ofSeconds(60);
  private static final String KEY = TestNode.BOOTSTRAP_KEY;
  /**
   * What a failing projection logs: the reported bug's missing table, Pekko Streams' restart of a failed stream (what a
   * projection does after a failure, with backoff), and Pekko Projection's failed event.
   */
  private static final List<String> PROJECTION_FAILURES = List.of("tag_views", "Restarting stream due to failure",
      "Failed to process", "First attempt to process");

  private static Simulator simulator;
  private static final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(Path.of("target"));
    simulator = Simulator.start(SimulatorConfig.builder().tenants(2).users(3).groups(1).seed(16).port(0)
        .stateDir(Files.createTempDirectory(Path.of("target"), "simulator-SchemaOnceIT-")).build());
    log.start();
    root().addAppender(log);
  }

  @AfterAll
  static void stop() throws Exception {
    root().detachAppender(log);
    if (simulator != null) {
      simulator.close();
    }
  }

  @BeforeEach
  void forgetEarlierLogs() {
    synchronized (log) {
      log.list.clear();
    }
  }

  @Test
  void threeDevelopmentNodesStartedTogetherCreateTheSchemaOnce() throws Exception {
    try (TestCluster cluster = TestCluster.start(development, simulator)) {
      assertSchemaInPlaceAndAgreed(cluster, development);
      String tenantId = assertReadSideWorksOnEveryNode(cluster, development, 0);
      // Only the first seed node (node 1) ran the migration; nodes 2 and 3 waited for it.
      assertEquals(1, logged(SchemaMigration.class.getName(), "Cassandra schema:").size(), logged("", "").toString());
      assertTrue(logged("", "Schema agreement not reached").isEmpty(), logged("", "Schema agreement").toString());

      // A node killed and started again on its address finds the schema in place, rejoins and serves the read side.
      cluster.kill(3);
      TestNode again = cluster.restart(3);
      again.await(READ_SIDE, () -> assertTrue(listed(again).contains(tenantId),
          "restarted node 3 lists " + listed(again)));
    }
  }

  @Test
  void productionNodesWaitForTheSchemaCommandWhichChangesNothingTheSecondTime() throws Exception {
    var offline = ConfigFactory.parseString("entra-backup.cassandra.create-schema = off");
    CompletableFuture<TestCluster> starting = CompletableFuture.supplyAsync(() -> {
      try {
        return TestCluster.start(production, simulator, TestCluster.DEFAULT_SIZE, Clock.systemUTC(), n -> offline);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // The nodes are up but wait, saying for what, and create nothing themselves.
    awaitLogged("made by deploy/schema (create-schema = off here)", Duration.ofSeconds(60));
    assertFalse(starting.isDone(), "a node was ready before the schema existed");

    Output first = schemaCommand();
    assertEquals(0, first.status(), first.toString());
    assertTrue(first.out().contains("created table " + production.keyspace() + ".tag_views"), first.toString());
    assertTrue(first.out().contains("schema agreement reached"), first.toString());

    try (TestCluster cluster = starting.get(180, TimeUnit.SECONDS)) {
      assertSchemaInPlaceAndAgreed(cluster, production);
      assertReadSideWorksOnEveryNode(cluster, production, 1);

      Output again = schemaCommand();
      assertEquals(0, again.status(), again.toString());
      assertTrue(again.out().contains("nothing changed") && !again.out().contains("created table"), again.toString());
    }
  }

  @Test
  void theSchemaCommandFailsClearlyWithoutCassandra() {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int status = SchemaCommand.run(production.nodeConfig("127.0.0.1:1"), print(out), print(err));
    assertEquals(1, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("schema: not created: "), err.toString());
  }

  /**
   * The read side works on every node. What the API node writes itself before it answers is there on the very next
   * request to another node: a tenant registered through node 2 in node 3's and node 1's lists, a backup started
   * through node 1 in node 3's and node 2's job lists. And what only the projections write reaches every node: the
   * tenant's last backup in its dashboard row (tenant-directory), its consent in the audit trail (audit-trail), the
   * offsets of its slice for every read model. No node logged a projection failure or restart. Answers the tenant's id.
   */
  private static String assertReadSideWorksOnEveryNode(TestCluster cluster, TestCassandra cassandra, int tenant)
      throws Exception {
    var entraTenant = simulator.tenants().get(tenant);
    String id = cluster.node(2).ok(cluster.node(2).send("POST", "/api/v1/tenants",
        "{\"displayName\":\"" + entraTenant.displayName() + "\",\"entraTenant\":\"" + entraTenant.id() + "\"}", KEY),
        201).get("id").asText();
    for (int number : new int[] {3, 1}) {
      assertTrue(listed(cluster.node(number)).contains(id), "node " + number + "'s very next list lacks " + id);
    }

    cluster.node(2).authorize(simulator, id, KEY, false);
    String jobId = TestNode.jobId(cluster.node(1).ok(cluster.node(1).send("POST", "/api/v1/tenants/" + id
        + "/backups", "", KEY), 202));
    for (int number : new int[] {3, 2}) {
      JsonNode newest = newestBackup(cluster.node(number), id);
      assertEquals(jobId, newest.path("id").asText(), "node " + number + "'s very next job list: " + newest);
    }

    for (TestNode node : cluster.nodes()) {
      node.await(READ_SIDE, () -> {
        assertEquals("completed", newestBackup(node, id).path("state").asText());
        assertEquals("completed", row(node, id).path("lastBackup").path("result").asText(), row(node, id).toString());
        JsonNode consent = node.get("/api/v1/audit?tenant=" + id + "&action=tenant.consent-completed", KEY);
        assertEquals(1, consent.get("items").size(), consent.toString());
      });
    }
    assertOffsetsOfItsSlice(cluster, cassandra, id);
    assertNoProjectionFailed();
    return id;
  }

  /** Every read model of the tenant's slice has saved an offset: its projection ran and processed its events. */
  private static void assertOffsetsOfItsSlice(TestCluster cluster, TestCassandra cassandra, String tenantId)
      throws Exception {
    var system = cluster.node(1).node.system();
    int slices = system.settings().config().getInt("entra-backup.read-side.slices");
    String tag = TenantEvents.tag(TenantEvents.slice("Tenant|" + tenantId, slices));
    var session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
    cluster.node(1).await(READ_SIDE, () -> {
      Set<String> saved = new TreeSet<>();
      try {
        session.selectAll("SELECT projection_name, projection_key FROM " + cassandra.keyspace() + ".offset_store")
            .toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
            .filter(row -> tag.equals(row.getString("projection_key")))
            .forEach(row -> saved.add(row.getString("projection_name")));
      } catch (Exception e) {
        throw new AssertionError("offset store not readable", e);
      }
      assertTrue(saved.containsAll(Set.of("tenant-directory", "job-directory", "job-directory-prompt", "audit-trail")),
          "offsets of " + tag + ": " + saved);
    });
  }

  /**
   * No projection failed on any node (the nodes run in this JVM: their logs are this one's): no warning or error names
   * the missing table of the reported bug, a restart of a projection's stream or a failed event.
   */
  private static void assertNoProjectionFailed() {
    List<String> failures = new ArrayList<>();
    synchronized (log) {
      for (ILoggingEvent event : log.list) {
        // Warnings and errors only: the schema command's own report names tag_views among the tables it created.
        if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
          continue;
        }
        String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
            : " " + event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage());
        if (PROJECTION_FAILURES.stream().anyMatch(text::contains)) {
          failures.add(event.getLevel() + " " + event.getLoggerName() + ": " + text);
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  /** The newest backup of the tenant in {@code node}'s job list (missing node if none). */
  private static JsonNode newestBackup(TestNode node, String tenantId) {
    return node.get("/api/v1/jobs?kind=backup&tenant=" + tenantId + "&limit=1", KEY).get("items").path(0);
  }

  /** The tenant's row in {@code node}'s dashboard list. */
  private static JsonNode row(TestNode node, String tenantId) {
    for (JsonNode item : node.get("/api/v1/tenants?limit=500", KEY).get("items")) {
      if (item.get("id").asText().equals(tenantId)) {
        return item;
      }
    }
    throw new AssertionError("node " + node.port() + " does not list " + tenantId);
  }

  /** The ids of the tenants in the bootstrap account's dashboard list, as {@code node} answers it. */
  private static List<String> listed(TestNode node) {
    List<String> ids = new ArrayList<>();
    for (JsonNode item : node.get("/api/v1/tenants?limit=500", KEY).get("items")) {
      ids.add(item.get("id").asText());
    }
    return ids;
  }

  /** Every table of the node exists in system_schema and the driver reports schema agreement. */
  private static void assertSchemaInPlaceAndAgreed(TestCluster cluster, TestCassandra cassandra) throws Exception {
    var system = cluster.node(1).node.system();
    var session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
    var schema = SchemaDefinition.of(system, CassandraSettings.create(system));
    SchemaState state = session.underlying().thenCompose(cql -> SchemaState.read(cql, schema))
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    assertTrue(state.ready(), state.describe());
    assertEquals(java.util.Set.of(cassandra.keyspace()), schema.keyspaces());
  }

  private record Output(int status, String out, String err) {}

  private static Output schemaCommand() {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int status = SchemaCommand.run(production.nodeConfig(), print(out), print(err));
    return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static void awaitLogged(String text, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (logged("", text).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never logged: " + text);
      }
      Thread.sleep(200);
    }
  }

  private static List<String> logged(String logger, String text) {
    synchronized (log) {
      return List.copyOf(log.list).stream()
          .filter(event -> event.getLoggerName().startsWith(logger))
          .map(ILoggingEvent::getFormattedMessage)
          .filter(message -> message.contains(text))
          .toList();
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
