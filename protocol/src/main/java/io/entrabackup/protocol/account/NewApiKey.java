package io.entrabackup.protocol.account;

import java.time.Instant;
import java.util.Set;

/**
 * A key just created (or given a new secret): {@code key} is the secret to send as
 * {@code Authorization: Bearer <key>}. It is in this answer only; we keep its SHA-256 hash.
 */
public record NewApiKey(String accountId, String keyId, String name, Set<Scope> scopes, String key,
    Instant createdAt) {

  public NewApiKey {
    scopes = Scope.ordered(scopes);
  }
}
