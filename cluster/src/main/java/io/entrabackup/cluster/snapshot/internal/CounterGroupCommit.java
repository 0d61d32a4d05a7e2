package io.entrabackup.cluster.snapshot.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Coalesces counter increments: while one round of counter updates is in flight, new increments add
 * up in memory and go out together in the next round. A caller's stage completes once the round
 * holding its increment is written, so nothing is acknowledged before Cassandra has it, and a full
 * backup of 100,000 objects costs a few hundred counter updates instead of 100,000 on one cell.
 */
public final class CounterGroupCommit<K> {

  private final BiFunction<K, Long, CompletionStage<?>> update;
  private Map<K, Long> pending = new HashMap<>();
  private List<CompletableFuture<Void>> waiters = new ArrayList<>();
  private boolean flushing;

  /** {@code update} adds a (non-zero) delta to the counter of a key. */
  public CounterGroupCommit(BiFunction<K, Long, CompletionStage<?>> update) {
    this.update = update;
  }

  /** Adds {@code delta} to the counter of {@code key} (none for a null key: a barrier). */
  public CompletionStage<Void> add(K key, long delta) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean start;
    synchronized (this) {
      if (key != null) {
        pending.merge(key, delta, Long::sum);
      }
      waiters.add(done);
      start = !flushing;
      flushing = true;
    }
    if (start) {
      flushRound();
    }
    return done;
  }

  /** Completes once every increment added before this call is written. */
  public CompletionStage<Void> flush() {
    return add(null, 0);
  }

  private void flushRound() {
    Map<K, Long> round;
    List<CompletableFuture<Void>> roundWaiters;
    synchronized (this) {
      if (waiters.isEmpty()) {
        flushing = false;
        return;
      }
      round = pending;
      roundWaiters = waiters;
      pending = new HashMap<>();
      waiters = new ArrayList<>();
    }
    CompletableFuture<?>[] updates =
        round.entrySet().stream()
            .filter(entry -> entry.getValue() != 0)
            .map(entry -> update.apply(entry.getKey(), entry.getValue()).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(updates)
        .whenComplete(
            (ignored, error) -> {
              for (CompletableFuture<Void> waiter : roundWaiters) {
                if (error != null) {
                  waiter.completeExceptionally(error);
                } else {
                  waiter.complete(null);
                }
              }
              flushRound();
            });
  }
}
