package io.entrabackup.protocol.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The tenant entity's persisted events: a schema. Add fields compatibly (optional, with a default);
 * never reuse a name for a new meaning; anything else goes through a {@code JacksonMigration}.
 */
public final class TenantEvents {

  private TenantEvents() {}

  /** Tag on every tenant event, so read models can follow all tenants through one query. */
  public static final String TAG = "tenant";

  /** Every event after registration carries the owning account too, so read models need no lookup. */
  public sealed interface Event extends CborSerializable
      permits TenantRegistered, ConsentRequested, TenantAuthorized, AuthorizationRefused, AuthorizationLost {
    TenantId tenantId();
  }

  public record TenantRegistered(
      TenantId tenantId,
      AccountId account,
      String displayName,
      Optional<String> entraTenant,
      Instant registeredAt)
      implements Event {}

  /** Activate Backup was pressed; the admin-consent round trip carries {@code nonce} in its state. */
  public record ConsentRequested(
      TenantId tenantId,
      String nonce,
      boolean immediateBackup,
      Duration frequency,
      Instant requestedAt,
      Instant expiresAt)
      implements Event {}

  /**
   * Consent given and confirmed by reading {@code /organization}. {@code nextBackupAt} is now when
   * an immediate backup was chosen, else the tenant's next slot in its schedule.
   */
  public record TenantAuthorized(
      TenantId tenantId,
      AccountId account,
      String entraTenantId,
      String organizationName,
      List<String> verifiedDomains,
      Duration frequency,
      boolean immediateBackup,
      Instant authorizedAt,
      Instant nextBackupAt)
      implements Event {}

  public record AuthorizationRefused(TenantId tenantId, AccountId account, String error, String description, Instant refusedAt)
      implements Event {}

  public record AuthorizationLost(TenantId tenantId, AccountId account, String reason, Instant lostAt) implements Event {}
}
