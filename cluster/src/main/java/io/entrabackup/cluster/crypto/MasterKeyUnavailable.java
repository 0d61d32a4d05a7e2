package io.entrabackup.cluster.crypto;

/** A master key needed to wrap or unwrap is not configured (or its file or variable cannot be read): fix the config. */
public final class MasterKeyUnavailable extends RuntimeException {

  public MasterKeyUnavailable(String message) {
    super(message);
  }
}
