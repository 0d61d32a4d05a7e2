package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.cluster.store.CassandraSettings;
import io.entrabackup.cluster.store.Migration;
import io.entrabackup.cluster.store.MigrationCatalog;
import io.entrabackup.cluster.store.SchemaCommand;
import io.entrabackup.cluster.store.SchemaDefinition;
import io.entrabackup.cluster.store.SchemaGate;
import io.entrabackup.cluster.store.SchemaRefusedException;
import io.entrabackup.testing.SchemaDdl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations on the real Cassandra, in one keyspace of its own that goes through an upgrade: made the
 * way the code before versioned migrations made it (version 1's statements, no version recorded, plus the counter table
 * older code left), with data in it; then {@code schema status} and {@code schema migrate} as an operator runs them. The
 * steps build on each other, in order. The keyspace is dropped afterwards (not handed to other classes: it ends at a
 * test-only version, one after this build's latest). Versions are read from the node's catalog, so a new migration
 * changes nothing here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemaMigrationIT {

  private static final String HOST = "127.0.0.1";
  private static final int PORT = 9042;
  private static final String KEYSPACE = "it_migrate_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static final Duration DDL = Duration.ofSeconds(60);
  /** This build's version, and the test-only one after it. */
  private static final int LATEST = MigrationCatalog.node().latest();
  private static final int LATER = LATEST + 1;

  private static CqlSession cql;
  private static final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeAll
  static void start() {
    cql = CqlSession.builder().addContactPoint(new InetSocketAddress(HOST, PORT)).withLocalDatacenter("datacenter1")
        .build();
    log.start();
    root().addAppender(log);
  }

  @AfterAll
  static void stop() {
    root().detachAppender(log);
    try {
      SchemaDdl.drop(HOST, PORT, KEYSPACE);
    } finally {
      cql.close();
    }
  }

  @Test
  @Order(1)
  void aKeyspaceMadeBeforeVersionedMigrationsIsRecognisedAsVersionOneAndMigrated() {
    // As the code before versioned migrations made it: the same statements, nothing recorded.
    ddl("CREATE KEYSPACE " + KEYSPACE + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    MigrationCatalog.node().get(1).orElseThrow().statements(KEYSPACE).forEach(SchemaMigrationIT::ddl);
    // ... and as code before that left it: the live-count counter table V0002 drops.
    ddl("CREATE TABLE " + KEYSPACE + ".snapshot_counts (tenant_id text, object_type text, live counter,"
        + " PRIMARY KEY ((tenant_id), object_type))");
    cql.execute("INSERT INTO " + KEYSPACE + ".accounts (account_id, display_name, created_at) VALUES ('acc-1',"
        + " 'Contoso MSP', toTimestamp(now()))");
    cql.execute("INSERT INTO " + KEYSPACE + ".tenants_by_account (account_id, tenant_id, display_name, status)"
        + " VALUES ('acc-1', 'ten-1', 'Fabrikam', 'active')");
    cql.execute("INSERT INTO " + KEYSPACE + ".messages (persistence_id, partition_nr, sequence_nr, timestamp,"
        + " ser_id, event) VALUES ('Tenant|ten-1', 0, 1, now(), 7, 0xcafe)");
    cql.execute("INSERT INTO " + KEYSPACE + ".offset_store (projection_name, partition, projection_key, offset)"
        + " VALUES ('tenant-directory', 0, 'tenants-0', 'abc')");
    cql.execute("UPDATE " + KEYSPACE + ".snapshot_counts SET live = live + 3 WHERE tenant_id = 'ten-1'"
        + " AND object_type = 'users'");

    Output status = schema("status", MigrationCatalog.node());
    assertEquals(SchemaCommand.PENDING, status.status(), status.toString());
    assertTrue(status.out().contains("this build expects version " + LATEST), status.toString());
    assertTrue(status.out().matches("(?s).*" + MigrationCatalog.node().migrations().stream()
        .map(migration -> Pattern.quote(migration.label()) + "\\s+pending").collect(Collectors.joining(".*")) + ".*"),
        status.toString());
    assertTrue(status.out().contains("made before versioned migrations: migrate recognises it as version 1"),
        status.toString());

    Instant before = Instant.now();
    Output migrate = schema("migrate", MigrationCatalog.node());
    assertEquals(SchemaCommand.OK, migrate.status(), migrate.toString());
    assertTrue(migrate.out().contains("recognised V0001 baseline"), migrate.toString());
    for (Migration later : MigrationCatalog.node().migrations().subList(1, LATEST)) {
      assertTrue(migrate.out().contains("applied " + later.label()), migrate.toString());
    }
    assertFalse(migrate.out().contains("created table"), migrate.toString());
    assertTrue(migrate.out().contains("schema in place at version " + LATEST), migrate.toString());

    List<Row> versions = versionRows();
    assertEquals(IntStream.rangeClosed(1, LATEST).boxed().toList(),
        versions.stream().map(row -> row.getInt("version")).toList());
    for (Row row : versions) {
      Migration migration = MigrationCatalog.node().get(row.getInt("version")).orElseThrow();
      assertEquals(migration.checksum(), row.getString("checksum"));
      assertEquals(migration.description(), row.getString("description"));
      assertTrue(row.getString("applied_by").matches(".+ pid \\d+ \\(deploy/schema\\)"), row.getString("applied_by"));
      assertFalse(row.getInstant("applied_at").isBefore(before.minusSeconds(1)), row.getInstant("applied_at") + "");
      assertTrue(row.getLong("took_ms") >= 0);
    }
    assertEquals(IntStream.rangeClosed(1, LATEST).mapToObj(version -> version == 1 ? "recognised" : "applied").toList(),
        versions.stream().map(row -> row.getString("how")).toList());

    // The data is as it was, the leftover table is gone, and every table and column is as this build's version says.
    assertEquals("Contoso MSP", one("SELECT display_name FROM " + KEYSPACE + ".accounts WHERE account_id = 'acc-1'")
        .getString(0));
    assertEquals("Fabrikam", one("SELECT display_name FROM " + KEYSPACE + ".tenants_by_account WHERE account_id ="
        + " 'acc-1' AND tenant_id = 'ten-1'").getString(0));
    assertEquals(7, one("SELECT ser_id FROM " + KEYSPACE + ".messages WHERE persistence_id = 'Tenant|ten-1' AND"
        + " partition_nr = 0").getInt(0));
    assertEquals("abc", one("SELECT offset FROM " + KEYSPACE + ".offset_store WHERE projection_name ="
        + " 'tenant-directory' AND partition = 0").getString(0));
    assertNull(cql.execute(SimpleStatement.newInstance("SELECT table_name FROM system_schema.tables WHERE"
        + " keyspace_name = ? AND table_name = 'snapshot_counts'", KEYSPACE)).one());
    assertEquals("frozen<list<text>>", columnType("snapshot_versions", "members_inline"));
    assertEquals("set<text>", columnType("api_keys", "scopes"));

    Output after = schema("status", MigrationCatalog.node());
    assertEquals(SchemaCommand.OK, after.status(), after.toString());
    assertTrue(after.out().matches("(?s).*V0001 baseline\\s+recognised \\S+Z by .+ \\(deploy/schema\\) in \\d+\\.\\d s.*"),
        after.toString());
    assertTrue(after.out().contains("keyspace at version " + LATEST + ", as this build expects"), after.toString());
  }

  @Test
  @Order(2)
  void aSecondRunAppliesNothingAndWaitsForTheLockOfAnotherMigrator() throws Exception {
    Map<Integer, Instant> appliedAt = versionRows().stream()
        .collect(Collectors.toMap(row -> row.getInt("version"), row -> row.getInstant("applied_at")));

    // Another migrator holds the lock: this one waits, saying who holds it, and applies nothing meanwhile.
    cql.execute("INSERT INTO " + KEYSPACE + ".schema_lock (name, owner, since) VALUES ('migrations',"
        + " 'elsewhere pid 1 (deploy/schema)', toTimestamp(now())) IF NOT EXISTS USING TTL 60");
    // On a thread of its own: the common pool may have a single thread on a small machine.
    ExecutorService thread = Executors.newSingleThreadExecutor();
    CompletableFuture<Output> waiting =
        CompletableFuture.supplyAsync(() -> schema("migrate", MigrationCatalog.node()), thread);
    thread.shutdown();
    awaitLogged("Waiting for the schema lock of keyspace " + KEYSPACE + ", held by elsewhere pid 1 (deploy/schema)");
    assertFalse(waiting.isDone());
    // As its holder does: a lightweight transaction (mixed with plain writes, the lock row's timestamps would not order).
    cql.execute("DELETE FROM " + KEYSPACE + ".schema_lock WHERE name = 'migrations' IF EXISTS");

    Output again = waiting.get(3, TimeUnit.MINUTES);
    assertEquals(SchemaCommand.OK, again.status(), again.toString());
    assertTrue(again.out().contains("schema already in place at version " + LATEST)
        && again.out().contains("nothing changed"),
        again.toString());
    assertFalse(again.out().contains("applied V") || again.out().contains("recognised V"), again.toString());
    assertEquals(appliedAt, versionRows().stream()
        .collect(Collectors.toMap(row -> row.getInt("version"), row -> row.getInstant("applied_at"))));
    // The lock is released after the run.
    assertNull(cql.execute("SELECT owner FROM " + KEYSPACE + ".schema_lock WHERE name = 'migrations'").one());
  }

  @Test
  @Order(3)
  void aMigrationChangedAfterItWasAppliedIsRefused() {
    MigrationCatalog node = MigrationCatalog.node();
    Migration changed = Migration.parse("V0002__drop_snapshot_counts.cql",
        "DROP TABLE IF EXISTS ${keyspace}.snapshot_counts_by_type;");
    // Today's catalog with V0002 edited: the same build otherwise, so only the checksum can refuse it.
    MigrationCatalog edited = new MigrationCatalog(node.migrations().stream()
        .map(migration -> migration.version() == 2 ? changed : migration).toList());

    Output migrate = schema("migrate", edited);
    assertEquals(SchemaCommand.REFUSED, migrate.status(), migrate.toString());
    assertTrue(migrate.err().startsWith("schema: refused, nothing changed: schema migration V0002 drop snapshot counts"
        + " (cql/migrations/V0002__drop_snapshot_counts.cql) was applied to keyspace " + KEYSPACE), migrate.err());
    assertTrue(migrate.err().contains("an applied migration must never change")
        && migrate.err().contains(String.format("V%04d__", LATER)),
        migrate.err());
    assertEquals(SchemaCommand.REFUSED, schema("status", edited).status());
    assertEquals(LATEST, versionRows().size());
  }

  @Test
  @Order(4)
  void aNodeOfANewerBuildWaitsForTheMigrationAndANodeOfAnOlderBuildRefuses() throws Exception {
    MigrationCatalog newer = MigrationCatalog.node().plus(List.of(laterMigration()));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "SchemaMigrationIT", ConfigFactory.parseString(
        "pekko.actor.provider = local").withFallback(config()));
    try {
      var session = CassandraSessionRegistry.get(system)
          .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
      CassandraSettings settings = CassandraSettings.create(system);

      // A node of a build that expects the later version waits (create-schema = off), and says for what.
      var waiting = new SchemaGate(system, session, SchemaDefinition.of(system, settings, newer), "deploy/schema")
          .awaitReady().toCompletableFuture();
      awaitLogged("Waiting for the Cassandra schema (made by deploy/schema) before joining the cluster and starting"
          + " projections: keyspace at schema version " + LATEST + ", this build expects " + LATER);
      assertFalse(waiting.isDone());
      Output migrate = schema("migrate", newer);
      assertEquals(SchemaCommand.OK, migrate.status(), migrate.toString());
      assertTrue(migrate.out().contains("applied " + laterMigration().label()), migrate.toString());
      assertTrue(migrate.out().contains("created table " + KEYSPACE + ".test_later"), migrate.toString());
      assertTrue(migrate.out().contains("added column " + KEYSPACE + ".tenants_by_account.test_label"),
          migrate.toString());
      waiting.get(2, TimeUnit.MINUTES);

      // A node of today's build refuses the keyspace at the later version at once, saying why.
      var refused = assertThrows(ExecutionException.class, () -> new SchemaGate(system, session,
          SchemaDefinition.of(system, settings), "this node").awaitReady().toCompletableFuture()
          .get(1, TimeUnit.MINUTES));
      assertInstanceOf(SchemaRefusedException.class, refused.getCause(), refused.toString());
      assertTrue(refused.getCause().getMessage().startsWith("keyspace " + KEYSPACE + " is at schema version " + LATER
          + " (test later table, applied "), refused.getCause().getMessage());
      assertTrue(refused.getCause().getMessage().contains("newer than this build, which knows versions up to " + LATEST),
          refused.getCause().getMessage());
      Output status = schema("status", MigrationCatalog.node());
      assertEquals(SchemaCommand.REFUSED, status.status(), status.toString());
      assertTrue(status.out().matches("(?s).*" + Pattern.quote(laterMigration().label()) + "\\s+applied.*") && status.out().contains("unknown to this"
          + " build"), status.toString());
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private record Output(int status, String out, String err) {}

  /** What a build one version newer would apply (cql/test-later-table.cql), numbered after this build's latest. */
  private static Migration laterMigration() {
    try (var text = SchemaMigrationIT.class.getClassLoader().getResourceAsStream("cql/test-later-table.cql")) {
      return Migration.parse(String.format("V%04d__test_later_table.cql", LATER),
          new String(text.readAllBytes(), StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Output schema(String command, MigrationCatalog catalog) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int status = SchemaCommand.run(command, config(), catalog, print(out), print(err));
    Output output = new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    // In the class's report: what an operator sees, for each step.
    System.out.println("SchemaMigrationIT: schema " + command + " -> exit " + status + "\n" + output.out()
        + output.err());
    return output;
  }

  /** The node's configuration (journal and projections in the same keyspace) for this class's keyspace. */
  private static Config config() {
    Config overrides = ConfigFactory.parseString(String.join("\n",
        "entra-backup.cassandra.keyspace = " + KEYSPACE,
        "datastax-java-driver.basic.contact-points = [\"" + HOST + ":" + PORT + "\"]",
        io.entrabackup.testing.TestMasterKey.SETTING));
    ConfigFactory.invalidateCaches();
    return ConfigFactory.load(overrides.withFallback(ConfigFactory.defaultApplication()));
  }

  private static List<Row> versionRows() {
    return cql.execute("SELECT version, description, checksum, applied_at, applied_by, took_ms, how FROM " + KEYSPACE
        + ".schema_versions").all().stream().sorted((a, b) -> Integer.compare(a.getInt(0), b.getInt(0))).toList();
  }

  private static String columnType(String table, String column) {
    return cql.execute(SimpleStatement.newInstance("SELECT type FROM system_schema.columns WHERE keyspace_name = ?"
        + " AND table_name = ? AND column_name = ?", KEYSPACE, table, column)).one().getString(0);
  }

  private static Row one(String query) {
    Row row = cql.execute(query).one();
    assertTrue(row != null, "no row: " + query);
    return row;
  }

  private static void ddl(String statement) {
    cql.execute(SimpleStatement.newInstance(statement).setTimeout(DDL));
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static void awaitLogged(String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (logged(text).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never logged: " + text + "\nlogged: " + logged(""));
      }
      Thread.sleep(200);
    }
  }

  private static List<String> logged(String text) {
    synchronized (log) {
      return List.copyOf(log.list).stream().map(ILoggingEvent::getFormattedMessage)
          .filter(message -> message.contains(text)).toList();
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
