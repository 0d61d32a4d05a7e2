package io.entrabackup.protocol.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * The tenant entity's persisted events: a schema. Add fields compatibly (optional, with a default);
 * never reuse a name for a new meaning; anything else goes through a {@code JacksonMigration}.
 */
public final class TenantEvents {

  private TenantEvents() {}

  /** Tag on every tenant event, so read models can follow all tenants through one query. */
  public static final String TAG = "tenant";

  public sealed interface Event extends CborSerializable permits TenantRegistered {
    TenantId tenantId();
  }

  public record TenantRegistered(
      TenantId tenantId,
      AccountId account,
      String displayName,
      Optional<String> entraTenant,
      Instant registeredAt)
      implements Event {}
}
