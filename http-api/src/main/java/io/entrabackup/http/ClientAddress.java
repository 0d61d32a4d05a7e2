package io.entrabackup.http;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The address a request came from, the one place that reads it: the connection's peer ({@link #peer}, what the
 * request limits and the download access log use), or, as the audit trail records it ({@link #of}), the peer unless
 * that peer is a
 * configured trusted proxy, in which case the right-most address of {@code X-Forwarded-For} that is not itself a
 * trusted proxy. A client can write any {@code X-Forwarded-For} it likes, so the header is never believed from
 * anyone else. Needs {@code pekko.http.server.remote-address-attribute = on} (set in this module's reference.conf).
 */
public final class ClientAddress {

  private static final int MAX_LENGTH = 64;

  private final Set<String> trustedProxies;

  public ClientAddress(Set<String> trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  /** The connection's peer; never a header, which the client writes. */
  public static Optional<InetAddress> peer(HttpRequest request) {
    return request.getAttribute(AttributeKeys.remoteAddress).flatMap(address -> address.getAddress());
  }

  public Optional<String> of(HttpRequest request) {
    Optional<String> peer = peer(request).map(InetAddress::getHostAddress);
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
