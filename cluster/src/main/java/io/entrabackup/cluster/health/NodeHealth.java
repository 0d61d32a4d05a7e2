package io.entrabackup.cluster.health;

import io.entrabackup.protocol.api.Health;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node can serve: alive as a process, and ready when Cassandra answers a query and the
 * node is {@code Up} in the cluster (a joining or leaving node must not get traffic).
 */
public final class NodeHealth {

  private static final Logger log = LoggerFactory.getLogger(NodeHealth.class);

  public static final String UP = "up";
  public static final String DOWN = "down";

  private final ActorSystem<?> system;
  private final CassandraSession session;
  private final Duration cassandraTimeout;
  private final CompletionStage<?> schemaReady;
  private final AtomicReference<String> lastCassandraFailure = new AtomicReference<>();

  /** @param schemaReady completes when our tables exist and the node's start-up writes are done */
  public NodeHealth(ActorSystem<?> system, CassandraSession session, Duration cassandraTimeout,
      CompletionStage<?> schemaReady) {
    this.system = system;
    this.session = session;
    this.cassandraTimeout = cassandraTimeout;
    this.schemaReady = schemaReady;
  }

  public Health live() {
    return new Health(UP, Map.of());
  }

  public CompletionStage<Health> ready() {
    String membership = Cluster.get(system).selfMember().status().toString();
    boolean memberUp = Cluster.get(system).selfMember().status() == MemberStatus.up();
    return cassandraCheck()
        .thenApply(
            cassandra -> {
              Map<String, String> checks = new LinkedHashMap<>();
              checks.put("cassandra", cassandra);
              checks.put("cluster", membership);
              boolean schema = schemaReady.toCompletableFuture().isDone()
                  && !schemaReady.toCompletableFuture().isCompletedExceptionally();
              checks.put("schema", schema ? UP : "pending");
              boolean ready = memberUp && UP.equals(cassandra) && schema;
              return new Health(ready ? UP : DOWN, checks);
            });
  }

  /**
   * "up" or "down", nothing more: readiness is unauthenticated, so Cassandra's own error text (addresses, driver
   * internals) goes to this node's log, once per change of reason rather than once per probe.
   */
  private CompletionStage<String> cassandraCheck() {
    return session
        .selectOne("SELECT release_version FROM system.local")
        .toCompletableFuture()
        .orTimeout(cassandraTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(row -> {
          if (lastCassandraFailure.getAndSet(null) != null) {
            log.info("Readiness: Cassandra answers again");
          }
          return UP;
        })
        .exceptionally(error -> {
          String reason = rootMessage(error);
          if (!reason.equals(lastCassandraFailure.getAndSet(reason))) {
            log.warn("Readiness: Cassandra check failed: {}", reason);
          }
          return DOWN;
        });
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : " " + cause.getMessage());
  }

}
