package io.entrabackup.protocol.account;

import io.entrabackup.protocol.AccountId;
import java.util.Set;

/**
 * What {@code GET /api/v1/session} tells a key about itself: its account, its id and what it may do, so that a client
 * (the portal) offers only what the key can use. Never the secret.
 *
 * @param installAdmin whether this is the install administrator's key (the bootstrap key)
 */
public record SessionView(AccountId account, String keyId, Set<Scope> scopes, boolean installAdmin) {

  public SessionView {
    scopes = Scope.ordered(scopes);
  }

  /** The session of an authenticated request. */
  public static SessionView of(Caller caller) {
    return new SessionView(caller.account(), caller.keyId(), caller.scopes(), caller.installAdmin());
  }
}
