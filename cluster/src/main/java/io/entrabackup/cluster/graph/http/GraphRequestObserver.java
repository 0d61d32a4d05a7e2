package io.entrabackup.cluster.graph.http;

import java.time.Duration;
import java.util.Optional;

/**
 * Hears of every attempt {@link GraphHttp} sends (the node's metrics listen): each answer with its status and
 * Retry-After, and each attempt that got no answer. Called on the blocking executor right after the exchange; must not
 * block.
 */
public interface GraphRequestObserver {

  /** Listens to nothing: a {@link GraphHttp} outside a node (unit tests). */
  GraphRequestObserver NONE = new GraphRequestObserver() {
    @Override
    public void answered(String entraTenant, int status, Optional<Duration> retryAfter) { }

    @Override
    public void unanswered(String entraTenant) { }
  };

  /** Graph answered the attempt with {@code status} (and a Retry-After, if it sent one). */
  void answered(String entraTenant, int status, Optional<Duration> retryAfter);

  /** The attempt failed on the network (connection refused or reset, timeout). */
  void unanswered(String entraTenant);
}
