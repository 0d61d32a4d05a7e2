package io.entrabackup.protocol.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a tenant stands with Microsoft: whether we may back it up. */
public enum TenantStatus {
  /** Registered by the operator; no tenant admin has consented yet. */
  @JsonProperty("pending_authorization")
  PENDING_AUTHORIZATION,
  /** A tenant admin consented and we read the tenant's organization with an app-only token. */
  @JsonProperty("authorized")
  AUTHORIZED,
  /** The tenant admin declined consent; Microsoft's description is the status reason. */
  @JsonProperty("authorization_refused")
  AUTHORIZATION_REFUSED,
  /** Consent was revoked or tokens are refused; backups stop until the tenant is activated again. */
  @JsonProperty("authorization_lost")
  AUTHORIZATION_LOST,
  /**
   * Another tenant of this service was authorized for the same Microsoft directory before directory bindings existed
   * (cluster/CONSENT.md): no backup, download or restore until an administrator of the directory consents again for
   * the tenant that should hold it.
   */
  @JsonProperty("directory_disputed")
  DIRECTORY_DISPUTED
}
