package io.entrabackup.cluster.graph.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Access tokens per Entra tenant, in memory only. One fetch per tenant at a time; a token is reused until
 * {@code refreshMargin} before it expires; a failed fetch is forgotten so the next call tries again.
 *
 * <p>MSAL4J's own cache cannot be relied on (it misses on any port but 443, see cluster/DESIGN.md), so this is the cache.
 * A fetch is claimed by whichever thread runs it first: either a task on the blocking executor or a Graph SDK call
 * that needs the token right now on its own (blocking) thread. Claiming instead of waiting means a one-thread
 * executor cannot deadlock on a fetch queued behind the call that waits for it.
 */
public final class TenantTokens {
  /** A token and when it stops being valid. */
  public record Token(String value, Instant expiresOn) {
    @Override
    public String toString() {
      return "Token[expiresOn=" + expiresOn + "]";
    }
  }

  /** One attempt to get a token for a tenant. */
  public final class Fetch {
    private final String tenantId;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CompletableFuture<Token> result = new CompletableFuture<>();

    private Fetch(String tenantId) {
      this.tenantId = tenantId;
      // A failure is handed to everyone waiting, then evicted, so the next call starts a new fetch.
      result.whenComplete((token, failure) -> {
        if (failure != null) {
          byTenant.remove(tenantId, this);
        }
      });
    }

    /** Runs the fetch on this thread unless another thread already has; returns at once in that case. */
    public void runIfUnclaimed() {
      if (!claimed.compareAndSet(false, true)) {
        return;
      }
      try {
        result.complete(fetcher.apply(tenantId));
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
      }
    }

    public boolean isClaimed() {
      return claimed.get();
    }

    public CompletableFuture<Token> result() {
      return result;
    }

    private boolean usable(Instant now) {
      if (!result.isDone()) {
        return true; // in flight: share it
      }
      if (result.isCompletedExceptionally()) {
        return false;
      }
      return result.join().expiresOn().minus(refreshMargin).isAfter(now);
    }
  }

  private final ConcurrentHashMap<String, Fetch> byTenant = new ConcurrentHashMap<>();
  private final Function<String, Token> fetcher;
  private final Duration refreshMargin;
  private final Clock clock;

  /** {@code fetcher} blocks: it is only ever called on a thread that may block. */
  public TenantTokens(Function<String, Token> fetcher, Duration refreshMargin, Clock clock) {
    this.fetcher = fetcher;
    this.refreshMargin = refreshMargin;
    this.clock = clock;
  }

  /** The tenant's current fetch: a usable cached one, the one in flight, or a new unclaimed one. */
  public Fetch current(String tenantId) {
    Instant now = clock.instant();
    return byTenant.compute(tenantId, (id, existing) -> existing != null && existing.usable(now) ? existing : new Fetch(id));
  }

  /** Forgets the tenant's token (Graph refused it), so the next call fetches a new one. */
  public void invalidate(String tenantId) {
    byTenant.remove(tenantId);
  }

  public void clear() {
    byTenant.clear();
  }
}
