package io.entrabackup.cluster.restore;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Settings of restores ({@code entra-backup.restore}).
 *
 * @param maxAttempts attempts at one Graph request that Graph throttles (429) or finds unavailable (503/504), after the
 *     SDK's own retries; Retry-After is always waited for
 * @param minBackoff first wait between our attempts when Graph gives no Retry-After (doubled each time)
 * @param maxBackoff longest wait between our attempts unless Graph's Retry-After asks for longer
 * @param sdkMaxRetries retries of the Graph SDK's retry handler inside one attempt
 * @param groupScanParallelism group snapshots read at once while finding a user's memberships at a version
 */
public record RestoreSettings(int maxAttempts, Duration minBackoff, Duration maxBackoff, int sdkMaxRetries,
    int groupScanParallelism) {

  public static final String PATH = "entra-backup.restore";

  public RestoreSettings {
    if (maxAttempts < 1 || sdkMaxRetries < 0 || sdkMaxRetries > 10 || groupScanParallelism < 1) {
      throw new IllegalArgumentException(PATH + ": max-attempts and group-scan-parallelism must be >= 1, "
          + "sdk-max-retries 0-10");
    }
    if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException(PATH + ": min-backoff must be >= 0 and <= max-backoff");
    }
  }

  public static RestoreSettings create(Config root) {
    Config c = root.getConfig(PATH);
    return new RestoreSettings(c.getInt("max-attempts"), c.getDuration("min-backoff"), c.getDuration("max-backoff"),
        c.getInt("sdk-max-retries"), c.getInt("group-scan-parallelism"));
  }
}
