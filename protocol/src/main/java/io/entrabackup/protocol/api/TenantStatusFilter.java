package io.entrabackup.protocol.api;

import io.entrabackup.protocol.tenant.LastBackup;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.util.Arrays;
import java.util.Optional;

/** The groups the tenant list can be narrowed to ({@code status} of {@code GET /tenants}). */
public enum TenantStatusFilter {
  /** Consent is held: backups run (whatever the last one's outcome). */
  AUTHORIZED("authorized"),
  /** Consent lost or refused, a disputed directory, or the last backup failed: the operator has something to do. */
  NEEDS_ATTENTION("needs_attention"),
  /** Registered, waiting for a tenant admin's consent. */
  PENDING("pending");

  private final String apiName;

  TenantStatusFilter(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  public static Optional<TenantStatusFilter> fromApiName(String text) {
    return Arrays.stream(values()).filter(filter -> filter.apiName.equals(text)).findFirst();
  }

  public static String choices() {
    return String.join(", ", Arrays.stream(values()).map(TenantStatusFilter::apiName).toList());
  }

  public boolean matches(TenantView tenant) {
    return switch (this) {
      case AUTHORIZED -> tenant.status() == TenantStatus.AUTHORIZED;
      case NEEDS_ATTENTION -> needsAttention(tenant);
      case PENDING -> tenant.status() == TenantStatus.PENDING_AUTHORIZATION;
    };
  }

  /** Lost or refused consent, a disputed directory, or a last backup that failed. */
  public static boolean needsAttention(TenantView tenant) {
    return tenant.status() == TenantStatus.AUTHORIZATION_LOST
        || tenant.status() == TenantStatus.DIRECTORY_DISPUTED
        || tenant.status() == TenantStatus.AUTHORIZATION_REFUSED
        || tenant.lastBackup().filter(last -> last.result() == LastBackup.Result.FAILED).isPresent();
  }
}
