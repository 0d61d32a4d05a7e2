package io.entrabackup.simulator.graph;

import io.entrabackup.simulator.directory.Tenant;
import io.entrabackup.simulator.http.Req;
import io.entrabackup.simulator.identity.AccessToken;
import java.util.Set;

/** One authenticated Graph request: the caller's token, the tenant it acts on, the request ids. */
record GraphContext(Req req, AccessToken token, Tenant tenant, String requestId, String clientRequestId) {

  /** Refuses with 403 unless the token holds one of the permissions. */
  void require(Set<String> anyOf) {
    for (String p : anyOf) {
      if (token.roles().contains(p)) {
        return;
      }
    }
    throw GraphException.denied();
  }
}
