package io.entrabackup.cluster.download;

import io.entrabackup.protocol.AccountId;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many download builds run at once on this node: at most {@code perNode}, and at most {@code perAccount} of one
 * account's (http-api/LIMITS.md). A build beyond either waits its turn, first come first served among the builds that
 * may run, and never fails for it. Node-local on purpose: builds run where their job entity lives and their cost (CPU,
 * spool, Cassandra writes) is this node's; across the cluster an account may have nodes x perAccount builds.
 */
public final class DownloadBuildSlots {

  /** A build's place: granted now or later; {@link #release()} gives it back (or leaves the queue). */
  public final class Slot {
    private final AccountId account;
    private final String jobId;
    private final CompletableFuture<Slot> granted = new CompletableFuture<>();
    /** Counted as running (set under the lock, before {@link #granted} completes outside it). */
    private boolean holding;
    private boolean released;

    private Slot(AccountId account, String jobId) {
      this.account = account;
      this.jobId = jobId;
    }

    /** Completes when the build may run. */
    public CompletionStage<Slot> granted() {
      return granted;
    }

    /** Idempotent: a build that ended, failed, or was stopped while waiting. */
    public void release() {
      DownloadBuildSlots.this.release(this);
    }
  }

  private final int perNode;
  private final int perAccount;
  private final ArrayDeque<Slot> waiting = new ArrayDeque<>();
  private final Map<AccountId, Integer> runningByAccount = new HashMap<>();
  private final Set<String> waitingJobs = ConcurrentHashMap.newKeySet();
  private int running;

  public DownloadBuildSlots(int perNode, int perAccount) {
    if (perNode < 1 || perAccount < 1) {
      throw new IllegalArgumentException("download builds per node and per account must be >= 1");
    }
    this.perNode = perNode;
    this.perAccount = perAccount;
  }

  /** A slot for one build attempt of {@code jobId}; granted at once when the limits allow. */
  public Slot acquire(AccountId account, String jobId) {
    Slot slot = new Slot(account, jobId);
    Optional<Slot> grant;
    synchronized (this) {
      waiting.addLast(slot);
      waitingJobs.add(jobId);
      grant = next();
    }
    grant.ifPresent(granted -> granted.granted.complete(granted));
    return slot;
  }

  /** Builds waiting for a slot on this node (the node's metrics). */
  public int waiting() {
    return waitingJobs.size();
  }

  /** Whether a build of this job waits for a slot on this node (System Status shows it queued). */
  public boolean isWaiting(String jobId) {
    return waitingJobs.contains(jobId);
  }

  /** Builds running now on this node (tests, status). */
  public synchronized int running() {
    return running;
  }

  private void release(Slot slot) {
    Optional<Slot> grant = Optional.empty();
    synchronized (this) {
      if (slot.released) {
        return;
      }
      slot.released = true;
      if (slot.holding) {
        running--;
        runningByAccount.merge(slot.account, -1, (count, minus) -> count + minus == 0 ? null : count + minus);
        grant = next();
      } else {
        waiting.remove(slot);
        waitingJobs.remove(slot.jobId);
        // A slot leaving the queue frees nothing; but never grant it later.
        slot.granted.cancel(false);
      }
    }
    grant.ifPresent(granted -> granted.granted.complete(granted));
  }

  /**
   * Marks the first waiting slot that may run as running (holding the lock); completed by the caller outside it,
   * because completing runs the build's continuation. Releases re-enter {@link #next()} one grant at a time.
   */
  private Optional<Slot> next() {
    if (running >= perNode) {
      return Optional.empty();
    }
    for (Iterator<Slot> it = waiting.iterator(); it.hasNext(); ) {
      Slot slot = it.next();
      if (runningByAccount.getOrDefault(slot.account, 0) < perAccount) {
        it.remove();
        waitingJobs.remove(slot.jobId);
        slot.holding = true;
        running++;
        runningByAccount.merge(slot.account, 1, Integer::sum);
        return Optional.of(slot);
      }
    }
    return Optional.empty();
  }
}
