package io.entrabackup.node.ops;

import io.entrabackup.http.health.HealthCheck;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Pekko Management's liveness check ({@code GET /alive} on the management port, management.conf): alive exactly when
 * {@code /health/live} says "up", from the same {@link HealthCheck} through {@link NodeHealthRegistry}. Like that
 * route it never touches Cassandra, so a slow database makes a node unready, never restarted.
 */
public final class LivenessCheck implements Supplier<CompletionStage<Boolean>> {

  private final NodeHealthRegistry registry;

  /** Pekko Management instantiates checks with the (classic) actor system. */
  public LivenessCheck(ActorSystem system) {
    this.registry = NodeHealthRegistry.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(
        registry.health().map(health -> HealthStatus.isUp(health.live())).orElse(false));
  }
}
