package io.entrabackup.cluster.snapshot;

/**
 * A list was asked to continue from a cursor it did not give out for this tenant and type: garbled, hand-made, or
 * issued for another list. The caller's mistake, so it carries no stack trace and is answered, not logged.
 */
public final class UnknownCursor extends IllegalArgumentException {

  public UnknownCursor() {
    super("cursor is not one this list gave out: start again without it");
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
