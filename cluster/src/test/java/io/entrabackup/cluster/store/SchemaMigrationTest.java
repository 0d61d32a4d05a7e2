package io.entrabackup.cluster.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one schema path against the real local Cassandra, on a fresh keyspace holding journal, snapshots and projection
 * offsets as the node configures them: the first run creates every table, a second changes nothing and fails nothing,
 * and the gate then finds the schema in place and agreed.
 */
class SchemaMigrationTest {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final String KEYSPACE = "schema_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  private static ActorTestKit testKit;
  private static CassandraSession session;
  private static SchemaDefinition schema;

  @BeforeAll
  static void start() {
    Config config = ConfigFactory.parseString(String.join("\n",
            "pekko.persistence.cassandra.journal.keyspace = " + KEYSPACE,
            "pekko.persistence.cassandra.snapshot.keyspace = " + KEYSPACE,
            "pekko.projection.cassandra.session-config-path = \"" + CassandraSettings.SESSION_CONFIG_PATH + "\"",
            "pekko.projection.cassandra.offset-store.keyspace = " + KEYSPACE))
        .withFallback(LocalCassandra.config(KEYSPACE)).resolve();
    testKit = ActorTestKit.create("SchemaMigrationTest", config);
    session = LocalCassandra.session(testKit);
    schema = SchemaDefinition.of(testKit.system(), CassandraSettings.create(config.getConfig("entra-backup.cassandra")));
  }

  @AfterAll
  static void stop() {
    try {
      // Dropping some forty tables on a busy shared Cassandra takes longer than a query's default timeout.
      session.underlying().thenCompose(cql -> cql.executeAsync(
              SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + KEYSPACE).setTimeout(Duration.ofMinutes(2))))
          .toCompletableFuture().get(3, TimeUnit.MINUTES);
    } catch (Exception e) {
      // Leftover test data is not the test's failure; the keyspace name says what it was.
      System.err.println("SchemaMigrationTest: dropping " + KEYSPACE + " failed (" + e.getMessage() + ")");
    } finally {
      testKit.shutdownTestKit();
    }
  }

  @Test
  void definesEveryTableOfTheNodeInOneKeyspace() {
    assertEquals(java.util.Set.of(KEYSPACE), schema.keyspaces());
    for (String table : new String[] {"messages", "tag_views", "tag_write_progress", "tag_scanning", "metadata",
        "all_persistence_ids", "snapshots", "offset_store", "projection_management", "tenants_by_account",
        "snapshot_versions", "download_chunks", "audit_records"}) {
      assertTrue(schema.tables().contains(KEYSPACE + "." + table), table + " not in " + schema.tables());
    }
    assertTrue(schema.addedColumns().contains(KEYSPACE + ".api_keys.scopes"), schema.addedColumns().toString());
  }

  @Test
  void createsOnceAndASecondRunChangesNothing() {
    SchemaReport first = LocalCassandra.await(SchemaMigration.run(testKit.system(), session, schema), TIMEOUT);
    assertEquals(schema.tables(), first.createdTables(), first.lines().toString());

    SchemaReport second = LocalCassandra.await(SchemaMigration.run(testKit.system(), session, schema), TIMEOUT);
    assertTrue(second.changedNothing(), second.lines().toString());

    LocalCassandra.await(new SchemaGate(testKit.system(), session, schema, "this test").awaitReady(TIMEOUT), TIMEOUT);
    SchemaState state = LocalCassandra.await(session.underlying().thenCompose(cql -> SchemaState.read(cql, schema)),
        TIMEOUT);
    assertTrue(state.ready(), state.describe());
  }
}
