package io.entrabackup.cluster.graph.internal;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs each task on the calling thread. Handed to MSAL4J so that {@code acquireToken} does its blocking HTTP call on
 * the thread that asked (always one of our blocking executor's), instead of on {@code ForkJoinPool.commonPool()}.
 */
public final class InlineExecutorService extends AbstractExecutorService {
  @Override
  public void execute(Runnable command) {
    command.run();
  }

  @Override
  public void shutdown() {
    // nothing to stop: no threads of its own
  }

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }
}
