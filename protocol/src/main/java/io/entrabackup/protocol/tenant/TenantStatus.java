package io.entrabackup.protocol.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a tenant stands with Microsoft: whether we may back it up. */
public enum TenantStatus {
  /** Registered by the operator; no tenant admin has consented yet. */
  @JsonProperty("pending_authorization")
  PENDING_AUTHORIZATION
}
