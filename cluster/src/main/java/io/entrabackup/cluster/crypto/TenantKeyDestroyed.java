package io.entrabackup.cluster.crypto;

/**
 * The tenant's data keys were destroyed (offboarding): whatever was encrypted for it can no longer be read, by design.
 * Not retriable.
 */
public final class TenantKeyDestroyed extends RuntimeException {

  private final String tenantId;

  public TenantKeyDestroyed(String tenantId) {
    super("the data keys of tenant " + tenantId + " were destroyed (tenant offboarded): its stored data is unreadable");
    this.tenantId = tenantId;
  }

  public String tenantId() {
    return tenantId;
  }
}
