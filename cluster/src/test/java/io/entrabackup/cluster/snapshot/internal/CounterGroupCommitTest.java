package io.entrabackup.cluster.snapshot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CounterGroupCommitTest {

  /** Every update it was asked for, completed at once; and the totals per key. */
  private static final class Counters {
    final List<Map.Entry<String, Long>> updates = new CopyOnWriteArrayList<>();
    final Map<String, Long> totals = new ConcurrentHashMap<>();

    CompletionStage<?> update(String key, long delta) {
      updates.add(Map.entry(key, delta));
      totals.merge(key, delta, Long::sum);
      return CompletableFuture.completedFuture(null);
    }
  }

  @Test
  void increments_within_an_interval_go_out_as_one_update_per_key() throws Exception {
    Counters counters = new Counters();
    CounterGroupCommit<String> commit = new CounterGroupCommit<>(counters::update, Duration.ofMillis(300));

    CompletableFuture<Void> last = null;
    for (int i = 0; i < 1000; i++) {
      last = commit.add(i % 2 == 0 ? "users" : "groups", 1).toCompletableFuture();
    }
    assertFalse(last.isDone(), "nothing is acknowledged before its round is written");
    last.get(5, TimeUnit.SECONDS);

    assertEquals(Map.of("users", 500L, "groups", 500L), counters.totals);
    assertEquals(2, counters.updates.size(), "one round, one update per key: " + counters.updates);
  }

  @Test
  void flush_writes_at_once_without_waiting_for_the_interval() throws Exception {
    Counters counters = new Counters();
    CounterGroupCommit<String> commit = new CounterGroupCommit<>(counters::update, Duration.ofMinutes(10));

    CompletableFuture<Void> added = commit.add("users", 3).toCompletableFuture();
    commit.add("users", -1);
    commit.flush().toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertTrue(added.isDone());
    assertEquals(List.of(Map.entry("users", 2L)), counters.updates);
  }

  @Test
  void a_failed_update_fails_the_increments_of_its_round_and_later_rounds_still_go_out() throws Exception {
    Counters counters = new Counters();
    boolean[] failNext = {true};
    CounterGroupCommit<String> commit = new CounterGroupCommit<>((key, delta) -> {
      if (failNext[0]) {
        failNext[0] = false;
        return CompletableFuture.failedFuture(new IllegalStateException("write timeout"));
      }
      return counters.update(key, delta);
    }, Duration.ofMillis(50));

    CompletableFuture<Void> lost = commit.add("users", 1).toCompletableFuture();
    CompletableFuture<Void> flushed = commit.flush().toCompletableFuture();
    assertTrue(waitFailed(lost), "the caller hears that its increment was not written");
    assertTrue(waitFailed(flushed));

    commit.add("users", 5);
    commit.flush().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(Map.of("users", 5L), counters.totals);
  }

  private static boolean waitFailed(CompletableFuture<Void> future) throws InterruptedException {
    try {
      future.get(5, TimeUnit.SECONDS);
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
  }
}
