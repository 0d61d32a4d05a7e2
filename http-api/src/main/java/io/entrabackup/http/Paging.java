package io.entrabackup.http;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The paging parameters every list takes: {@code limit}, and {@code cursor}, the {@code next} of the page before.
 * Every list answers {@link io.entrabackup.protocol.api.ItemPage}'s shape.
 */
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

  /** The answer to a {@code limit} that {@link #limit} refused. */
  public static HttpResponse badLimit(HttpSettings settings) {
    return Problems.badRequest("limit must be a whole number from 1 to " + settings.maxPageSize());
  }
}
