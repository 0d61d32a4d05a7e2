package io.entrabackup.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for test nodes, chosen before the node binds them. They come from below Linux's ephemeral range (32768-60999
 * by default), from which every outgoing connection takes its local port: a port asked of the system (port 0) is in
 * that range, and between choosing it and binding it the driver's or the browser's next connection could take it
 * (seen once: "Address already in use" for a node's HTTP port). Above 26000, clear of the ports deploy/run and
 * deploy/cluster use (255xx, 85xx, 80xx, 94xx) and of Cassandra's.
 */
public final class TestPorts {

  private static final int FIRST = 26_000;
  private static final int LAST = 32_000;
  /** Never the same port twice in one test JVM, even one a stopped node freed. */
  private static final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

  private TestPorts() {}

  /** A port nothing listens on now, on 127.0.0.1, not handed out before by this JVM. */
  public static int free() {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
      if (handedOut.add(port) && bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port between " + FIRST + " and " + LAST);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
