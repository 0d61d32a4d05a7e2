package io.entrabackup.cluster.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * {@code Main schema} ({@code deploy/schema}): creates or migrates the whole Cassandra schema once, configured as the
 * nodes are (keyspace, replication, contact points), waits until the Cassandra nodes agree on it, prints what it did
 * and exits 0. Running it again changes nothing. Exits 1 with the reason when Cassandra cannot be reached or the
 * schema is not agreed in time. Run it before the first node starts and after every upgrade; nodes run with
 * {@code create-schema = off} and wait for it.
 */
public final class SchemaCommand {

  /** Until the Cassandra nodes agree on the schema after the last statement. */
  private static final Duration AGREEMENT_TIMEOUT = Duration.ofMinutes(2);
  /** The whole run: one statement may take a minute on a busy cluster; there are about forty. */
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);

  /**
   * Only what the command needs: no cluster, no journal started (it would open its own session), and a Cassandra
   * that does not answer is an error at once instead of a reconnection loop.
   */
  private static final Config COMMAND = ConfigFactory.parseString(String.join("\n",
      "pekko.actor.provider = local",
      "pekko.extensions = []",
      "pekko.persistence.journal.auto-start-journals = []",
      "pekko.persistence.snapshot-store.auto-start-snapshot-stores = []",
      "pekko.coordinated-shutdown.exit-jvm = off",
      "pekko.loglevel = WARNING",
      "datastax-java-driver.advanced.reconnect-on-init = false"));

  private SchemaCommand() {}

  /** Runs the command with the node's configuration; answers its exit status. */
  public static int run(Config nodeConfig, PrintStream out, PrintStream err) {
    Config config = CassandraSecurity.applyTo(COMMAND.withFallback(nodeConfig));
    CassandraSettings settings = CassandraSettings.create(config.getConfig("entra-backup.cassandra"));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "entra-backup-schema", config);
    try {
      var session = CassandraSessionRegistry.get(system)
          .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
      SchemaDefinition schema = SchemaDefinition.of(system, settings);
      out.println("schema: keyspace " + settings.keyspace() + " (replication " + settings.replicationCql() + "), "
          + schema.tables().size() + " tables, Cassandra at "
          + config.getStringList("datastax-java-driver.basic.contact-points"));
      SchemaReport report = SchemaMigration.run(system, session, schema)
          .thenCompose(done -> new SchemaGate(system, session, schema, "deploy/schema").awaitReady(AGREEMENT_TIMEOUT)
              .thenApply(ready -> done))
          .toCompletableFuture().get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      report.lines().forEach(line -> out.println("schema: " + line));
      return 0;
    } catch (ExecutionException e) {
      err.println("schema: not created: " + rootMessage(e.getCause()));
      return 1;
    } catch (TimeoutException e) {
      err.println("schema: not done within " + RUN_TIMEOUT.toMinutes() + " minutes; run it again (it is idempotent)");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("schema: interrupted");
      return 1;
    } finally {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Exiting anyway.
      }
    }
  }

  /** The failure in words: past the future's wrappers, with the root cause when it says more. */
  private static String rootMessage(Throwable error) {
    Throwable failure = error;
    while (failure instanceof CompletionException && failure.getCause() != null) {
      failure = failure.getCause();
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(failure.getMessage());
    return root == failure || String.valueOf(root.getMessage()).equals(message) ? message
        : message + " (" + root.getMessage() + ")";
  }
}
