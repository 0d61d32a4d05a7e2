package io.entrabackup.cluster.graph.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Graph's {@code Retry-After} header: delay-seconds (Graph sends whole seconds, some services fractional ones like
 * {@code 2.128}) or an HTTP date (RFC 9110 allows it; proxies and other Microsoft services send it). Whatever form,
 * the answer is how long from now nothing may be sent.
 */
public final class RetryAfter {

  private RetryAfter() {}

  /** The wait the header asks for; empty when absent or unreadable, zero when the date has passed. */
  public static Optional<Duration> parse(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    try {
      double seconds = Double.parseDouble(value);
      if (!(seconds >= 0) || Double.isInfinite(seconds)) {
        return Optional.empty();
      }
      // Rounded up: sending a nanosecond early is sending inside the window.
      return Optional.of(Duration.ofNanos((long) Math.ceil(Math.min(seconds, Long.MAX_VALUE / 1e9) * 1e9)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(clock.instant(), at.toInstant());
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (RuntimeException notADate) {
        return Optional.empty();
      }
    }
  }
}
