package io.entrabackup.cluster.store;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
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

  private final String keyspace;
  private final boolean nodeSchema;
  private Config config;
  private ActorTestKit testKit;
  private CassandraSession session;

  private TestKeyspace(String prefix, boolean nodeSchema) {
    this.keyspace = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
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
    config = LocalCassandra.config(keyspace);
    testKit = ActorTestKit.create(context.getRequiredTestClass().getSimpleName(), config);
    session = LocalCassandra.session(testKit);
    CompletionStage<?> schema = nodeSchema
        ? CassandraSchema.createIfNotExists(session, CassandraSettings.create(config.getConfig("entra-backup.cassandra")))
        : session.executeDDL("CREATE KEYSPACE " + keyspace
            + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    LocalCassandra.await(schema, SCHEMA_TIMEOUT);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LocalCassandra.dropAndShutDown(session, testKit, keyspace);
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
