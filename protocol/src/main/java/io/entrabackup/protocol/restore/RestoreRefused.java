package io.entrabackup.protocol.restore;

/**
 * A restore (or its plan) cannot be made as asked; {@code status} is the HTTP status that fits (400 for a version
 * that cannot be restored, 409 for a tenant that cannot be written now, 502 when Microsoft refused to answer).
 */
public final class RestoreRefused extends RuntimeException {

  private final int status;

  public RestoreRefused(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
