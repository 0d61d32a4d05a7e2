package io.entrabackup.node.ops;

import io.entrabackup.http.health.HealthCheck;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

/**
 * The node's one health check, as {@code /health/ready} and {@code /health/live} answer from it, held by the actor
 * system so that Pekko Management's {@code /ready} and {@code /alive} (which instantiate their checks from
 * configuration, knowing only the actor system) answer from the very same object: a load balancer on the API port
 * and a Kubernetes probe on the management port see one truth.
 */
public final class NodeHealthRegistry implements Extension {

  private static final Id ID = new Id();

  private final AtomicReference<HealthCheck> health = new AtomicReference<>();

  private NodeHealthRegistry() {}

  public static NodeHealthRegistry get(ActorSystem system) {
    return ID.get(system);
  }

  /** Called once by the node before the management port opens; a second node in one actor system is a bug. */
  public void register(HealthCheck check) {
    if (!health.compareAndSet(null, check)) {
      throw new IllegalStateException("this actor system's node health is registered already");
    }
  }

  /** Empty until the node registered its health (it does before Pekko Management starts). */
  public Optional<HealthCheck> health() {
    return Optional.ofNullable(health.get());
  }

  private static final class Id extends AbstractExtensionId<NodeHealthRegistry> implements ExtensionIdProvider {
    @Override
    public NodeHealthRegistry createExtension(ExtendedActorSystem system) {
      return new NodeHealthRegistry();
    }

    @Override
    public Id lookup() {
      return ID;
    }
  }
}
