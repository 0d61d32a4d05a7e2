package io.entrabackup.simulator.throttle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Graph's identity-and-access throttling (throttling-limits.md), by resource units (RU) in fixed windows of real
 * time. Per application+tenant: 3,500 / 5,000 / 8,000 RU per 10 s for tenants under 50 / 50-500 / over 500 users,
 * and 3,000 writes per 2 min 30 s. Per application across tenants: 150,000 RU per 20 s and 35,000 writes per 5 min.
 * Per tenant: 18,000 writes per 5 min. A scale factor shrinks every budget so tests reach a 429 in a few requests.
 */
public final class Throttle {
  /** Why a request was refused: which budget, and how long until it refills. */
  public record Rejection(String scope, String information, double retryAfterSeconds, boolean fractional) {
    /** The Retry-After value: whole seconds, or milliseconds precision when fractional values are switched on. */
    public String retryAfterHeader() {
      return fractional ? String.format(Locale.ROOT, "%.3f", retryAfterSeconds)
          : Long.toString((long) Math.ceil(retryAfterSeconds));
    }
  }

  /** The outcome of spending: a rejection, or the share of the app+tenant RU budget now used (for the 80% header). */
  public record Decision(Rejection rejection, double usedShare) {
    /** {@code x-ms-throttle-limit-percentage}: sent only past 80% of the budget, as Graph does. */
    public String limitPercentageHeader() {
      return usedShare >= 0.8 ? String.format(Locale.ROOT, "%.1f", Math.min(1.8, usedShare)) : null;
    }
  }

  private static final long TEN_SECONDS = 10_000;
  private static final long TWENTY_SECONDS = 20_000;
  private static final long WRITE_APP_TENANT_WINDOW = 150_000;
  private static final long FIVE_MINUTES = 300_000;

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

  /**
   * The RU cost of a request: GET /users 2, GET /groups/{id}/members 3, other requests 1; $select -1, $expand +1,
   * $top below 20 -1; never below 1.
   */
  public static int cost(String method, boolean usersList, boolean membersList, boolean select, boolean expand,
                         boolean smallTop) {
    if (!method.equals("GET")) {
      return 1;
    }
    int c = membersList ? 3 : usersList ? 2 : 1;
    c += (select ? -1 : 0) + (expand ? 1 : 0) + (smallTop ? -1 : 0);
    return Math.max(1, c);
  }

  /** Spends every budget the request counts against, or none of them when one refuses. */
  public Decision spend(String appId, String tenantId, int tenantUsers, int cost, boolean write) {
    if (!enabled) {
      return new Decision(null, 0);
    }
    long now = System.currentTimeMillis();
    int ruLimit = tenantUsers < 50 ? 3500 : tenantUsers <= 500 ? 5000 : 8000;
    String ids = appId + "/" + tenantId;
    List<Charge> charges = new ArrayList<>();
    charges.add(new Charge("ru:" + ids, TEN_SECONDS, ruLimit, cost, "Tenant_Application/ReadWrite/" + ids, "ResourceUnitLimitExceeded"));
    charges.add(new Charge("ruapp:" + appId, TWENTY_SECONDS, 150_000, cost, "Application/ReadWrite/" + ids, "ResourceUnitLimitExceeded"));
    if (write) {
      charges.add(new Charge("w:" + ids, WRITE_APP_TENANT_WINDOW, 3000, 1, "Tenant_Application/Write/" + ids, "WriteLimitExceeded"));
      charges.add(new Charge("wt:" + tenantId, FIVE_MINUTES, 18_000, 1, "Tenant/Write/" + ids, "WriteLimitExceeded"));
      charges.add(new Charge("wa:" + appId, FIVE_MINUTES, 35_000, 1, "Application/Write/" + ids, "WriteLimitExceeded"));
    }
    synchronized (this) {
      for (Charge c : charges) {
        Window w = window(c, now);
        if (w.used + c.amount > budget(c.limit)) {
          double wait = Math.max(0.001, (w.start + c.windowMillis - now) / 1000.0);
          return new Decision(new Rejection(c.scope, c.information, fractionalRetryAfter ? wait : Math.ceil(wait),
              fractionalRetryAfter), 1.0);
        }
      }
      charges.forEach(c -> window(c, now).used += c.amount);
      Charge ru = charges.get(0);
      return new Decision(null, window(ru, now).used / (double) budget(ru.limit));
    }
  }

  private long budget(int limit) {
    return Math.max(1, Math.round(limit * scale));
  }

  private Window window(Charge c, long now) {
    Window w = windows.computeIfAbsent(c.key, k -> new Window());
    if (now >= w.start + c.windowMillis) {
      w.start = now;
      w.used = 0;
    }
    return w;
  }

  private record Charge(String key, long windowMillis, int limit, int amount, String scope, String information) {}

  private static final class Window {
    long start;
    long used;
  }
}
