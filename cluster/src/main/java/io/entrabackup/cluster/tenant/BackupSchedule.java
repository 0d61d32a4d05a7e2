package io.entrabackup.cluster.tenant;

import com.typesafe.config.Config;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.BackupFrequency;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * When a tenant's scheduled backups fall: every {@code frequency}, at a stable offset derived from
 * the tenant id, so thousands of tenants spread over the day instead of all starting at midnight, and
 * a tenant keeps its slot across restarts and nodes.
 *
 * <p>A daily frequency lasts {@code entra-backup.backup.daily-period}: a day in production, a few minutes where a check
 * or the benchmark needs every tenant's schedule to come round quickly.
 */
final class BackupSchedule {

  private final Duration dailyPeriod;

  BackupSchedule(Duration dailyPeriod) {
    this.dailyPeriod = dailyPeriod;
  }

  static BackupSchedule create(Config root) {
    return new BackupSchedule(root.getDuration("entra-backup.backup.daily-period"));
  }

  /** The tenant's first slot strictly after {@code after}, with a daily frequency lasting the configured period. */
  Instant next(TenantId tenantId, Duration frequency, Instant after) {
    return nextSlot(tenantId, frequency.equals(BackupFrequency.DAILY) ? dailyPeriod : frequency, after);
  }

  /** The tenant's first slot strictly after {@code after}. */
  static Instant nextSlot(TenantId tenantId, Duration frequency, Instant after) {
    long period = frequency.toMillis();
    long offset = Math.floorMod(UUID.fromString(tenantId.value()).getLeastSignificantBits(), period);
    long sinceFirstSlot = after.toEpochMilli() - offset;
    long next = offset + (Math.floorDiv(sinceFirstSlot, period) + 1) * period;
    return Instant.ofEpochMilli(next);
  }
}
