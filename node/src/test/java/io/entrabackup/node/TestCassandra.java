package io.entrabackup.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.testing.KeyspaceStock;
import io.entrabackup.cluster.store.SchemaCommand;
import io.entrabackup.testing.SchemaDdl;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real local Cassandra, as the integration tests use it: fails the test class at once with the
 * command to run when none answers, and gives each class a keyspace of its own, dropped afterwards. By default the
 * keyspace already holds the whole schema, emptied after the class before used it ({@link KeyspaceStock}); a class that tests
 * how the schema is made asks for an empty one ({@link #withoutSchema()}).
 */
public final class TestCassandra implements BeforeAllCallback, AfterAllCallback {

  private static final String HOST = System.getenv().getOrDefault("CASSANDRA_HOST", "127.0.0.1");
  private static final int PORT = Integer.parseInt(System.getenv().getOrDefault("CASSANDRA_PORT", "9042"));

  private static final KeyspaceStock STOCK = new KeyspaceStock("it", TestCassandra::createSchema,
      keyspace -> SchemaDdl.truncateAll(HOST, PORT, keyspace),
      keyspace -> SchemaDdl.drop(HOST, PORT, keyspace));

  private final boolean fromStock;
  private String keyspace;
  private CqlSession session;

  /** A keyspace with the whole schema in place. */
  public TestCassandra() {
    this(true);
  }

  private TestCassandra(boolean fromStock) {
    this.fromStock = fromStock;
    this.keyspace = fromStock ? null : "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  /** A keyspace that does not exist yet: the node or the schema command makes it. */
  public static TestCassandra withoutSchema() {
    return new TestCassandra(false);
  }

  private static void createSchema(String keyspace) {
    var out = new java.io.ByteArrayOutputStream();
    var print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
    if (SchemaCommand.run(nodeConfig(keyspace, HOST + ":" + PORT), print, print) != 0) {
      throw new IllegalStateException("schema of " + keyspace + " not made: " + out);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (fromStock) {
      keyspace = STOCK.take();
    }
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
      session.close();
    }
    if (keyspace != null) {
      STOCK.giveBack(keyspace);
    }
  }

  public String keyspace() {
    if (keyspace == null) {
      throw new IllegalStateException("the keyspace is chosen when the test class starts (register TestCassandra)");
    }
    return keyspace;
  }

  /** A node's configuration for this class: its own keyspace, ephemeral ports, the local Cassandra. */
  public Config nodeConfig() {
    return nodeConfig(HOST + ":" + PORT);
  }

  /** As {@link #nodeConfig()}, but reaching Cassandra at the given address. */
  public Config nodeConfig(String contactPoint) {
    return nodeConfig(keyspace(), contactPoint);
  }

  private static Config nodeConfig(String keyspace, String contactPoint) {
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
        "datastax-java-driver.basic.contact-points = [\"" + contactPoint + "\"]",
        io.entrabackup.testing.TestMasterKey.SETTING));
    ConfigFactory.invalidateCaches();
    return ConfigFactory.load(overrides.withFallback(ConfigFactory.defaultApplication()));
  }

  static Duration startTimeout() {
    return Duration.ofSeconds(60);
  }
}
