package io.entrabackup.protocol;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What failed, under the wrappers that futures put around it. Every module reads failures of
 * {@code CompletionStage}s, and they all depend on protocol, so the one unwrapping lives here.
 */
public final class AsyncFailures {

  private AsyncFailures() {}

  /** The first cause that is not a {@link CompletionException} or {@link ExecutionException} wrapper. */
  public static Throwable cause(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null && current.getCause() != current) {
      current = current.getCause();
    }
    return current;
  }

  /** A short description for an operator: the message, or the exception's simple name when it has none. */
  public static String describe(Throwable error) {
    Throwable cause = cause(error);
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
