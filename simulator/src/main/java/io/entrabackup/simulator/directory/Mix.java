package io.entrabackup.simulator.directory;

/** SplitMix64-style hashing: every generated property is a pure function of (seed, index), so nothing needs storing. */
public final class Mix {
  private Mix() {}

  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A hash of (seed, a, b), well spread. */
  public static long hash(long seed, long a, long b) {
    return mix64(seed ^ mix64(a * 0x9E3779B97F4A7C15L + b));
  }

  /** A non-negative value below {@code bound} from hash(seed, a, b). */
  public static int pick(long seed, long a, long b, int bound) {
    return (int) Math.floorMod(hash(seed, a, b), (long) bound);
  }
}
