package io.entrabackup.cluster.graph.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Graph's budget is per app and tenant, so the gate is too: every Graph request of a tenant passes it, whether a
 * backup round, a restore or the consent check sends it (see {@link GraphHttp}). It lets one request of a tenant out at a time, starts requests at least
 * {@code 1 / rate} apart, and after an answer with Retry-After holds every request of the tenant until it has passed.
 *
 * <p>One at a time is what makes the Retry-After guarantee exact: a request already on the wire when the 429 comes
 * would otherwise land inside the window. A tenant's rounds still overlap everything but the request itself (parsing,
 * merging, writing to Cassandra), which is what crawling types concurrently is for. Waiting never blocks a thread:
 * a waiter's future completes on the executor when its turn starts.
 *
 * <p>A tenant's lane is a few fields and stays for the life of the node (the tenants a node serves).
 */
public final class TenantRequestGate {

  private final long intervalNanos;
  private final Executor executor;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();

  /** A gate with {@code requestsPerSecond} per tenant; waiters resume on {@code executor}. */
  public TenantRequestGate(double requestsPerSecond, Executor executor) {
    this(requestsPerSecond, executor, System::nanoTime);
  }

  TenantRequestGate(double requestsPerSecond, Executor executor, LongSupplier nanoClock) {
    if (!(requestsPerSecond > 0)) {
      throw new IllegalArgumentException("requestsPerSecond must be > 0");
    }
    this.intervalNanos = (long) Math.ceil(1_000_000_000L / requestsPerSecond);
    this.executor = Objects.requireNonNull(executor, "executor");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** The right to send one request of a tenant; {@link #leave} must be called once its answer is in. */
  public interface Pass {
    /**
     * Lets the tenant's next request go, not before {@code holdOff} from now when Graph asked for one (Retry-After).
     * Further calls do nothing.
     */
    void leave(Optional<Duration> holdOff);
  }

  /** Completes with a {@link Pass} when a request of {@code tenant} may start. */
  public CompletionStage<Pass> enter(String tenant) {
    return lanes.computeIfAbsent(Objects.requireNonNull(tenant, "tenant"), t -> new Lane()).enter();
  }

  /** Requests of the tenant waiting for their turn now (for tests and metrics). */
  public int waiting(String tenant) {
    Lane lane = lanes.get(tenant);
    return lane == null ? 0 : lane.waitingCount();
  }

  private final class Lane {
    private final ArrayDeque<CompletableFuture<Pass>> waiting = new ArrayDeque<>();
    /** A request holds the lane: between its turn being given and its leave. */
    private boolean taken;
    /** The earliest start of the next request, in {@link #nanoClock} time. */
    private long notBefore = nanoClock.getAsLong();

    CompletionStage<Pass> enter() {
      CompletableFuture<Pass> turn = new CompletableFuture<>();
      synchronized (this) {
        if (taken) {
          waiting.add(turn);
          return turn;
        }
        taken = true;
      }
      startWhenDue(turn);
      return turn;
    }

    synchronized int waitingCount() {
      return waiting.size();
    }

    /** Gives {@code turn} the lane once {@code notBefore} has come; only the lane's holder calls this. */
    private void startWhenDue(CompletableFuture<Pass> turn) {
      long now = nanoClock.getAsLong();
      long wait;
      synchronized (this) {
        wait = notBefore - now;
        if (wait <= 0) {
          notBefore = now + intervalNanos;
        }
      }
      if (wait <= 0) {
        turn.complete(new LanePass());
      } else {
        // Checked again when it fires: a timer is never trusted not to fire early.
        CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS, executor).execute(() -> startWhenDue(turn));
      }
    }

    private void leave(Optional<Duration> holdOff) {
      CompletableFuture<Pass> next;
      synchronized (this) {
        if (holdOff.isPresent() && !holdOff.get().isNegative()) {
          long until = nanoClock.getAsLong() + holdOff.get().toNanos();
          if (until - notBefore > 0) {
            notBefore = until;
          }
        }
        next = waiting.poll();
        if (next == null) {
          taken = false;
          return;
        }
      }
      // Resumed on the executor: the leaver's thread goes back to its own work.
      executor.execute(() -> startWhenDue(next));
    }

    private final class LanePass implements Pass {
      private final AtomicBoolean left = new AtomicBoolean();

      @Override
      public void leave(Optional<Duration> holdOff) {
        if (left.compareAndSet(false, true)) {
          Lane.this.leave(Objects.requireNonNull(holdOff, "holdOff"));
        }
      }
    }
  }
}
