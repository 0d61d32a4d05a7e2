package io.entrabackup.cluster.store;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
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
    Config config = ConfigFactory.parseString(String.join("\n",
            "datastax-java-driver.basic.contact-points = [\"127.0.0.1:9042\"]",
            "datastax-java-driver.basic.load-balancing-policy.local-datacenter = \"datacenter1\"",
            "datastax-java-driver.basic.request.timeout = 10s"))
        .withFallback(ConfigFactory.load());
    testKit = ActorTestKit.create("CassandraSchemaTest", config);
    session = CassandraSessionRegistry.get(testKit.system())
        .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
    await(session.executeDDL("CREATE KEYSPACE " + KEYSPACE
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"));
  }

  @AfterAll
  static void dropKeyspace() {
    if (session != null) {
      await(session.executeDDL("DROP KEYSPACE IF EXISTS " + KEYSPACE));
    }
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
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
    try {
      return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
