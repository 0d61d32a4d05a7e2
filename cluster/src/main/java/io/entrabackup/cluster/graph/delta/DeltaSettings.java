package io.entrabackup.cluster.graph.delta;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of the delta reader ({@code entra-backup.graph.delta}).
 *
 * @param maxPageRetries how often a page is retried by us after the SDK's retry handler gave up (so a page is
 *     attempted at most {@code 1 + maxPageRetries} times)
 * @param minBackoff first wait before our retry (doubled each time, never below a Retry-After)
 * @param maxBackoff longest wait between our retries (unless Graph's Retry-After asks for longer)
 * @param requestsPerSecondPerTenant Graph requests per second of one tenant, across its rounds (see
 *     {@link TenantRequestGate})
 * @param maxPageSize the page size asked for with {@code Prefer: odata.maxpagesize} (Graph may send fewer)
 * @param maxConcurrentRequestsPerNode Graph page requests in flight at once on this node, across tenants
 * @param sdkMaxRetries retries of the Graph SDK's retry handler per attempt (429/503/504, honouring Retry-After)
 */
public record DeltaSettings(
    int maxPageRetries,
    Duration minBackoff,
    Duration maxBackoff,
    double requestsPerSecondPerTenant,
    int maxPageSize,
    int maxConcurrentRequestsPerNode,
    int sdkMaxRetries) {
  public static final String PATH = "entra-backup.graph.delta";

  public DeltaSettings {
    if (maxPageRetries < 0 || sdkMaxRetries < 0 || sdkMaxRetries > 10) {
      throw new IllegalArgumentException(PATH + ".max-page-retries must be >= 0 and sdk-max-retries 0-10");
    }
    if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException(PATH + ": min-backoff must be >= 0 and <= max-backoff");
    }
    if (!(requestsPerSecondPerTenant > 0)) {
      throw new IllegalArgumentException(PATH + ".requests-per-second-per-tenant must be > 0");
    }
    if (maxPageSize < 1 || maxPageSize > 999) {
      throw new IllegalArgumentException(PATH + ".max-page-size must be 1-999");
    }
    if (maxConcurrentRequestsPerNode < 1) {
      throw new IllegalArgumentException(PATH + ".max-concurrent-requests-per-node must be >= 1");
    }
  }

  /** The settings of the five-argument shape, node limit and SDK retries at their defaults (16 and 3). */
  public DeltaSettings(int maxPageRetries, Duration minBackoff, Duration maxBackoff, double requestsPerSecondPerTenant,
      int maxPageSize) {
    this(maxPageRetries, minBackoff, maxBackoff, requestsPerSecondPerTenant, maxPageSize, 16, 3);
  }

  /** Reads {@code entra-backup.graph.delta} from the root configuration. */
  public static DeltaSettings create(Config root) {
    Config c = root.getConfig(PATH);
    return new DeltaSettings(
        c.getInt("max-page-retries"),
        c.getDuration("min-backoff"),
        c.getDuration("max-backoff"),
        c.getDouble("requests-per-second-per-tenant"),
        c.getInt("max-page-size"),
        c.getInt("max-concurrent-requests-per-node"),
        c.getInt("sdk-max-retries"));
  }
}
