package io.entrabackup.node;

import io.entrabackup.cluster.account.AccountSettingsStore;
import io.entrabackup.http.account.AccountSettingsClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.AccountSettings;
import java.util.concurrent.CompletionStage;

/** The account settings routes' view of the cluster: the settings table. */
final class ClusterAccountSettingsClient implements AccountSettingsClient {

  private final AccountSettingsStore store;

  ClusterAccountSettingsClient(AccountSettingsStore store) {
    this.store = store;
  }

  @Override
  public CompletionStage<AccountSettings> settings(AccountId account) {
    return store.settings(account);
  }

  @Override
  public CompletionStage<AccountSettings> save(AccountId account, AccountSettings settings, String keyId) {
    return store.save(account, settings, keyId);
  }
}
