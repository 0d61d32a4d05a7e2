package io.entrabackup.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real local Cassandra, as the integration tests use it: fails the test class at once with the
 * command to run when none answers, and gives each class a keyspace of its own, dropped afterwards.
 */
public final class TestCassandra implements BeforeAllCallback, AfterAllCallback {

  private static final String HOST = System.getenv().getOrDefault("CASSANDRA_HOST", "127.0.0.1");
  private static final int PORT = Integer.parseInt(System.getenv().getOrDefault("CASSANDRA_PORT", "9042"));

  private final String keyspace = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private CqlSession session;

  @Override
  public void beforeAll(ExtensionContext context) {
    try {
      session = CqlSession.builder()
          .addContactPoint(new InetSocketAddress(HOST, PORT))
          .withLocalDatacenter("datacenter1")
          .build();
    } catch (RuntimeException e) {
      throw new IllegalStateException("No Cassandra answers at " + HOST + ":" + PORT
          + ". Run the tests with deploy/test, or start one with deploy/cassandra start.", e);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (session != null) {
      try {
        // Schema changes wait for the node to agree; on a busy machine that takes longer than a query's default.
        session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
            .setTimeout(Duration.ofSeconds(60)));
      } catch (DriverTimeoutException e) {
        // Leftover test data is not the test's failure; the keyspace name says what it was.
        System.err.println("TestCassandra: dropping " + keyspace + " timed out; drop it by hand if it matters");
      } finally {
        session.close();
      }
    }
  }

  public String keyspace() {
    return keyspace;
  }

  /** A node's configuration for this class: its own keyspace, ephemeral ports, the local Cassandra. */
  public Config nodeConfig() {
    return nodeConfig(HOST + ":" + PORT);
  }

  /** As {@link #nodeConfig()}, but reaching Cassandra at the given address. */
  public Config nodeConfig(String contactPoint) {
    Config overrides = ConfigFactory.parseString(String.join("\n",
        "entra-backup.cassandra.keyspace = " + keyspace,
        "entra-backup.http.port = 0",
        "entra-backup.auth.bootstrap-key = \"" + TestNode.BOOTSTRAP_KEY + "\"",
        "entra-backup.auth.signing-key = \"" + TestNode.SIGNING_KEY + "\"",
        // Tests that never reach Microsoft still need an app registration to start a node.
        "entra-backup.graph.client-id = \"" + TestNode.CLIENT_ID + "\"",
        "entra-backup.graph.client-secret = \"" + TestNode.CLIENT_SECRET + "\"",
        "pekko.remote.artery.canonical.port = 0",
        "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on",
        "pekko.management.http.port = 0",
        "datastax-java-driver.basic.contact-points = [\"" + contactPoint + "\"]"));
    ConfigFactory.invalidateCaches();
    return ConfigFactory.load(overrides.withFallback(ConfigFactory.defaultApplication()));
  }

  static Duration startTimeout() {
    return Duration.ofSeconds(60);
  }
}
