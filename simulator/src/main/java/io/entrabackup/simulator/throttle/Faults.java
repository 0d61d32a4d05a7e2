package io.entrabackup.simulator.throttle;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Faults injected on demand: 503/504 (with or without Retry-After), slow answers, connection resets, a page cut
 * mid-JSON, an expired delta token (400 syncStateNotFound), a service-side reset (410 Gone), an access token Graph
 * calls expired (401). Each rule applies to
 * Graph requests whose path contains {@code pathContains}, with probability {@code rate}, at most {@code count} times
 * (-1: unlimited). Chance is drawn from a seeded generator, so a run is repeatable.
 */
public final class Faults {
  /** The kinds of fault. */
  public enum Kind { STATUS_503, STATUS_504, SLOW, RESET, TRUNCATE, EXPIRED_DELTA, GONE_410, EXPIRED_ACCESS_TOKEN }

  /** One fault rule. */
  public static final class Rule {
    public final Kind kind;
    public final double rate;
    public final String pathContains;
    public final Double retryAfterSeconds;
    public final long delayMillis;
    int remaining;
    int fired;

    public Rule(Kind kind, double rate, int count, String pathContains, Double retryAfterSeconds, long delayMillis) {
      this.kind = kind;
      this.rate = rate;
      this.remaining = count;
      this.pathContains = pathContains == null ? "" : pathContains;
      this.retryAfterSeconds = retryAfterSeconds;
      this.delayMillis = delayMillis;
    }

    public int remaining() { return remaining; }
    public int fired() { return fired; }
  }

  private final List<Rule> rules = new ArrayList<>();
  private final SplittableRandom random;

  public Faults(long seed) {
    this.random = new SplittableRandom(seed ^ 0xFA017L);
  }

  public synchronized void add(Rule rule) {
    rules.add(rule);
  }

  public synchronized void clear() {
    rules.clear();
  }

  public synchronized List<Rule> rules() {
    return List.copyOf(rules);
  }

  /** The fault to apply to a Graph request on this path, if any (consumes one use of the rule). */
  public synchronized Rule pick(String pathAndQuery) {
    return pick(pathAndQuery, false);
  }

  /**
   * The fault for an identity-platform request (token, consent, metadata): only rules that name a path (e.g.
   * "/oauth2/v2.0/token") apply there, so a Graph-wide rule never breaks sign-in by accident.
   */
  public synchronized Rule pickForIdentity(String pathAndQuery) {
    return pick(pathAndQuery, true);
  }

  private Rule pick(String pathAndQuery, boolean identity) {
    for (Rule r : rules) {
      if (r.remaining == 0 || !pathAndQuery.contains(r.pathContains) || (identity && r.pathContains.isEmpty())) {
        continue;
      }
      if (r.rate >= 1.0 || random.nextDouble() < r.rate) {
        if (r.remaining > 0) {
          r.remaining--;
        }
        r.fired++;
        return r;
      }
    }
    return null;
  }
}
