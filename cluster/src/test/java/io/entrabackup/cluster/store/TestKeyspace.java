package io.entrabackup.cluster.store;

import com.typesafe.config.Config;
import io.entrabackup.testing.KeyspaceStock;
import io.entrabackup.testing.SchemaDdl;
import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A keyspace of its own on the local Cassandra for one test class ({@code @RegisterExtension static}), with the
 * node's Cassandra session in a test kit; the keyspace is dropped and the kit stopped after the class. It holds either
 * every table of the node or none (the class makes what it needs).
 */
public final class TestKeyspace implements BeforeAllCallback, AfterAllCallback {

  /** DDL on a busy shared Cassandra waits for schema agreement, which takes a while. */
  private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(120);

  /** Keyspaces with our tables, emptied and handed on from class to class (made outside the class's test kit). */
  private static final KeyspaceStock STOCK = new KeyspaceStock("readside",
      keyspace -> SchemaDdl.createReadSide("127.0.0.1", 9042, keyspace),
      keyspace -> SchemaDdl.truncateAll("127.0.0.1", 9042, keyspace),
      keyspace -> SchemaDdl.drop("127.0.0.1", 9042, keyspace));

  private String keyspace;
  private final boolean nodeSchema;
  private Config config;
  private ActorTestKit testKit;
  private CassandraSession session;

  private TestKeyspace(String prefix, boolean nodeSchema) {
    // A keyspace with our tables comes from the stock when the class starts.
    this.keyspace = nodeSchema ? null : prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    this.nodeSchema = nodeSchema;
  }

  /** A keyspace with every table of the node (read models, snapshots, downloads). */
  public static TestKeyspace withNodeSchema(String prefix) {
    return new TestKeyspace(prefix, true);
  }

  /** An empty keyspace. */
  public static TestKeyspace empty(String prefix) {
    return new TestKeyspace(prefix, false);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (nodeSchema) {
      keyspace = STOCK.take();
    }
    config = LocalCassandra.config(keyspace);
    testKit = ActorTestKit.create(context.getRequiredTestClass().getSimpleName(), config);
    session = LocalCassandra.session(testKit);
    if (!nodeSchema) {
      LocalCassandra.await(session.executeDDL("CREATE KEYSPACE " + keyspace
          + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"), SCHEMA_TIMEOUT);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (nodeSchema) {
      LocalCassandra.dropAndShutDown(null, testKit, keyspace);
      STOCK.giveBack(keyspace);
    } else {
      LocalCassandra.dropAndShutDown(session, testKit, keyspace);
    }
  }

  public String keyspace() {
    return keyspace;
  }

  public Config config() {
    return config;
  }

  public ActorTestKit testKit() {
    return testKit;
  }

  public CassandraSession session() {
    return session;
  }
}
