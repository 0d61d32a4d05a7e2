package io.entrabackup.http.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.tenant.TenantCommands;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the tenant routes need from the cluster: asks to the tenant entity and reads of the tenant
 * read model. The node wires it to Cluster Sharding; route tests use an in-memory one.
 */
public interface TenantClient {

  CompletionStage<TenantCommands.RegisterReply> register(
      TenantId tenantId, AccountId account, String displayName, Optional<String> entraTenant);

  CompletionStage<TenantCommands.GetTenantReply> get(TenantId tenantId, AccountId account);

  CompletionStage<TenantPage> list(AccountId account, Optional<TenantId> after, int limit);
}
