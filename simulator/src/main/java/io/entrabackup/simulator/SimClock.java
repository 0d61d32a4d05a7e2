package io.entrabackup.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The simulator's notion of "now": wall time plus an offset that tests move forward (token expiry, delta expiry, purges). */
public final class SimClock {
  private final AtomicLong offsetMillis = new AtomicLong();

  public Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis() + offsetMillis.get());
  }

  public long nowEpochSecond() {
    return now().getEpochSecond();
  }

  /** Moves the clock forward (or back, with a negative duration); returns the new time. */
  public Instant advance(Duration by) {
    offsetMillis.addAndGet(by.toMillis());
    return now();
  }

  /** Sets the clock to an absolute instant. */
  public Instant set(Instant to) {
    offsetMillis.set(to.toEpochMilli() - System.currentTimeMillis());
    return now();
  }

  public Duration offset() {
    return Duration.ofMillis(offsetMillis.get());
  }
}
