package io.entrabackup.cluster.graph.http;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A per-node limit on Graph requests in flight across tenants: an asynchronous semaphore (waiting never blocks a
 * thread). One instance per node, held by {@link GraphHttp}.
 */
public final class GraphRequestPermits {
  private final int limit;
  private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
  private int inUse;

  public GraphRequestPermits(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1");
    }
    this.limit = limit;
  }

  /** Completes once a permit is held; the holder must {@link #release} it exactly once. */
  public CompletionStage<Void> acquire() {
    synchronized (this) {
      if (inUse < limit) {
        inUse++;
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> ticket = new CompletableFuture<>();
      waiting.add(ticket);
      return ticket;
    }
  }

  public void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        inUse--;
        return;
      }
    }
    next.complete(null); // the permit passes on to the next waiter
  }

  /** Permits in use now (for tests and metrics). */
  public synchronized int inUse() {
    return inUse;
  }

  public int limit() {
    return limit;
  }
}
