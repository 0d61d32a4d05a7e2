package io.entrabackup.cluster.account;

import java.time.Instant;
import java.util.List;

/**
 * Where an API key's current secret came from, for four eyes: the key that made or last rotated it was handed the
 * secret, and so could any key that could know that key's own secret.
 *
 * @param issuedAt when the current secret was issued: the key's creation, or its last rotation by another key
 * @param issuedBy the keys that could know the current secret, nearest last; empty for keys made by configuration or
 *     before this was recorded
 */
public record KeyProvenance(String keyId, Instant issuedAt, List<String> issuedBy) {

  public KeyProvenance {
    issuedBy = List.copyOf(issuedBy);
  }

  /** Whether whoever holds {@code other} could also hold this key's secret. */
  public boolean knowableBy(String other) {
    return issuedBy.contains(other);
  }
}
