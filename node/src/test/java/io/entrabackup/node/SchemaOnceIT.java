package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Three nodes started at the same moment on a fresh keyspace share one schema, made once, and a working read side:
 * a tenant registered through node 2 is in the list on nodes 3 and 1. Once as development runs them (create-schema =
 * on everywhere: only the first seed node creates), once as production does (create-schema = off: the nodes wait for
 * the schema command, which is idempotent).
 */
class SchemaOnceIT {

  @RegisterExtension static final TestCassandra development = TestCassandra.withoutSchema();
  @RegisterExtension static final TestCassandra production = TestCassandra.withoutSchema();

  private static final Duration READ_SIDE = Duration.ofSeconds(60);
  private static final String KEY = TestNode.BOOTSTRAP_KEY;

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
      String tenantId = assertReadSideWorksOnEveryNode(cluster, 0);
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
      assertReadSideWorksOnEveryNode(cluster, 1);

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

  /** Registers a tenant through node 2 and finds it in the dashboard list of nodes 3 and 1; answers its id. */
  private static String assertReadSideWorksOnEveryNode(TestCluster cluster, int tenant) {
    var entraTenant = simulator.tenants().get(tenant);
    String id = cluster.node(2).ok(cluster.node(2).send("POST", "/api/v1/tenants",
        "{\"displayName\":\"" + entraTenant.displayName() + "\",\"entraTenant\":\"" + entraTenant.id() + "\"}", KEY),
        201).get("id").asText();
    for (int number : new int[] {3, 1}) {
      TestNode node = cluster.node(number);
      node.await(READ_SIDE, () -> assertTrue(listed(node).contains(id), "node " + number + " lists " + listed(node)
          + ", not " + id));
    }
    return id;
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
