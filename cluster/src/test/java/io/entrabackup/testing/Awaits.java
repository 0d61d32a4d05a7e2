package io.entrabackup.testing;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waiting for a future in a test: its value, or the failure it ended with, within a bound that fails the test. */
public final class Awaits {

  /** Generous for a shared 2-core machine; a future that needs longer is a hang, not a slow answer. */
  private static final long SECONDS = 20;

  private Awaits() {}

  public static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(SECONDS, TimeUnit.SECONDS);
  }

  /** The exception the future failed with (unwrapped); fails the test if it succeeded. */
  public static Throwable failureOf(CompletionStage<?> stage) throws Exception {
    try {
      await(stage);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }
}
