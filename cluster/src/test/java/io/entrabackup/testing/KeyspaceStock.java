package io.entrabackup.testing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Empty test keyspaces with their schema in place, for the test classes of one JVM. Creating the node's 35 tables
 * costs 30-50 s on a busy Cassandra, most of a typical end-to-end class's time, while emptying them (TRUNCATE, no
 * snapshot: deploy/cassandra sets {@code auto_snapshot: false}) costs a few seconds. So a keyspace a class is done with
 * is emptied in the background and handed to the next class; each class still starts with empty tables of its own,
 * and only the first class of the JVM waits for a schema to be made.
 *
 * <p>All schema work runs on one background thread, in order: Cassandra never sees two schema changes at once, and a
 * class that asks for a keyspace after another gave one back gets it once it is empty. The keyspaces left when the JVM
 * ends are dropped by a shutdown hook.
 */
public final class KeyspaceStock {

  private static final Duration TAKE_TIMEOUT = Duration.ofMinutes(4);

  private final String prefix;
  private final Consumer<String> create;
  private final Consumer<String> empty;
  private final Consumer<String> drop;
  private final ExecutorService schemaWork;
  /** Emptied and not taken; only touched on the schema thread. */
  private final Deque<String> ready = new ArrayDeque<>();

  /**
   * @param create makes the keyspace and its tables, blocking until Cassandra agrees
   * @param empty truncates every table of the keyspace, blocking
   * @param drop drops the keyspace, blocking
   */
  public KeyspaceStock(String prefix, Consumer<String> create, Consumer<String> empty, Consumer<String> drop) {
    this.prefix = prefix;
    this.create = create;
    this.empty = empty;
    this.drop = drop;
    this.schemaWork = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "keyspace-stock-" + prefix);
      thread.setDaemon(true);
      return thread;
    });
    Runtime.getRuntime().addShutdownHook(new Thread(this::dropAllAndFinish, "keyspace-stock-shutdown"));
  }

  /** An empty keyspace with the whole schema, for one class. */
  public String take() {
    long waitStart = System.nanoTime();
    CompletableFuture<String> taken = CompletableFuture.supplyAsync(
        () -> ready.isEmpty() ? made() : ready.pop(), schemaWork);
    try {
      String keyspace = taken.get(TAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      // In the class's output: how much of its time went to waiting for its schema.
      System.out.printf("KeyspaceStock: %s taken after waiting %.1f s%n", keyspace,
          (System.nanoTime() - waitStart) / 1e9);
      return keyspace;
    } catch (Exception e) {
      throw new IllegalStateException("No test keyspace could be made in " + TAKE_TIMEOUT
          + "; is Cassandra running (deploy/cassandra start)?", e);
    }
  }

  /** A class is done with its keyspace (its nodes stopped): emptied in the background for the next class. */
  public void giveBack(String keyspace) {
    schemaWork.execute(() -> {
      try {
        long start = System.nanoTime();
        empty.accept(keyspace);
        ready.push(keyspace);
        System.out.printf("KeyspaceStock: %s emptied in %.1f s%n", keyspace, (System.nanoTime() - start) / 1e9);
      } catch (RuntimeException e) {
        // Not handed out again; the next class gets a new one.
        System.err.println("KeyspaceStock: emptying " + keyspace + " failed, dropping it: " + e);
        dropQuietly(keyspace);
      }
    });
  }

  private String made() {
    String keyspace = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    long start = System.nanoTime();
    create.accept(keyspace);
    System.out.printf("KeyspaceStock: %s made in %.1f s%n", keyspace, (System.nanoTime() - start) / 1e9);
    return keyspace;
  }

  private void dropAllAndFinish() {
    // Queued behind any emptying still running, so that keyspace is dropped too.
    schemaWork.execute(() -> List.copyOf(ready).forEach(this::dropQuietly));
    schemaWork.shutdown();
    try {
      // The test runner gives an ending JVM about 30 s; what is not dropped by then stays, named for what it was.
      schemaWork.awaitTermination(25, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void dropQuietly(String keyspace) {
    try {
      drop.accept(keyspace);
    } catch (RuntimeException e) {
      // Leftover test data is not a test's failure; the keyspace name says what it was.
      System.err.println("KeyspaceStock: dropping " + keyspace + " failed: " + e);
    }
  }
}
