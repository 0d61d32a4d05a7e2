package io.entrabackup.http.account;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.ApiKeyView;
import io.entrabackup.protocol.account.CreatedAccount;
import io.entrabackup.protocol.account.NewApiKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Accounts and their API keys, as the account routes use them. */
public interface AccountClient {

  /** Creates the account with a first key; empty when the id is taken. */
  CompletionStage<Optional<CreatedAccount>> createAccount(AccountId account, String displayName);

  /** Empty when there is no such account. */
  CompletionStage<Optional<NewApiKey>> createKey(AccountId account, String name);

  /** Empty when there is no such account. */
  CompletionStage<Optional<List<ApiKeyView>>> listKeys(AccountId account);

  /** False when the account has no such key. Revoking twice is fine. */
  CompletionStage<Boolean> revokeKey(AccountId account, String keyId);
}
