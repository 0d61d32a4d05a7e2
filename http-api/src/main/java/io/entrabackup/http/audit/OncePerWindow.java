package io.entrabackup.http.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts occurrences per key (an address) in fixed windows and says when to record: once, when the count in the
 * current window reaches the threshold. What keeps a flood of failed sign-ins (or refused callbacks) from turning
 * into a flood of audit records. Per node and in memory, bounded: when full, it starts over (a burst may then be
 * recorded again, never missed for long).
 */
final class OncePerWindow {

  private final int threshold;
  private final Duration window;
  private final int maxKeys;
  private final Clock clock;
  private final ConcurrentHashMap<String, Count> counts = new ConcurrentHashMap<>();

  private record Count(Instant windowStart, int count) {}

  OncePerWindow(int threshold, Duration window, int maxKeys, Clock clock) {
    this.threshold = threshold;
    this.window = window;
    this.maxKeys = maxKeys;
    this.clock = clock;
  }

  /** Counts one occurrence; true exactly when it is the one that reaches the threshold in this window. */
  boolean occurred(String key) {
    if (counts.size() >= maxKeys && !counts.containsKey(key)) {
      counts.clear();
    }
    Instant now = clock.instant();
    Count updated = counts.compute(key, (k, count) -> count == null || !now.isBefore(count.windowStart().plus(window))
        ? new Count(now, 1)
        : new Count(count.windowStart(), count.count() + 1));
    return updated.count() == threshold;
  }
}
