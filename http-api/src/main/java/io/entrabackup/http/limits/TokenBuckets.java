package io.entrabackup.http.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Bucket4j token bucket per caller (an API key, a source address), kept in this node's memory. Bounded: past
 * {@code maxTracked} callers the full buckets are dropped (a full bucket is the same as none), and if that is not
 * enough every bucket is, which at worst gives callers a fresh burst; it never refuses anyone it should not.
 */
final class TokenBuckets {

  private final long ratePerSecond;
  private final long burst;
  private final int maxTracked;
  private final TimeMeter time;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  TokenBuckets(long ratePerSecond, long burst, int maxTracked, TimeMeter time) {
    this.ratePerSecond = ratePerSecond;
    this.burst = Math.max(burst, ratePerSecond);
    this.maxTracked = maxTracked;
    this.time = time;
  }

  boolean unlimited() {
    return ratePerSecond == 0;
  }

  /** Takes one token of the caller's bucket; empty when there was one, else how long until there is. */
  Optional<Duration> take(String caller) {
    if (unlimited()) {
      return Optional.empty();
    }
    ConsumptionProbe probe = bucket(caller).tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
  }

  /** How long until the caller has a token again, without taking one; empty when it has one now. */
  Optional<Duration> wait(String caller) {
    if (unlimited()) {
      return Optional.empty();
    }
    Bucket bucket = buckets.get(caller);
    if (bucket == null) {
      return Optional.empty();
    }
    var estimate = bucket.estimateAbilityToConsume(1);
    return estimate.canBeConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(estimate.getNanosToWaitForRefill()));
  }

  long rate() {
    return ratePerSecond;
  }

  long burst() {
    return burst;
  }

  int tracked() {
    return buckets.size();
  }

  private Bucket bucket(String caller) {
    Bucket bucket = buckets.get(caller);
    if (bucket != null) {
      return bucket;
    }
    if (buckets.size() >= maxTracked) {
      dropIdle();
    }
    return buckets.computeIfAbsent(caller, key -> Bucket.builder()
        .addLimit(limit -> limit.capacity(burst).refillGreedy(ratePerSecond, Duration.ofSeconds(1)))
        .withCustomTimePrecision(time)
        .build());
  }

  private void dropIdle() {
    buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= burst);
    if (buckets.size() >= maxTracked) {
      buckets.clear();
    }
  }
}
