package io.entrabackup.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The simulator's notion of "now": wall time plus an offset that tests move forward (token expiry, delta expiry, purges). */
public final class SimClock {
  private final AtomicLong offsetMillis = new AtomicLong();
  private volatile Runnable onChange = () -> { };

  /** Runs after every move of the clock (a kept simulator state saves the offset). */
  public void reportChangesTo(Runnable listener) {
    this.onChange = java.util.Objects.requireNonNull(listener);
  }

  public Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis() + offsetMillis.get());
  }

  public long nowEpochSecond() {
    return now().getEpochSecond();
  }

  /** Moves the clock forward (or back, with a negative duration); returns the new time. */
  public Instant advance(Duration by) {
    offsetMillis.addAndGet(by.toMillis());
    onChange.run();
    return now();
  }

  /** Sets the clock to an absolute instant. */
  public Instant set(Instant to) {
    offsetMillis.set(to.toEpochMilli() - System.currentTimeMillis());
    onChange.run();
    return now();
  }

  /** Puts the clock at this offset from wall time (as a kept state left it). */
  public void offset(Duration offset) {
    offsetMillis.set(offset.toMillis());
    onChange.run();
  }

  public Duration offset() {
    return Duration.ofMillis(offsetMillis.get());
  }
}
