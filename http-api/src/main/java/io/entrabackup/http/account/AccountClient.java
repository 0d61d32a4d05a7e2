package io.entrabackup.http.account;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.ApiKeyView;
import io.entrabackup.protocol.account.Caller;
import io.entrabackup.protocol.account.CreatedAccount;
import io.entrabackup.protocol.account.NewApiKey;
import io.entrabackup.protocol.account.Scope;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.entrabackup.protocol.account.AccountDeletion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Accounts and their API keys, as the account routes use them. */
public interface AccountClient {

  /** Creates the account with a first key, which has every scope; empty when the id is taken. */
  CompletionStage<Optional<CreatedAccount>> createAccount(AccountId account, String displayName);

  /** A new key with these scopes; empty when there is no such account. */
  CompletionStage<Optional<NewApiKey>> createKey(AccountId account, String name, Set<Scope> scopes);

  /**
   * As {@link #createKey(AccountId, String, Set)}, made by {@code issuer}, who is handed the secret: four-eyes
   * approvals remember it (http-api/API-SECURITY.md).
   */
  default CompletionStage<Optional<NewApiKey>> createKey(AccountId account, String name, Set<Scope> scopes,
      Caller issuer) {
    return createKey(account, name, scopes);
  }

  /** Empty when there is no such account. */
  CompletionStage<Optional<List<ApiKeyView>>> listKeys(AccountId account);

  /** One key of the account, revoked or not; empty when it has no such key. */
  CompletionStage<Optional<ApiKeyView>> key(AccountId account, String keyId);

  /** False when the account has no such key. Revoking twice is fine. */
  CompletionStage<Boolean> revokeKey(AccountId account, String keyId);

  /** A new secret for a live key, the old one revoked; empty when the account has no such live key. */
  CompletionStage<Optional<NewApiKey>> rotateKey(AccountId account, String keyId);

  /** As {@link #rotateKey(AccountId, String)}, by {@code rotator}, who is handed the new secret. */
  default CompletionStage<Optional<NewApiKey>> rotateKey(AccountId account, String keyId, Caller rotator) {
    return rotateKey(account, keyId);
  }

  /**
   * Deletes an account (an install administrator's): schedules the deletion of each of its tenants, as deleting each
   * would; empty when there is no such account. Clients without offboarding refuse it.
   */
  default CompletionStage<Optional<AccountDeletion>> scheduleDeletion(AccountId account, String requestedBy) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("no offboarding in this client"));
  }
}
