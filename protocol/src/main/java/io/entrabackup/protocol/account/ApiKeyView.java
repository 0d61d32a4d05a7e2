package io.entrabackup.protocol.account;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * An API key as listed: never the key itself, which is shown once at creation and stored only hashed.
 *
 * @param scopes what the key may do; every scope for keys made before scopes existed
 * @param installAdmin whether this is the install administrator's key (the bootstrap key, managed by configuration)
 */
public record ApiKeyView(String keyId, String name, Set<Scope> scopes, boolean installAdmin, Instant createdAt,
    Optional<Instant> revokedAt) {

  public ApiKeyView {
    scopes = Scope.ordered(scopes);
  }

  /** {@code installAdmin}'s former name, kept in the JSON for one more release. */
  @Deprecated
  @JsonProperty("admin")
  public boolean admin() {
    return installAdmin;
  }
}
