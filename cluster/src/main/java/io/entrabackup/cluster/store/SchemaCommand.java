package io.entrabackup.cluster.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * {@code Main schema [migrate|status]} ({@code deploy/schema}), configured as the nodes are (keyspace, replication,
 * contact points).
 *
 * <p>{@code migrate} (the default) applies every pending migration in order under the schema lock, waits until the
 * Cassandra nodes agree, prints what it did and exits 0; running it again applies nothing. {@code status} changes
 * nothing: it prints every migration this build knows, applied (when, by whom, how long) or pending, and the version the
 * build expects. Run migrate before the first node starts and after every upgrade; nodes run with
 * {@code create-schema = off} and wait for it.
 *
 * <p>Exit status: {@value #OK} done / at the expected version; {@value #FAILED} failed (Cassandra unreachable, no
 * agreement in time, a statement failed: the reason is printed); {@value #USAGE} usage; {@value #PENDING} (status only)
 * migrations pending; {@value #REFUSED} refused: an applied migration changed since, or the keyspace is at a newer
 * version than this build (nothing was changed).
 */
public final class SchemaCommand {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int PENDING = 3;
  public static final int REFUSED = 4;

  /** Until the Cassandra nodes agree on the schema after the last statement. */
  private static final Duration AGREEMENT_TIMEOUT = Duration.ofMinutes(2);
  /** The whole run: one statement may take a minute on a busy cluster; there are about fifty. */
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);
  private static final DateTimeFormatter AT = DateTimeFormatter.ISO_INSTANT;

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

  /** {@code migrate} with the node's configuration; answers its exit status. */
  public static int run(Config nodeConfig, PrintStream out, PrintStream err) {
    return run("migrate", nodeConfig, out, err);
  }

  /** {@code command} ("migrate" or "status") with the node's configuration and migrations; answers its exit status. */
  public static int run(String command, Config nodeConfig, PrintStream out, PrintStream err) {
    return run(command, nodeConfig, MigrationCatalog.node(), out, err);
  }

  /** As {@link #run(String, Config, PrintStream, PrintStream)} with other migrations (tests: another build). */
  public static int run(String command, Config nodeConfig, MigrationCatalog catalog, PrintStream out,
      PrintStream err) {
    if (!command.equals("migrate") && !command.equals("status")) {
      err.println("usage: schema [migrate|status]");
      return USAGE;
    }
    Config config = CassandraSecurity.applyTo(COMMAND.withFallback(nodeConfig));
    CassandraSettings settings = CassandraSettings.create(config.getConfig("entra-backup.cassandra"));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "entra-backup-schema", config);
    try {
      var session = CassandraSessionRegistry.get(system)
          .sessionFor(CassandraSessionSettings.create(CassandraSettings.SESSION_CONFIG_PATH));
      SchemaDefinition schema = SchemaDefinition.of(system, settings, catalog);
      out.println("schema: keyspace " + settings.keyspace() + " (replication " + settings.replicationCql() + "), "
          + schema.tables().size() + " tables, Cassandra at "
          + config.getStringList("datastax-java-driver.basic.contact-points"));
      out.println("schema: this build expects version " + schema.expectedVersion());
      if (command.equals("status")) {
        SchemaState state = session.underlying().thenCompose(cql -> SchemaState.read(cql, schema))
            .toCompletableFuture().get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return status(schema, state, out, err);
      }
      SchemaReport report = SchemaMigration.run(system, session, schema, "deploy/schema")
          .thenCompose(done -> new SchemaGate(system, session, schema, "deploy/schema").awaitReady(AGREEMENT_TIMEOUT)
              .thenApply(ready -> done))
          .toCompletableFuture().get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      report.lines().forEach(line -> out.println("schema: " + line));
      return OK;
    } catch (ExecutionException e) {
      if (SchemaRefusedException.in(e.getCause()).isPresent()) {
        err.println("schema: refused, nothing changed: " + rootMessage(e.getCause()));
        return REFUSED;
      }
      err.println("schema: not created: " + rootMessage(e.getCause()));
      return FAILED;
    } catch (TimeoutException e) {
      err.println("schema: not done within " + RUN_TIMEOUT.toMinutes() + " minutes; run it again (it is idempotent)");
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("schema: interrupted");
      return FAILED;
    } finally {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Exiting anyway.
      }
    }
  }

  /** Prints every migration, applied or pending; answers the exit status. */
  private static int status(SchemaDefinition schema, SchemaState state, PrintStream out, PrintStream err) {
    Map<Integer, AppliedMigration> applied = new HashMap<>();
    state.applied().forEach(row -> applied.put(row.version(), row));
    int width = schema.catalog().migrations().stream().mapToInt(migration -> migration.label().length()).max()
        .orElse(0);
    for (Migration migration : schema.catalog().migrations()) {
      AppliedMigration row = applied.remove(migration.version());
      String label = String.format("%-" + width + "s", migration.label());
      out.println("schema: " + label + "  " + (row == null ? "pending"
          : row.how() + " " + AT.format(row.appliedAt()) + " by " + row.appliedBy()
              + String.format(Locale.ROOT, " in %.1f s", row.took().toMillis() / 1000.0)));
    }
    applied.values().forEach(row -> out.println("schema: " + Migration.label(row.version()) + " "
        + row.description() + "  applied " + AT.format(row.appliedAt()) + " by " + row.appliedBy()
        + ", unknown to this build"));
    if (state.refusal().isPresent()) {
      err.println("schema: refused: " + state.refusal().get());
      return REFUSED;
    }
    int pending = schema.catalog().pending(state.applied()).size();
    if (pending > 0) {
      out.println("schema: keyspace at version " + state.version() + (state.applied().isEmpty()
          && !state.existingTables().isEmpty() ? " (made before versioned migrations: migrate recognises it as"
          + " version 1)" : "") + ", " + pending + " migration(s) pending: run deploy/schema migrate");
      return PENDING;
    }
    if (!state.ready()) {
      out.println("schema: keyspace at version " + state.version() + ", but: " + state.describe());
      return PENDING;
    }
    out.println("schema: keyspace at version " + state.version() + ", as this build expects: all "
        + schema.tables().size() + " tables in place and agreed");
    return OK;
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
