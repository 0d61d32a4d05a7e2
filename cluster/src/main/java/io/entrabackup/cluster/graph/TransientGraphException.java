package io.entrabackup.cluster.graph;

/**
 * Network error, 5xx or 429 that outlasted the request's retry budget (cluster/GRAPH.md): try again later, nothing
 * needs to change.
 */
public final class TransientGraphException extends GraphAccessException {
  public TransientGraphException(String tenantId, String message, Throwable cause) {
    super(tenantId, message, cause);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
