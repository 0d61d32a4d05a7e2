package io.entrabackup.protocol.account;

import io.entrabackup.protocol.AccountId;
import java.util.Set;

/**
 * Who an authenticated API request acts for: an MSP account, the key it used and what that key may do.
 *
 * @param scopes what the key may do in its own account ({@link Scope})
 * @param installAdmin whether the key is the install administrator's, who may also create accounts and manage any
 *     account's keys (the bootstrap key)
 */
public record Caller(AccountId account, String keyId, Set<Scope> scopes, boolean installAdmin) {

  public Caller {
    scopes = Set.copyOf(scopes);
  }

  /** A key with every scope; an install administrator's when {@code installAdmin}. */
  public Caller(AccountId account, String keyId, boolean installAdmin) {
    this(account, keyId, Scope.ALL, installAdmin);
  }

  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }

  /** Whether this caller may manage the given account's keys and settings. */
  public boolean mayManage(AccountId other) {
    return installAdmin || (account.equals(other) && has(Scope.ADMIN));
  }
}
