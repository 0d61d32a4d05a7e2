package io.entrabackup.cluster.store;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layout check against the real local Cassandra: a keyspace of an older snapshot layout is refused, clearly. */
class CassandraSchemaTest {

  private static final String KEYSPACE = "schema_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static ActorTestKit testKit;
  private static CassandraSession session;

  @BeforeAll
  static void startCassandraSession() {
    Config config = LocalCassandra.config(KEYSPACE);
    testKit = ActorTestKit.create("CassandraSchemaTest", config);
    session = LocalCassandra.session(testKit);
    await(session.executeDDL("CREATE KEYSPACE " + KEYSPACE
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
  }

  @AfterAll
  static void dropKeyspace() {
    LocalCassandra.dropAndShutDown(session, testKit, KEYSPACE);
  }

  @Test
  void refusesRunChangesNotClusteredByOutcome() {
    await(session.executeDDL("CREATE TABLE " + KEYSPACE + ".snapshot_versions (tenant_id text, object_type text,"
        + " object_id text, version_id timeuuid, state_deflated blob,"
        + " PRIMARY KEY ((tenant_id, object_type, object_id), version_id))"));
    await(session.executeDDL("CREATE TABLE " + KEYSPACE + ".snapshot_run_changes (tenant_id text, run_id text,"
        + " object_type text, object_id text, version_id timeuuid, outcome text,"
        + " PRIMARY KEY ((tenant_id, run_id), object_type, object_id, version_id))"));

    try {
      CassandraSchema.requireCurrentSnapshotFormat(session, KEYSPACE).toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      fail("a keyspace of the older layout was accepted");
    } catch (ExecutionException e) {
      String message = e.getCause().getMessage();
      assertTrue(message.contains("run changes not clustered by outcome") && message.contains("drop the keyspace"),
          message);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }
}
