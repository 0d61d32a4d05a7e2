package io.entrabackup.cluster.tenant;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The {@code entra-backup.tenant} section: how long anyone waits for a tenant entity to answer an ask, how many
 * restores may wait in one tenant's queue, and how many tenants one account may register (http-api/LIMITS.md).
 */
public record TenantSettings(Duration askTimeout, int maxQueuedRestores, int maxTenantsPerAccount,
    Duration unusedSlotGrace) {

  public static TenantSettings create(Config root) {
    Config c = root.getConfig("entra-backup.tenant");
    return new TenantSettings(c.getDuration("ask-timeout"), Math.max(1, c.getInt("max-queued-restores")),
        Math.max(1, c.getInt("max-tenants-per-account")), c.getDuration("unused-slot-grace"));
  }

  public static TenantSettings create(ActorSystem<?> system) {
    return create(system.settings().config());
  }
}
