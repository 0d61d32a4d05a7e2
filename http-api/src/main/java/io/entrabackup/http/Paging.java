package io.entrabackup.http;

import java.util.Optional;

/** The {@code limit} parameter every list takes. */
public final class Paging {

  private Paging() {}

  /** The page size asked for, the default when absent; empty when it is not 1..max-page-size. */
  public static Optional<Integer> limit(Optional<String> text, HttpSettings settings) {
    if (text.isEmpty()) {
      return Optional.of(settings.defaultPageSize());
    }
    try {
      int value = Integer.parseInt(text.get().trim());
      return value >= 1 && value <= settings.maxPageSize() ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
