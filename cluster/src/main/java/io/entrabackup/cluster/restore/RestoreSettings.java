package io.entrabackup.cluster.restore;

import com.typesafe.config.Config;
import io.entrabackup.cluster.graph.http.RetryPolicy;
import java.time.Duration;

/**
 * Settings of restores ({@code entra-backup.restore}).
 *
 * @param maxAttempts attempts at one Graph request of a restore, the first included (what is retried: cluster/GRAPH.md);
 *     Retry-After is always waited for
 * @param minBackoff shortest wait before a retry (jittered upwards, never below a Retry-After)
 * @param maxBackoff longest wait between attempts we choose (a longer Retry-After from Graph still wins)
 * @param groupScanParallelism group snapshots read at once while finding a user's memberships at a version
 */
public record RestoreSettings(int maxAttempts, Duration minBackoff, Duration maxBackoff, int groupScanParallelism) {

  public static final String PATH = "entra-backup.restore";

  public RestoreSettings {
    if (maxAttempts < 1 || groupScanParallelism < 1) {
      throw new IllegalArgumentException(PATH + ": max-attempts and group-scan-parallelism must be >= 1");
    }
    if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException(PATH + ": min-backoff must be >= 0 and <= max-backoff");
    }
  }

  public static RestoreSettings create(Config root) {
    Config c = root.getConfig(PATH);
    return new RestoreSettings(c.getInt("max-attempts"), c.getDuration("min-backoff"), c.getDuration("max-backoff"),
        c.getInt("group-scan-parallelism"));
  }

  /** The retry budget of one Graph request of a restore. */
  public RetryPolicy retryPolicy() {
    return new RetryPolicy(maxAttempts, minBackoff, maxBackoff);
  }
}
