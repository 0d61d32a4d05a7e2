package io.entrabackup.http.account;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.AccountSettings;
import java.util.concurrent.CompletionStage;

/** What the account settings routes need from the cluster: an account's settings, read and replaced. */
public interface AccountSettingsClient {

  /** The account's settings (the defaults when it never changed them). */
  CompletionStage<AccountSettings> settings(AccountId account);

  /** Replaces the account's settings (already validated); {@code keyId} is who changed them. */
  CompletionStage<AccountSettings> save(AccountId account, AccountSettings settings, String keyId);
}
