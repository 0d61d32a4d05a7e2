package io.entrabackup.cluster.snapshot.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Coalesces counter increments: they add up in memory and go out together, one update per key, in a
 * round at most every {@code interval}, or at once when someone calls {@link #flush()}. A caller's
 * stage completes once the round holding its increment is written, so nothing is acknowledged before
 * Cassandra has it.
 *
 * <p>Why an interval and not just "the next round starts when the previous one ends": a counter update
 * is a read-before-write under a lock in Cassandra, several times the cost of an insert, and
 * back-to-back rounds during a full backup made tens of thousands of them (one per couple of
 * milliseconds). With a one-second interval a backup of 100,000 objects costs about one update per type
 * per second, and {@link #flush()}, the barrier a run passes before it records a type as done, still
 * makes the counts exact at every milestone.
 */
public final class CounterGroupCommit<K> {

  private final BiFunction<K, Long, CompletionStage<?>> update;
  private final Executor afterInterval;
  private Map<K, Long> pending = new HashMap<>();
  private List<CompletableFuture<Void>> waiters = new ArrayList<>();
  /** A round is being written. */
  private boolean writing;
  /** A round is due once the interval has passed. */
  private boolean scheduled;
  /** A flush waits: the next round starts as soon as the one being written ends. */
  private boolean urgent;

  /** {@code update} adds a (non-zero) delta to the counter of a key. */
  public CounterGroupCommit(BiFunction<K, Long, CompletionStage<?>> update, Duration interval) {
    this.update = update;
    this.afterInterval = CompletableFuture.delayedExecutor(interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Adds {@code delta} to the counter of {@code key}; written with the next round. */
  public CompletionStage<Void> add(K key, long delta) {
    return enqueue(key, delta, false);
  }

  /** Completes once every increment added before this call is written; starts a round now. */
  public CompletionStage<Void> flush() {
    return enqueue(null, 0, true);
  }

  private CompletionStage<Void> enqueue(K key, long delta, boolean now) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Next next;
    synchronized (this) {
      if (key != null) {
        pending.merge(key, delta, Long::sum);
      }
      waiters.add(done);
      urgent |= now;
      next = writing ? Next.NOTHING : next();
    }
    run(next);
    return done;
  }

  /** What follows when no round is being written. */
  private enum Next { NOTHING, WRITE, SCHEDULE }

  /** Decides (holding the lock, no round being written) and marks the decision in the state. */
  private Next next() {
    if (waiters.isEmpty()) {
      return Next.NOTHING;
    }
    if (urgent) {
      writing = true;
      return Next.WRITE;
    }
    if (scheduled) {
      return Next.NOTHING;
    }
    scheduled = true;
    return Next.SCHEDULE;
  }

  private void run(Next next) {
    switch (next) {
      case WRITE -> writeRound();
      case SCHEDULE -> afterInterval.execute(this::scheduledRound);
      case NOTHING -> { }
    }
  }

  private void scheduledRound() {
    synchronized (this) {
      scheduled = false;
      if (writing || waiters.isEmpty()) {
        return; // a flush took these increments, or is writing them
      }
      writing = true;
    }
    writeRound();
  }

  /** Writes what is pending; only one round is written at a time ({@code writing} is set). */
  private void writeRound() {
    Map<K, Long> round;
    List<CompletableFuture<Void>> roundWaiters;
    synchronized (this) {
      round = pending;
      roundWaiters = waiters;
      pending = new HashMap<>();
      waiters = new ArrayList<>();
      urgent = false;
    }
    List<CompletableFuture<?>> updates = new ArrayList<>(round.size());
    round.forEach((key, delta) -> {
      if (delta != 0) {
        updates.add(update.apply(key, delta).toCompletableFuture());
      }
    });
    CompletableFuture.allOf(updates.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
      for (CompletableFuture<Void> waiter : roundWaiters) {
        if (error != null) {
          waiter.completeExceptionally(error);
        } else {
          waiter.complete(null);
        }
      }
      afterRound();
    });
  }

  private void afterRound() {
    Next next;
    synchronized (this) {
      writing = false;
      next = next();
    }
    run(next);
  }
}
