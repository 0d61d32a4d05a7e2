package io.entrabackup.node.ops;

import io.entrabackup.http.health.HealthCheck;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Pekko Management's readiness check ({@code GET /ready} on the management port, management.conf): ready exactly
 * when {@code /health/ready} says "up" (Cassandra answers, the schema is ready, this node is Up in the cluster),
 * because it asks the same {@link HealthCheck} through {@link NodeHealthRegistry}.
 */
public final class ReadinessCheck implements Supplier<CompletionStage<Boolean>> {

  private final NodeHealthRegistry registry;

  /** Pekko Management instantiates checks with the (classic) actor system. */
  public ReadinessCheck(ActorSystem system) {
    this.registry = NodeHealthRegistry.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    // No node registered: nothing vouches for this process, so it gets no traffic.
    return registry.health()
        // A check that fails is a "no" (503), as from Pekko's own check failure, without its error text.
        .map(health -> health.ready().thenApply(HealthStatus::isUp).exceptionally(error -> false))
        .orElseGet(() -> CompletableFuture.completedFuture(false));
  }
}
