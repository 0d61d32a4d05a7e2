package io.entrabackup.cluster.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/** The cluster module's tests against the real local Cassandra (deploy/cassandra start): config, session, waiting. */
public final class LocalCassandra {

  private LocalCassandra() {}

  /** The node's configuration pointed at the local Cassandra and at {@code keyspace}. */
  public static Config config(String keyspace) {
    return ConfigFactory.parseString(String.join("\n",
            "entra-backup.cassandra.keyspace = " + keyspace,
            "datastax-java-driver.basic.contact-points = [\"127.0.0.1:9042\"]",
            "datastax-java-driver.basic.load-balancing-policy.local-datacenter = \"datacenter1\"",
            "datastax-java-driver.basic.request.timeout = 10s",
            "datastax-java-driver.advanced.connection.init-query-timeout = 10s",
            io.entrabackup.testing.TestMasterKey.SETTING))
        .withFallback(ConfigFactory.load());
  }

  /** The node's Cassandra session in a test kit started with {@link #config}. */
  public static CassandraSession session(ActorTestKit testKit) {
    return CassandraSessionRegistry.get(testKit.system())
        .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
  }

  /** The stage's value, or an AssertionError once {@code timeout} has passed or it failed. */
  public static <T> T await(CompletionStage<T> stage, Duration timeout) {
    try {
      return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Drops the test's keyspace and stops its test kit (either may be missing when the set-up failed). */
  public static void dropAndShutDown(CassandraSession session, ActorTestKit testKit, String keyspace) {
    if (session != null) {
      await(session.executeDDL("DROP KEYSPACE IF EXISTS " + keyspace), Duration.ofMinutes(2));
    }
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
  }
}
