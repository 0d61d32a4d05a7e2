package io.entrabackup.cluster.graph;

/**
 * Microsoft rejected the app's own credential (wrong or expired client secret, e.g. AADSTS7000215/7000222). This is
 * not about one tenant: every tenant fails the same way until an operator fixes
 * {@code entra-backup.graph.client-secret}. Do not mark tenants unauthorized because of it.
 */
public final class AppCredentialRejectedException extends GraphAccessException {
  private final String errorCode;

  public AppCredentialRejectedException(String tenantId, String errorCode, String message, Throwable cause) {
    super(tenantId, message, cause);
    this.errorCode = errorCode;
  }

  /** Microsoft's error code, e.g. {@code invalid_client}. */
  public String errorCode() {
    return errorCode;
  }
}
