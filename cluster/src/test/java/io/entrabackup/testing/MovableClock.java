package io.entrabackup.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A test's clock, moved forward by the test to see what the code does hours or days later: either standing still at
 * an instant ({@link #at}), or running with the system clock ({@link #running}, for a whole node whose timers must
 * fire). Always UTC. Shared by the tests of every module (cluster's test-jar).
 */
public final class MovableClock extends Clock {

  private final Supplier<Instant> base;
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  private MovableClock(Supplier<Instant> base) {
    this.base = base;
  }

  /** Stands at {@code start} until moved. */
  public static MovableClock at(Instant start) {
    return new MovableClock(() -> start);
  }

  /** The system clock, plus however far the test has moved it. */
  public static MovableClock running() {
    return new MovableClock(Instant::now);
  }

  public void advance(Duration by) {
    offset.updateAndGet(current -> current.plus(by));
  }

  /** Back to where it started (standing) or to the system clock (running). */
  public void reset() {
    offset.set(Duration.ZERO);
  }

  @Override
  public Instant instant() {
    return base.get().plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** The same clock: a test clock stays in UTC, whatever zone is asked for. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
