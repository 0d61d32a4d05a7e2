package io.entrabackup.cluster.download;

/**
 * A download that cannot be built from what is stored (an object or version that is not there):
 * trying again will not help, so the job fails at once with this message.
 */
public final class ExportException extends RuntimeException {

  public ExportException(String message) {
    super(message);
  }
}
