package io.entrabackup.cluster.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the keyspace is at the schema version this build expects ({@link SchemaDefinition#expectedVersion()}),
 * every table of a {@link SchemaDefinition} exists, every column our CQL adds is there, and the Cassandra nodes agree on
 * the schema; then checks the snapshot tables' layout. Fails at once, without waiting, when the keyspace is at a newer
 * version than the build knows or an applied migration changed since ({@link SchemaRefusedException}). A node passes it before it joins the Pekko
 * cluster and before it starts projections, so no entity, shard or projection ever runs against a table its Cassandra
 * coordinator does not know yet. It says in the log what it still waits for, at once and then every 15 s.
 */
public final class SchemaGate {

  private static final Logger log = LoggerFactory.getLogger(SchemaGate.class);

  private static final Duration POLL = Duration.ofSeconds(2);
  /** One look at system_schema; longer means Cassandra does not answer (the driver keeps reconnecting). */
  private static final Duration LOOK_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration REPEAT_LOG = Duration.ofSeconds(15);

  private final ActorSystem<?> system;
  private final CassandraSession session;
  private final SchemaDefinition schema;
  private final String madeBy;
  private Instant lastSaidAt = Instant.MIN;

  /** @param madeBy who creates the schema, for the log ("this node", "deploy/schema", the first seed node) */
  public SchemaGate(ActorSystem<?> system, CassandraSession session, SchemaDefinition schema, String madeBy) {
    this.system = system;
    this.session = session;
    this.schema = schema;
    this.madeBy = madeBy;
  }

  /** Completes once the schema is in place and agreed; waits as long as that takes. */
  public CompletionStage<Done> awaitReady() {
    return awaitReady(Instant.MAX);
  }

  /** As {@link #awaitReady()}, failing with what is still missing once {@code max} has passed. */
  public CompletionStage<Done> awaitReady(Duration max) {
    return awaitReady(Instant.now().plus(max));
  }

  private CompletionStage<Done> awaitReady(Instant deadline) {
    return missing().thenCompose(missing -> {
      if (missing.isEmpty()) {
        return requireCurrentLayout().thenApply(done -> {
          log.info("Cassandra schema in place and agreed at version {}: {} tables in keyspace(s) {}",
              schema.expectedVersion(), schema.tables().size(), String.join(", ", schema.keyspaces()));
          return done;
        });
      }
      if (Instant.now().isAfter(deadline)) {
        return CompletableFuture.failedFuture(new IllegalStateException("Cassandra schema not ready: "
            + missing.get()));
      }
      say(missing.get());
      return Patterns.after(POLL, system, () -> awaitReady(deadline));
    });
  }

  /**
   * What is still missing, in words; empty once the schema is ready. Fails with {@link SchemaRefusedException} when
   * this build must not run on the keyspace at all (waiting cannot fix it).
   */
  private CompletionStage<Optional<String>> missing() {
    return session.underlying()
        .thenCompose(cql -> SchemaState.read(cql, schema))
        .toCompletableFuture()
        .orTimeout(LOOK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(state -> {
          if (state.refusal().isPresent()) {
            throw new SchemaRefusedException(state.refusal().get());
          }
          return state.ready() ? Optional.<String>empty() : Optional.of(state.describe());
        })
        .exceptionally(error -> {
          if (error.getCause() instanceof SchemaRefusedException refused) {
            throw refused;
          }
          return Optional.of("Cassandra does not answer (" + rootMessage(error) + ")");
        });
  }

  /** The first time, then at most every {@link #REPEAT_LOG}: tables appear one by one while the schema is made. */
  private void say(String state) {
    Instant now = Instant.now();
    if (lastSaidAt.plus(REPEAT_LOG).isBefore(now)) {
      log.info("Waiting for the Cassandra schema (made by {}) before joining the cluster and starting projections: {}",
          madeBy, state);
      lastSaidAt = now;
    }
  }

  private CompletionStage<Done> requireCurrentLayout() {
    CompletionStage<Done> result = CompletableFuture.completedFuture(Done.getInstance());
    for (String keyspace : schema.keyspaces()) {
      if (schema.tables().contains(keyspace + ".snapshot_versions")) {
        result = result.thenCompose(done -> CassandraSchema.requireCurrentSnapshotFormat(session, keyspace));
      }
    }
    return result;
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
