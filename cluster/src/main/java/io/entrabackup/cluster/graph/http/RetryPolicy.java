package io.entrabackup.cluster.graph.http;

import com.typesafe.config.Config;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * How one logical Graph request is retried: the statuses worth another attempt, the budget of attempts, and the wait
 * before each (the reasoning is in cluster/GRAPH.md). One policy for backup reads, restore writes and the consent
 * check; only the budget differs per use.
 *
 * <ul>
 *   <li>Retried: 429 (throttled: Graph did not do the work), 500, 502, 503, 504 (Graph's or its front door's passing
 *       failures), and network failures ({@link IOException}: refused, reset, timed out, body cut).</li>
 *   <li>Not retried: 501 and other 5xx (permanent by definition), 403 and every other 4xx (the same request gets the
 *       same answer). 401 is not a retry: the token is replaced once, outside this budget ({@link GraphHttp}).</li>
 *   <li>Wait: decorrelated jitter ({@code random(min, 3 * previous)}, capped at {@code maxBackoff}), so tenants that
 *       failed together do not come back together; a Retry-After from Graph is a floor, never cut by the cap.</li>
 * </ul>
 *
 * @param maxAttempts attempts at one logical request, the first included (1 = never retried)
 * @param minBackoff shortest wait before a retry, and the seed of the jitter
 * @param maxBackoff longest wait we choose ourselves (a longer Retry-After still wins)
 */
public record RetryPolicy(int maxAttempts, Duration minBackoff, Duration maxBackoff) {

  private static final Set<Integer> RETRIED_STATUSES = Set.of(429, 500, 502, 503, 504);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be >= 1, got " + maxAttempts);
    }
    if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("min-backoff must be >= 0 and <= max-backoff");
    }
  }

  /** Reads {@code max-attempts}, {@code min-backoff} and {@code max-backoff} of a section. */
  public static RetryPolicy create(Config section) {
    return new RetryPolicy(section.getInt("max-attempts"), section.getDuration("min-backoff"),
        section.getDuration("max-backoff"));
  }

  /** Whether an answer with this status is worth another attempt of the same request. */
  public static boolean isRetried(int status) {
    return RETRIED_STATUSES.contains(status);
  }

  /** Whether attempt {@code attempt} (1-based) may be followed by another. */
  public boolean allowsAnotherAfter(int attempt) {
    return attempt < maxAttempts;
  }

  /**
   * The wait before the next attempt: decorrelated jitter from {@code previous} (the last wait we chose; zero before
   * the first retry), never below Graph's Retry-After.
   */
  public Duration nextWait(Duration previous, Optional<Duration> retryAfter, RandomGenerator random) {
    long min = minBackoff.toNanos();
    long max = maxBackoff.toNanos();
    long upper = Math.min(max, saturatedTimes3(Math.max(min, previous.toNanos())));
    long chosen = upper > min ? random.nextLong(min, upper + 1) : min;
    long floor = retryAfter.map(Duration::toNanos).orElse(0L);
    return Duration.ofNanos(Math.max(chosen, floor));
  }

  private static long saturatedTimes3(long nanos) {
    return nanos > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : nanos * 3;
  }
}
