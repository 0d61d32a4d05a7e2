package io.entrabackup.cluster.graph.http;

import com.typesafe.config.Config;

/**
 * What {@link GraphHttp} shares across every Graph request of a node, read from {@code entra-backup.graph}. The pacing
 * keys keep their historic place under {@code delta} (they were the backup reader's) but now hold for every request.
 *
 * @param requestsPerSecondPerTenant {@code delta.requests-per-second-per-tenant}: request starts per second of one
 *     tenant (see {@link TenantRequestGate})
 * @param maxConcurrentRequestsPerNode {@code delta.max-concurrent-requests-per-node}: requests in flight on the node
 *     across tenants
 * @param consentCheck {@code consent-check.*}: the retry budget of reading a tenant's organization (the consent check)
 */
public record GraphHttpSettings(double requestsPerSecondPerTenant, int maxConcurrentRequestsPerNode,
    RetryPolicy consentCheck) {

  public GraphHttpSettings {
    if (!(requestsPerSecondPerTenant > 0)) {
      throw new IllegalArgumentException("entra-backup.graph.delta.requests-per-second-per-tenant must be > 0");
    }
    if (maxConcurrentRequestsPerNode < 1) {
      throw new IllegalArgumentException("entra-backup.graph.delta.max-concurrent-requests-per-node must be >= 1");
    }
  }

  /** Reads the settings from the {@code entra-backup.graph} section. */
  public static GraphHttpSettings create(Config graphSection) {
    return new GraphHttpSettings(graphSection.getDouble("delta.requests-per-second-per-tenant"),
        graphSection.getInt("delta.max-concurrent-requests-per-node"),
        RetryPolicy.create(graphSection.getConfig("consent-check")));
  }
}
