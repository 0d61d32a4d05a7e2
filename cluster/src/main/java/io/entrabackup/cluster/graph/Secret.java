package io.entrabackup.cluster.graph;

import java.util.Objects;

/** A secret value (client secret, store password) that never shows in a log line: {@code toString()} is {@code ***}. */
public final class Secret {
  private static final Secret EMPTY = new Secret("");

  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return value == null || value.isEmpty() ? EMPTY : new Secret(value);
  }

  public static Secret empty() {
    return EMPTY;
  }

  /** The secret itself: hand it to the client that needs it, never to a logger or a message. */
  public String value() {
    return value;
  }

  public char[] chars() {
    return value.toCharArray();
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return "***";
  }
}
