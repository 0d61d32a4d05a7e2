package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * When a tenant's scheduled backups fall: every {@code frequency}, at a stable offset derived from
 * the tenant id, so thousands of tenants spread over the day instead of all starting at midnight, and
 * a tenant keeps its slot across restarts and nodes.
 */
final class BackupSchedule {

  private BackupSchedule() {}

  /** The tenant's first slot strictly after {@code after}. */
  static Instant nextSlot(TenantId tenantId, Duration frequency, Instant after) {
    long period = frequency.toMillis();
    long offset = Math.floorMod(UUID.fromString(tenantId.value()).getLeastSignificantBits(), period);
    long sinceFirstSlot = after.toEpochMilli() - offset;
    long next = offset + (Math.floorDiv(sinceFirstSlot, period) + 1) * period;
    return Instant.ofEpochMilli(next);
  }
}
