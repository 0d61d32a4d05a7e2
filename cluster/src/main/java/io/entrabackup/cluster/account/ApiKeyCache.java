package io.entrabackup.cluster.account;

import io.entrabackup.protocol.account.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verified keys, kept for a short time so a busy client costs one Cassandra read per key per {@code ttl}, not one per
 * request. Bounded: past {@link #MAX_ENTRIES} it starts afresh. Keys revoked on this node are remembered as revoked
 * for {@code ttl}, so a verification that read the key's row just before the revocation cannot put it back.
 */
final class ApiKeyCache {

  static final int MAX_ENTRIES = 10_000;

  private record Entry(Caller caller, Instant expiresAt) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Instant> revoked = new ConcurrentHashMap<>();
  private final Duration ttl;
  private final Clock clock;

  ApiKeyCache(Duration ttl, Clock clock) {
    this.ttl = ttl;
    this.clock = clock;
  }

  Optional<Caller> get(String hash) {
    Entry entry = entries.get(hash);
    if (entry == null || !clock.instant().isBefore(entry.expiresAt()) || isRevoked(hash)) {
      return Optional.empty();
    }
    return Optional.of(entry.caller());
  }

  void put(String hash, Caller caller) {
    if (ttl.isZero() || isRevoked(hash)) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(hash, new Entry(caller, clock.instant().plus(ttl)));
  }

  /** The key is revoked: forget it, and refuse to cache it again for a while. */
  void revoke(String hash) {
    if (revoked.size() >= MAX_ENTRIES) {
      revoked.values().removeIf(until -> !clock.instant().isBefore(until));
    }
    revoked.put(hash, clock.instant().plus(ttl.multipliedBy(2)));
    entries.remove(hash);
  }

  private boolean isRevoked(String hash) {
    Instant until = revoked.get(hash);
    return until != null && clock.instant().isBefore(until);
  }
}
