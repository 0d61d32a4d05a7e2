package io.entrabackup.simulator.throttle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Graph's identity-and-access throttling, by resource units (RU) in fixed windows of real time: per app+tenant
 * 3,500 / 5,000 / 8,000 RU per 10 s for tenants under 50 / 50-500 / over 500 users; writes 3,000 per 2 min 30 s per
 * app+tenant, 18,000 per 5 min per tenant and 35,000 per 5 min per app across tenants; 130,000 requests per 10 s
 * per app across tenants. A scale factor
 * shrinks every budget so tests reach a 429 in a handful of requests.
 */
public final class Throttle {
  /** Why a request was refused: which budget, and how long until it refills. */
  public record Rejection(String scope, String information, double retryAfterSeconds, boolean fractional) {
    /** The Retry-After value: whole seconds, or milliseconds precision when fractional values are switched on. */
    public String retryAfterHeader() {
      return fractional ? String.format(java.util.Locale.ROOT, "%.3f", retryAfterSeconds)
          : Long.toString((long) Math.ceil(retryAfterSeconds));
    }
  }

  private static final long TEN_SECONDS = 10_000;
  private static final long WRITE_APP_TENANT_WINDOW = 150_000;
  private static final long WRITE_TENANT_WINDOW = 300_000;

  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private volatile double scale;
  private volatile boolean enabled;
  private volatile boolean fractionalRetryAfter;

  public Throttle(double scale, boolean enabled) {
    this.scale = scale;
    this.enabled = enabled;
  }

  public void configure(Double newScale, Boolean newEnabled, Boolean fractional) {
    if (newScale != null) {
      scale = newScale;
    }
    if (newEnabled != null) {
      enabled = newEnabled;
    }
    if (fractional != null) {
      fractionalRetryAfter = fractional;
    }
    windows.clear();
  }

  public double scale() { return scale; }
  public boolean enabled() { return enabled; }
  public boolean fractionalRetryAfter() { return fractionalRetryAfter; }

  /** The RU cost of a Graph request, as the identity-and-access table gives it. */
  public static int cost(String method, boolean usersList, boolean membersList, boolean select, boolean expand) {
    if (!method.equals("GET")) {
      return 1;
    }
    int c = membersList ? 3 : usersList ? 2 : 1;
    if (select) {
      c -= 1;
    }
    if (expand) {
      c += 1;
    }
    return Math.max(1, c);
  }

  /** Spends the budgets for one request; returns null when allowed, or the budget that refused it. */
  public Rejection spend(String appId, String tenantId, int tenantUsers, int cost, boolean write) {
    if (!enabled) {
      return null;
    }
    long now = System.currentTimeMillis();
    int ruLimit = tenantUsers < 50 ? 3500 : tenantUsers <= 500 ? 5000 : 8000;
    String scopeBase = tenantId + "/" + appId;
    Rejection r = take("app:" + appId, now, TEN_SECONDS, 130_000, 1, "Application/ReadWrite/" + appId, "ApplicationRequestLimitExceeded");
    if (r == null) {
      r = take("ru:" + scopeBase, now, TEN_SECONDS, ruLimit, cost, "Tenant_Application/ReadWrite/" + scopeBase,
          "ResourceUnitLimitExceeded");
    }
    if (r == null && write) {
      r = take("w:" + scopeBase, now, WRITE_APP_TENANT_WINDOW, 3000, 1, "Tenant_Application/Write/" + scopeBase, "WriteLimitExceeded");
      if (r == null) {
        r = take("wt:" + tenantId, now, WRITE_TENANT_WINDOW, 18_000, 1, "Tenant/Write/" + tenantId, "WriteLimitExceeded");
      }
      if (r == null) {
        r = take("wa:" + appId, now, WRITE_TENANT_WINDOW, 35_000, 1, "Application/Write/" + appId, "WriteLimitExceeded");
      }
    }
    return r;
  }

  private Rejection take(String key, long now, long windowMillis, int limit, int amount, String scope, String info) {
    long budget = Math.max(1, Math.round(limit * scale));
    Window w = windows.computeIfAbsent(key, k -> new Window());
    synchronized (w) {
      if (now >= w.start + windowMillis) {
        w.start = now;
        w.used = 0;
      }
      if (w.used + amount > budget) {
        double wait = Math.max(0.001, (w.start + windowMillis - now) / 1000.0);
        return new Rejection(scope, info, fractionalRetryAfter ? wait : Math.ceil(wait), fractionalRetryAfter);
      }
      w.used += amount;
      return null;
    }
  }

  private static final class Window {
    long start;
    long used;
  }
}
