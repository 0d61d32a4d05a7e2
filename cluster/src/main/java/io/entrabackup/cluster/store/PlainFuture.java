package io.entrabackup.cluster.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Detaches a stage that Pekko hands out (a Scala future seen through {@code FutureConverters}) from Scala's
 * wrapper. That wrapper turns every dependent stage into its {@code ...Async} form on the common pool, and on
 * a machine of two cores the common pool has one thread, so {@code CompletableFuture} starts a new thread for
 * every callback: tens of thousands per backup. A plain future runs its callbacks on the completing thread.
 */
public final class PlainFuture {

  private PlainFuture() {}

  /** A plain {@code CompletableFuture} completed with the outcome of {@code stage}. */
  public static <T> CompletableFuture<T> of(CompletionStage<T> stage) {
    CompletableFuture<T> plain = new CompletableFuture<>();
    // The one callback that still goes through the wrapper (a thread at worst), once per stage detached.
    stage.whenComplete((value, error) -> {
      if (error != null) {
        plain.completeExceptionally(error);
      } else {
        plain.complete(value);
      }
    });
    return plain;
  }
}
