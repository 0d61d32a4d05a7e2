package io.entrabackup.cluster.store;

/**
 * The keyspace's schema is one this build must not run on or migrate: an applied migration whose statements changed
 * since (checksum), a keyspace at a newer version than this build knows, or a layout that is not what version 1 says.
 * Waiting or retrying cannot fix it: a node refuses to start, {@code deploy/schema} exits 4; the message says what to do.
 */
public final class SchemaRefusedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public SchemaRefusedException(String message) {
    super(message);
  }

  /** The refusal among {@code error} and its causes, if it is one. */
  public static java.util.Optional<SchemaRefusedException> in(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SchemaRefusedException refused) {
        return java.util.Optional.of(refused);
      }
    }
    return java.util.Optional.empty();
  }
}
