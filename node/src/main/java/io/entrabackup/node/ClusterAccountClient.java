package io.entrabackup.node;

import io.entrabackup.cluster.tenant.TenantDirectory;
import io.entrabackup.http.tenant.TenantClient;
import io.entrabackup.protocol.account.AccountDeletion;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantView;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import io.entrabackup.cluster.account.AccountStore;
import io.entrabackup.http.account.AccountClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.account.ApiKeyView;
import io.entrabackup.protocol.account.Caller;
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
  private final TenantClient tenants;
  private final TenantDirectory directory;

  ClusterAccountClient(AccountStore store, TenantClient tenants, TenantDirectory directory) {
    this.store = store;
    this.tenants = tenants;
    this.directory = directory;
  }

  /** Each of the account's tenants (as its dashboard lists them) is scheduled for deletion, one after the other. */
  @Override
  public CompletionStage<Optional<AccountDeletion>> scheduleDeletion(AccountId account, String requestedBy) {
    return store.listKeys(account).thenCompose(keys -> keys.isEmpty()
        ? CompletableFuture.completedFuture(Optional.<AccountDeletion>empty())
        : directory.tenants(account).thenCompose(listed -> {
          CompletionStage<List<TenantView>> scheduled = CompletableFuture.completedFuture(List.of());
          for (TenantView tenant : listed) {
            scheduled = scheduled.thenCompose(done -> tenants.scheduleDeletion(tenant.id(), account, requestedBy)
                .thenApply(reply -> {
                  List<TenantView> views = new ArrayList<>(done);
                  if (reply instanceof TenantCommands.Current current) {
                    views.add(current.tenant());
                  }
                  return List.copyOf(views);
                }));
          }
          return scheduled.thenApply(views -> Optional.of(new AccountDeletion(account, views)));
        }));
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
  public CompletionStage<Optional<NewApiKey>> createKey(AccountId account, String name, Set<Scope> scopes,
      Caller issuer) {
    return store.createKey(account, name, scopes, Optional.of(issuer));
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

  @Override
  public CompletionStage<Optional<NewApiKey>> rotateKey(AccountId account, String keyId, Caller rotator) {
    return store.rotateKey(account, keyId, Optional.of(rotator));
  }
}
