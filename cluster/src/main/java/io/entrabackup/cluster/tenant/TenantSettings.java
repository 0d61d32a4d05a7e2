package io.entrabackup.cluster.tenant;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;

/** The {@code entra-backup.tenant} section: how long anyone waits for a tenant entity to answer an ask. */
public record TenantSettings(Duration askTimeout) {

  public static TenantSettings create(Config root) {
    return new TenantSettings(root.getConfig("entra-backup.tenant").getDuration("ask-timeout"));
  }

  public static TenantSettings create(ActorSystem<?> system) {
    return create(system.settings().config());
  }
}
