package io.entrabackup.node.ops;

import io.entrabackup.cluster.health.NodeHealth;
import io.entrabackup.protocol.api.Health;

/** The one rule both health surfaces apply to a {@link Health}: up means 200, anything else 503. */
final class HealthStatus {

  private HealthStatus() {}

  /** As {@code HealthRoutes} decides between 200 and 503. */
  static boolean isUp(Health health) {
    return NodeHealth.UP.equals(health.status());
  }
}
