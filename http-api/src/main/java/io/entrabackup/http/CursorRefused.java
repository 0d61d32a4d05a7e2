package io.entrabackup.http;

/**
 * A list client's answer to a {@code cursor} it did not give out for this list (garbled, hand-made, or made for
 * another tenant or type). {@link ProblemHandling} answers it 400 with a problem document; it is the caller's
 * mistake, so it carries no stack trace and is not logged.
 */
public final class CursorRefused extends RuntimeException {

  public static final String DETAIL = "cursor is not one this API gave out for this list: start again without it";

  public CursorRefused() {
    super(DETAIL, null, false, false);
  }
}
