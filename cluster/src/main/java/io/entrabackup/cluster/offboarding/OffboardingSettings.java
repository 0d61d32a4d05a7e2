package io.entrabackup.cluster.offboarding;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code entra-backup.offboarding} section: how long a deleted tenant can still be brought back, how soon a
 * failed purge is tried again, and how many deletes of one purge are in flight at once.
 */
public record OffboardingSettings(Duration gracePeriod, Duration retryDelay, int parallelism) {

  public static OffboardingSettings create(Config root) {
    Config c = root.getConfig("entra-backup.offboarding");
    return new OffboardingSettings(c.getDuration("grace-period"), c.getDuration("retry-delay"),
        Math.max(1, c.getInt("parallelism")));
  }
}
