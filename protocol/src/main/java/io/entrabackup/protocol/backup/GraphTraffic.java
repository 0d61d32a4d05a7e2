package io.entrabackup.protocol.backup;

import io.entrabackup.protocol.CborSerializable;

/** Microsoft Graph requests a backup made, how many were throttled (429), and the bytes received. */
public record GraphTraffic(long requests, long throttled, long bytes) implements CborSerializable {

  public static final GraphTraffic NONE = new GraphTraffic(0, 0, 0);

  public GraphTraffic plus(GraphTraffic other) {
    return new GraphTraffic(requests + other.requests, throttled + other.throttled, bytes + other.bytes);
  }
}
