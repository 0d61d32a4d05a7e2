package io.entrabackup.cluster.graph.read;

import com.typesafe.config.Config;
import io.entrabackup.cluster.graph.http.RetryPolicy;
import java.time.Duration;

/**
 * Settings of backup reads ({@code entra-backup.graph.delta}, named when every read was a delta query). The section's
 * pacing keys ({@code requests-per-second-per-tenant}, {@code max-concurrent-requests-per-node}) hold for every Graph
 * request and are read by {@link io.entrabackup.cluster.graph.http.GraphHttpSettings}.
 *
 * @param maxPageRetries retries of one page (a page is attempted at most {@code 1 + maxPageRetries} times, in all)
 * @param minBackoff shortest wait before a retry (jittered upwards, never below a Retry-After)
 * @param maxBackoff longest wait between retries we choose (a longer Retry-After from Graph still wins)
 * @param maxPageSize the page size asked for with {@code Prefer: odata.maxpagesize} (Graph may send fewer)
 */
public record ReadSettings(int maxPageRetries, Duration minBackoff, Duration maxBackoff, int maxPageSize) {
  public static final String PATH = "entra-backup.graph.delta";

  public ReadSettings {
    if (maxPageRetries < 0) {
      throw new IllegalArgumentException(PATH + ".max-page-retries must be >= 0");
    }
    if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException(PATH + ": min-backoff must be >= 0 and <= max-backoff");
    }
    if (maxPageSize < 1 || maxPageSize > 999) {
      throw new IllegalArgumentException(PATH + ".max-page-size must be 1-999");
    }
  }

  /** Reads {@code entra-backup.graph.delta} from the root configuration. */
  public static ReadSettings create(Config root) {
    Config c = root.getConfig(PATH);
    return new ReadSettings(c.getInt("max-page-retries"), c.getDuration("min-backoff"), c.getDuration("max-backoff"),
        c.getInt("max-page-size"));
  }

  /** The retry budget of one page. */
  public RetryPolicy retryPolicy() {
    return new RetryPolicy(1 + maxPageRetries, minBackoff, maxBackoff);
  }
}
