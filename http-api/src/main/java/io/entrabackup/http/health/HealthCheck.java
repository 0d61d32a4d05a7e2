package io.entrabackup.http.health;

import io.entrabackup.protocol.api.Health;
import java.util.concurrent.CompletionStage;

/** The node's own view of its health, as the health routes report it. */
public interface HealthCheck {

  /** Whether the process runs; never touches a dependency, so a slow Cassandra cannot fail it. */
  Health live();

  /** Whether this node should get traffic: its dependencies answer and it is a full cluster member. */
  CompletionStage<Health> ready();
}
