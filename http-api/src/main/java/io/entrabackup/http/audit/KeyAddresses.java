package io.entrabackup.http.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The (key, address) pairs this node has seen lately, so "first use from a new address" costs a Cassandra
 * round trip only the first time a node sees a pair, not on every request. Least recently used pairs are forgotten.
 */
final class KeyAddresses {

  private final Map<String, Boolean> seen;

  KeyAddresses(int capacity) {
    this.seen = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    });
  }

  /** True when the pair was not remembered (it is remembered from now on). */
  boolean remember(String account, String keyId, String address) {
    return seen.put(account + "\n" + keyId + "\n" + address, Boolean.TRUE) == null;
  }

  /** Forgets a pair whose check failed, so the next request checks again. */
  void forget(String account, String keyId, String address) {
    seen.remove(account + "\n" + keyId + "\n" + address);
  }
}
