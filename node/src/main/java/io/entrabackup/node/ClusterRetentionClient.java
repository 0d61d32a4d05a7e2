package io.entrabackup.node;

import io.entrabackup.cluster.retention.Retention;
import io.entrabackup.http.retention.RetentionClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.retention.RetentionSetting;
import io.entrabackup.protocol.retention.RetentionView;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The retention routes on the cluster's {@link Retention}. */
final class ClusterRetentionClient implements RetentionClient {

  private final Retention retention;

  ClusterRetentionClient(Retention retention) {
    this.retention = retention;
  }

  @Override
  public CompletionStage<RetentionView> ofAccount(AccountId account) {
    return retention.ofAccount(account);
  }

  @Override
  public CompletionStage<RetentionView> setAccount(AccountId account, RetentionSetting setting, String keyId) {
    return retention.setAccount(account, setting, keyId);
  }

  @Override
  public CompletionStage<Optional<RetentionView>> ofTenant(AccountId account, TenantId tenant) {
    return retention.ofTenant(account, tenant.value());
  }

  @Override
  public CompletionStage<Optional<RetentionView>> setTenant(AccountId account, TenantId tenant,
      RetentionSetting setting, String keyId) {
    return retention.setTenant(account, tenant.value(), setting, keyId);
  }

  @Override
  public CompletionStage<RunAnswer> runNow(AccountId account, TenantId tenant) {
    return retention.runNow(account, tenant.value()).thenApply(answer -> {
      if (answer instanceof Retention.Started started) {
        return new Started(started.run());
      }
      return answer instanceof Retention.Unlimited ? new Unlimited() : new UnknownTenant();
    });
  }
}
