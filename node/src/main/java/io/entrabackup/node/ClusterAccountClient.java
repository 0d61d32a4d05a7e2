package io.entrabackup.node;

import io.entrabackup.cluster.account.AccountStore;
import io.entrabackup.http.account.AccountClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.ApiKeyView;
import io.entrabackup.protocol.account.CreatedAccount;
import io.entrabackup.protocol.account.NewApiKey;
import io.entrabackup.protocol.account.Scope;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** The account routes' view of the cluster: the account store in Cassandra. */
final class ClusterAccountClient implements AccountClient {

  private final AccountStore store;

  ClusterAccountClient(AccountStore store) {
    this.store = store;
  }

  @Override
  public CompletionStage<Optional<CreatedAccount>> createAccount(AccountId account, String displayName) {
    return store.createAccount(account, displayName);
  }

  @Override
  public CompletionStage<Optional<NewApiKey>> createKey(AccountId account, String name, Set<Scope> scopes) {
    return store.createKey(account, name, scopes);
  }

  @Override
  public CompletionStage<Optional<List<ApiKeyView>>> listKeys(AccountId account) {
    return store.listKeys(account);
  }

  @Override
  public CompletionStage<Optional<ApiKeyView>> key(AccountId account, String keyId) {
    return store.key(account, keyId);
  }

  @Override
  public CompletionStage<Boolean> revokeKey(AccountId account, String keyId) {
    return store.revokeKey(account, keyId);
  }

  @Override
  public CompletionStage<Optional<NewApiKey>> rotateKey(AccountId account, String keyId) {
    return store.rotateKey(account, keyId);
  }
}
