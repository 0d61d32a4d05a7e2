package io.entrabackup.node;

import io.entrabackup.cluster.tenant.TenantSettings;
import io.entrabackup.cluster.tenant.AdminConsent;
import io.entrabackup.cluster.tenant.TenantDirectory;
import io.entrabackup.cluster.tenant.TenantEntity;
import io.entrabackup.http.tenant.TenantClient;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.tenant.ActivationReply;
import io.entrabackup.protocol.tenant.TenantCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** The tenant routes' view of the cluster: asks through Cluster Sharding, lists from the read model. */
final class ClusterTenantClient implements TenantClient {

  private final ClusterSharding sharding;
  private final TenantDirectory directory;
  private final AdminConsent authorization;
  private final Duration askTimeout;

  ClusterTenantClient(ActorSystem<?> system, TenantDirectory directory, AdminConsent authorization) {
    this.sharding = ClusterSharding.get(system);
    this.directory = directory;
    this.authorization = authorization;
    this.askTimeout = TenantSettings.create(system).askTimeout();
  }

  @Override
  public CompletionStage<TenantCommands.Reply> register(
      TenantId tenantId, AccountId account, String displayName, Optional<String> entraTenant) {
    return entity(tenantId).ask(
        replyTo -> new TenantCommands.Register(account, displayName, entraTenant, replyTo), askTimeout);
  }

  @Override
  public CompletionStage<TenantCommands.Reply> get(TenantId tenantId, AccountId account) {
    return entity(tenantId).ask(replyTo -> new TenantCommands.GetTenant(account, replyTo), askTimeout);
  }

  @Override
  public CompletionStage<TenantPage> list(AccountId account, Optional<TenantId> after, int limit) {
    return directory.list(account, after, limit);
  }

  @Override
  public CompletionStage<ActivationReply> activate(
      TenantId tenantId, AccountId account, boolean immediateBackup, Duration frequency) {
    return authorization.activate(tenantId, account, immediateBackup, frequency);
  }

  @Override
  public CompletionStage<TenantCommands.Reply> startBackup(TenantId tenantId, AccountId account) {
    return entity(tenantId).ask(
        replyTo -> new TenantCommands.StartBackup(account, BackupTrigger.MANUAL, replyTo), askTimeout);
  }

  @Override
  public CompletionStage<TenantCommands.Reply> checkAuthorization(TenantId tenantId, AccountId account) {
    return authorization.checkAuthorization(tenantId, account);
  }

  private EntityRef<TenantCommands.Command> entity(TenantId tenantId) {
    return sharding.entityRefFor(TenantEntity.ENTITY_TYPE_KEY, tenantId.value());
  }
}
