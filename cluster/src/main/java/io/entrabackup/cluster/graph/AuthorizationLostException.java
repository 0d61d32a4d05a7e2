package io.entrabackup.cluster.graph;

/**
 * The app may no longer read (or write) this tenant: consent was revoked or never given, the tenant is gone, or Graph
 * answered 401/403. A tenant admin must grant admin consent again. {@link #errorCode()} is Microsoft's code
 * ({@code unauthorized_client}, {@code Authorization_RequestDenied}, ...); the message carries Microsoft's description.
 */
public final class AuthorizationLostException extends GraphAccessException {
  private final String errorCode;

  public AuthorizationLostException(String tenantId, String errorCode, String message, Throwable cause) {
    super(tenantId, message, cause);
    this.errorCode = errorCode;
  }

  /** Microsoft's error code, e.g. {@code unauthorized_client} or {@code InvalidAuthenticationToken}. */
  public String errorCode() {
    return errorCode;
  }
}
