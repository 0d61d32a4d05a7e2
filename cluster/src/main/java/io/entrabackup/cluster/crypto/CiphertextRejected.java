package io.entrabackup.cluster.crypto;

/**
 * Stored bytes that do not decrypt: altered, moved from another row or tenant (their AAD differs), of an unknown format
 * or sealed under a key version this tenant does not have. Not retriable: the stored value itself is wrong.
 */
public final class CiphertextRejected extends RuntimeException {

  public CiphertextRejected(String message) {
    super(message);
  }

  public CiphertextRejected(String message, Throwable cause) {
    super(message, cause);
  }
}
