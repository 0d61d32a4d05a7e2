package io.entrabackup.http.audit;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The address a request came from, as the audit trail records it: the connection's peer, unless that peer is a
 * configured trusted proxy, in which case the right-most address of {@code X-Forwarded-For} that is not itself a
 * trusted proxy. A client can write any {@code X-Forwarded-For} it likes, so the header is never believed from
 * anyone else. Needs {@code pekko.http.server.remote-address-attribute = on} (set in this module's reference.conf).
 */
final class ClientAddress {

  private static final int MAX_LENGTH = 64;

  private final Set<String> trustedProxies;

  ClientAddress(Set<String> trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  Optional<String> of(HttpRequest request) {
    Optional<String> peer = request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(address -> address.getAddress())
        .map(address -> address.getHostAddress());
    if (peer.isEmpty() || !trustedProxies.contains(peer.get())) {
      return peer;
    }
    List<String> forwarded = request.getHeader("X-Forwarded-For")
        .map(header -> List.of(header.value().split(",")))
        .orElse(List.of());
    for (int i = forwarded.size() - 1; i >= 0; i--) {
      String hop = forwarded.get(i).strip();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return Optional.of(hop.length() > MAX_LENGTH ? hop.substring(0, MAX_LENGTH) : hop);
      }
    }
    return peer;
  }
}
