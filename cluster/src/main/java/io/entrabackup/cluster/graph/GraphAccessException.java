package io.entrabackup.cluster.graph;

import java.util.Optional;

/**
 * A failure talking to Microsoft. The subclasses say what to do: {@link TransientGraphException} retry later,
 * {@link AuthorizationLostException} the tenant must consent again, {@link AppCredentialRejectedException} fix the
 * app's credential in configuration. Thrown as this base type for anything else (an unexpected answer, a TLS trust
 * problem, a bug): not worth retrying as is.
 */
public class GraphAccessException extends RuntimeException {
  private final String tenantId;

  public GraphAccessException(String tenantId, String message, Throwable cause) {
    super(message, cause);
    this.tenantId = tenantId;
  }

  /** The Entra tenant the failed call was for, when it was for one. */
  public Optional<String> tenantId() {
    return Optional.ofNullable(tenantId);
  }

  /** Whether the same call may succeed later without anyone changing anything. */
  public boolean isRetriable() {
    return false;
  }
}
