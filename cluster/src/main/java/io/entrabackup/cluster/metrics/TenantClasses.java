package io.entrabackup.cluster.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tenant's size class: the label Graph metrics carry instead of a tenant id. Ids would make a series per tenant and
 * metric (an MSP with 5,000 tenants: 5,000 series of requests, 429s and Retry-After each), which Prometheus keeps in
 * memory and dashboards cannot read; the size says what an operator asks of them ("are our large tenants the ones
 * Graph throttles?"), since Graph's budgets and our request counts grow with a tenant's directory.
 *
 * <p>The class is the tenant's stored objects (all types) after its last completed backup, learned when a backup run
 * starts or ends on this node; a tenant whose size this node has not learned yet (its first backup, a restore right
 * after this node started) is {@link #UNSIZED}. Keyed by the Entra tenant id, which is what the Graph layer knows; only
 * in memory and never exported.
 */
public final class TenantClasses {

  /** Up to 1,000 objects. */
  public static final String SMALL = "small";
  /** Up to 10,000 objects. */
  public static final String MEDIUM = "medium";
  /** Up to 100,000 objects. */
  public static final String LARGE = "large";
  /** More than 100,000 objects. */
  public static final String HUGE = "huge";
  /** Not backed up yet, or not since this node started. */
  public static final String UNSIZED = "unsized";

  private final Map<String, String> byEntraTenant = new ConcurrentHashMap<>();

  /** The class of a tenant of {@code objects} objects. */
  public static String of(long objects) {
    if (objects <= 1_000) {
      return SMALL;
    }
    if (objects <= 10_000) {
      return MEDIUM;
    }
    return objects <= 100_000 ? LARGE : HUGE;
  }

  /** Records the tenant's size (its object counts per type after a completed backup); empty counts change nothing. */
  public void sized(String entraTenantId, Map<String, Long> objectCounts) {
    if (entraTenantId != null && !objectCounts.isEmpty()) {
      byEntraTenant.put(entraTenantId, of(objectCounts.values().stream().mapToLong(Long::longValue).sum()));
    }
  }

  /** The tenant's class, {@link #UNSIZED} when unknown here. */
  public String classOf(String entraTenantId) {
    return entraTenantId == null ? UNSIZED : byEntraTenant.getOrDefault(entraTenantId, UNSIZED);
  }
}
