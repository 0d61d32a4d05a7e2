package io.entrabackup.cluster.graph.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.graph.http.TenantRequestGate.Pass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TenantRequestGateTest {
  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private static Pass await(CompletableFuture<Pass> turn) throws Exception {
    return turn.get(5, TimeUnit.SECONDS);
  }

  @Test
  void oneRequestOfATenantAtATimeInTheOrderTheyCame() throws Exception {
    TenantRequestGate gate = new TenantRequestGate(1_000_000, executor);
    Pass first = await(gate.enter("t").toCompletableFuture());
    CompletableFuture<Pass> second = gate.enter("t").toCompletableFuture();
    CompletableFuture<Pass> third = gate.enter("t").toCompletableFuture();
    Thread.sleep(50);
    assertFalse(second.isDone() || third.isDone(), "nothing else of the tenant while one request is out");
    assertEquals(2, gate.waiting("t"));

    first.leave(Optional.empty());
    Pass secondPass = await(second);
    assertFalse(third.isDone());
    secondPass.leave(Optional.empty());
    secondPass.leave(Optional.empty()); // a second leave must not let two through
    await(third);
    CompletableFuture<Pass> fourth = gate.enter("t").toCompletableFuture();
    Thread.sleep(50);
    assertFalse(fourth.isDone(), "the third still holds the lane");
  }

  @Test
  void tenantsDoNotWaitForEachOther() throws Exception {
    TenantRequestGate gate = new TenantRequestGate(1, executor);
    await(gate.enter("a").toCompletableFuture());
    await(gate.enter("b").toCompletableFuture());
  }

  @Test
  void requestsStartAtLeastOneIntervalApart() throws Exception {
    TenantRequestGate gate = new TenantRequestGate(50, executor); // 20 ms
    List<Long> starts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Pass pass = await(gate.enter("t").toCompletableFuture());
      starts.add(System.nanoTime());
      pass.leave(Optional.empty());
    }
    // Seen from here, a turn starts a little after the gate gave it (a thread wakes up, later on a busy machine), so
    // one late turn can make the gap to the next look short; measured from the first turn, which starts at once,
    // turn i is never earlier than i intervals (5 ms of slack for the clock).
    for (int i = 1; i < starts.size(); i++) {
      long sinceFirst = starts.get(i) - starts.get(0);
      assertTrue(sinceFirst >= i * 20_000_000L - 5_000_000L,
          "request " + i + " started " + sinceFirst / 1_000_000 + " ms after the first");
    }
  }

  @Test
  void aRetryAfterHoldsEveryRequestOfTheTenantUntilItHasPassed() throws Exception {
    TenantRequestGate gate = new TenantRequestGate(1_000_000, executor);
    Pass throttled = await(gate.enter("t").toCompletableFuture());
    CompletableFuture<Pass> waiting = gate.enter("t").toCompletableFuture();
    long answered = System.nanoTime();
    throttled.leave(Optional.of(Duration.ofMillis(300)));
    await(waiting).leave(Optional.empty());
    long waited = System.nanoTime() - answered;
    assertTrue(waited >= 300_000_000L, "the waiting request went " + waited / 1_000_000 + " ms after the 429");

    // A later request arriving at an idle lane still finds the window (here: a new one, of 200 ms).
    Pass again = await(gate.enter("t").toCompletableFuture());
    long second = System.nanoTime();
    again.leave(Optional.of(Duration.ofMillis(200)));
    await(gate.enter("t").toCompletableFuture());
    assertTrue(System.nanoTime() - second >= 200_000_000L, "an idle lane remembers the Retry-After");
  }
}
