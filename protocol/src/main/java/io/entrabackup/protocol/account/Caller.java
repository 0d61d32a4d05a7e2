package io.entrabackup.protocol.account;

import io.entrabackup.protocol.AccountId;

/**
 * Who an authenticated API request acts for: an MSP account, and whether its key is an install
 * administrator's (who may also create accounts and manage any account's keys).
 */
public record Caller(AccountId account, String keyId, boolean admin) {

  /** Whether this caller may manage the given account's keys. */
  public boolean mayManage(AccountId other) {
    return admin || account.equals(other);
  }
}
