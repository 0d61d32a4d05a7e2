package io.entrabackup.http.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenantReply;
import io.entrabackup.protocol.tenant.TenantCommands.RegisterReply;
import io.entrabackup.protocol.tenant.TenantCommands.RegistrationAccepted;
import io.entrabackup.protocol.tenant.TenantCommands.TenantFound;
import io.entrabackup.protocol.tenant.TenantCommands.TenantNotFound;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;

/** The tenant side of the cluster, in memory, for testing what the routes make of its answers. */
final class InMemoryTenantClient implements TenantClient {

  final ConcurrentSkipListMap<String, TenantView> tenants = new ConcurrentSkipListMap<>();

  @Override
  public CompletionStage<RegisterReply> register(
      TenantId tenantId, AccountId account, String displayName, Optional<String> entraTenant) {
    var view = new TenantView(tenantId, account, displayName, entraTenant, TenantStatus.PENDING_AUTHORIZATION,
        Instant.parse("2026-11-28T10:00:00Z"));
    tenants.put(tenantId.value(), view);
    return CompletableFuture.completedFuture(new RegistrationAccepted(view));
  }

  @Override
  public CompletionStage<GetTenantReply> get(TenantId tenantId, AccountId account) {
    TenantView view = tenants.get(tenantId.value());
    return CompletableFuture.completedFuture(
        view != null && view.account().equals(account) ? new TenantFound(view) : new TenantNotFound());
  }

  @Override
  public CompletionStage<TenantPage> list(AccountId account, Optional<TenantId> after, int limit) {
    List<TenantView> all = tenants.tailMap(after.map(TenantId::value).orElse(""), false).values().stream()
        .filter(view -> view.account().equals(account))
        .toList();
    List<TenantView> page = all.stream().limit(limit).toList();
    String next = all.size() > limit ? page.get(page.size() - 1).id().value() : null;
    return CompletableFuture.completedFuture(new TenantPage(page, next));
  }
}
