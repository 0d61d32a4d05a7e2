package io.entrabackup.node.multinode;

import io.entrabackup.simulator.Simulator;
import java.util.Map;

/**
 * Graph requests the simulator answered with success, counted from its request log by endpoint: what shows whether a
 * resumed backup read a type again, or a restore wrote a member twice.
 */
final class GraphRequests {

  private GraphRequests() {}

  /** Successful {@code method} requests to endpoints containing {@code pathPart} (e.g. {@code /users/delta}). */
  static long count(Simulator simulator, String method, String pathPart) {
    @SuppressWarnings("unchecked")
    Map<String, Long> counts = (Map<String, Long>) simulator.admin().requestLog().snapshot().get("byEndpointAndStatus");
    long total = 0;
    for (Map.Entry<String, Long> entry : counts.entrySet()) {
      // Keys read "GET /v1.0/users/delta 200": method, endpoint, status.
      String[] parts = entry.getKey().split(" ");
      if (parts.length == 3 && parts[0].equals(method) && parts[1].contains(pathPart) && parts[2].startsWith("2")) {
        total += entry.getValue();
      }
    }
    return total;
  }

  /** Pages of the users' delta Graph served so far. */
  static long usersPages(Simulator simulator) {
    return count(simulator, "GET", "/users/delta");
  }

  /** Members added to groups so far (a second addition of one member counts twice). */
  static long memberAdditions(Simulator simulator) {
    return count(simulator, "POST", "/members/$ref");
  }
}
