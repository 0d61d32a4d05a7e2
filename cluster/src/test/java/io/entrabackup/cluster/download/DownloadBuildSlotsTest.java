package io.entrabackup.cluster.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.protocol.AccountId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DownloadBuildSlotsTest {

  private static final AccountId A = new AccountId("a");
  private static final AccountId B = new AccountId("b");

  private static boolean granted(DownloadBuildSlots.Slot slot) {
    return slot.granted().toCompletableFuture().isDone()
        && !slot.granted().toCompletableFuture().isCancelled();
  }

  @Test
  void buildsBeyondTheNodeLimitWaitAndStartInTurnAsOthersEnd() {
    var slots = new DownloadBuildSlots(2, 2);
    var first = slots.acquire(A, "j1");
    var second = slots.acquire(B, "j2");
    var third = slots.acquire(B, "j3");

    assertTrue(granted(first) && granted(second));
    assertFalse(granted(third));
    assertTrue(slots.isWaiting("j3"));

    first.release();
    assertTrue(granted(third));
    assertFalse(slots.isWaiting("j3"));
    assertEquals(2, slots.running());
  }

  @Test
  void oneAccountsBuildsBeyondItsLimitLetAnotherAccountsBuildGoFirst() {
    var slots = new DownloadBuildSlots(3, 1);
    var a1 = slots.acquire(A, "a1");
    var a2 = slots.acquire(A, "a2");
    var b1 = slots.acquire(B, "b1");

    assertTrue(granted(a1));
    assertFalse(granted(a2), "A already runs its one build");
    assertTrue(granted(b1), "B is not held up behind A's waiting build");

    a1.release();
    assertTrue(granted(a2));
  }

  @Test
  void aBuildStoppedWhileWaitingGivesUpItsPlaceAndIsNeverGranted() {
    var slots = new DownloadBuildSlots(1, 1);
    var running = slots.acquire(A, "r");
    var stopped = slots.acquire(B, "s");
    var next = slots.acquire(B, "n");

    stopped.release();
    assertFalse(slots.isWaiting("s"));
    running.release();

    assertTrue(granted(next));
    assertTrue(stopped.granted().toCompletableFuture().isCancelled());
    assertEquals(1, slots.running());
  }

  @Test
  void releasingTwiceFreesOneSlot() {
    var slots = new DownloadBuildSlots(1, 1);
    var one = slots.acquire(A, "1");
    one.release();
    one.release();
    assertEquals(0, slots.running());
    var two = slots.acquire(A, "2");
    var three = slots.acquire(B, "3");
    assertTrue(granted(two));
    assertFalse(granted(three));
  }

  @Test
  void manyBuildsFromManyThreadsNeverRunBeyondTheLimitsAndAllComplete() throws Exception {
    var slots = new DownloadBuildSlots(3, 2);
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    int builds = 200;
    CountDownLatch all = new CountDownLatch(builds);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<DownloadBuildSlots.Slot> acquired = new ArrayList<>();
    try {
      for (int i = 0; i < builds; i++) {
        AccountId account = new AccountId("acct-" + (i % 4));
        String job = "job-" + i;
        pool.execute(() -> {
          var slot = slots.acquire(account, job);
          synchronized (acquired) {
            acquired.add(slot);
          }
          slot.granted().thenAcceptAsync(granted -> {
            peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            concurrent.decrementAndGet();
            done.incrementAndGet();
            granted.release();
            all.countDown();
          }, pool);
        });
      }
      assertTrue(all.await(20, TimeUnit.SECONDS), "every queued build ran: " + done.get());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(builds, done.get());
    assertTrue(peak.get() <= 3, "peak " + peak.get());
    assertEquals(0, slots.running());
  }

  @Test
  void limitsBelowOneAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new DownloadBuildSlots(0, 1));
  }
}
