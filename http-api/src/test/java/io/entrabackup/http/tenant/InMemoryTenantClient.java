package io.entrabackup.http.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.TenantListing;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.api.TenantQuery;
import io.entrabackup.protocol.api.Activation;
import io.entrabackup.protocol.tenant.ActivationReply;
import io.entrabackup.protocol.tenant.TenantAction;
import io.entrabackup.protocol.tenant.TenantCommands.Current;
import io.entrabackup.protocol.tenant.TenantCommands.NotFound;
import io.entrabackup.protocol.tenant.TenantCommands.Reply;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;

/** The tenant side of the cluster, in memory, for testing what the routes make of its answers. */
final class InMemoryTenantClient implements TenantClient {

  final ConcurrentSkipListMap<String, TenantView> tenants = new ConcurrentSkipListMap<>();

  @Override
  public CompletionStage<Reply> register(
      TenantId tenantId, AccountId account, String displayName, Optional<String> entraTenant) {
    var view = new TenantView(tenantId, account, displayName, entraTenant, TenantStatus.PENDING_AUTHORIZATION,
        Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
        Optional.empty(), Map.of(), TenantAction.availableIn(TenantStatus.PENDING_AUTHORIZATION),
        Instant.parse("2026-11-28T10:00:00Z"), Optional.empty());
    tenants.put(tenantId.value(), view);
    return CompletableFuture.completedFuture(new Current(view));
  }

  @Override
  public CompletionStage<Reply> get(TenantId tenantId, AccountId account) {
    TenantView view = tenants.get(tenantId.value());
    return CompletableFuture.completedFuture(
        view != null && view.account().equals(account) ? new Current(view) : new NotFound());
  }

  @Override
  public CompletionStage<ActivationReply> activate(
      TenantId tenantId, AccountId account, boolean immediateBackup, Duration frequency) {
    TenantView view = tenants.get(tenantId.value());
    if (view == null || !view.account().equals(account)) {
      return CompletableFuture.completedFuture(new NotFound());
    }
    return CompletableFuture.completedFuture(new ActivationReply.ConsentLink(new Activation(tenantId.value(),
        "https://login.example/organizations/v2.0/adminconsent?state=s", Instant.parse("2026-11-28T11:00:00Z"))));
  }

  @Override
  public CompletionStage<Reply> startBackup(TenantId tenantId, AccountId account) {
    return get(tenantId, account).thenApply(reply -> reply instanceof Current
        ? new io.entrabackup.protocol.tenant.TenantCommands.BackupAlreadyRunning("6a1f2c4e-0f0e-11f1-8000-000000000001")
        : reply);
  }

  @Override
  public CompletionStage<Reply> checkAuthorization(TenantId tenantId, AccountId account) {
    return get(tenantId, account);
  }

  /** Delete: a week from the registration's clock, as the entity would answer it. */
  @Override
  public CompletionStage<Reply> scheduleDeletion(TenantId tenantId, AccountId account, String requestedBy) {
    return get(tenantId, account).thenApply(reply -> reply instanceof Current current
        ? new Current(withDeletion(current.tenant(), Optional.of(Instant.parse("2026-12-05T10:00:00Z"))))
        : reply);
  }

  @Override
  public CompletionStage<Reply> cancelDeletion(TenantId tenantId, AccountId account, String cancelledBy) {
    return get(tenantId, account).thenApply(reply -> reply instanceof Current current
        ? new Current(withDeletion(current.tenant(), Optional.empty()))
        : reply);
  }

  private TenantView withDeletion(TenantView t, Optional<Instant> at) {
    var view = new TenantView(t.id(), t.account(), t.displayName(), t.entraTenant(), t.status(), t.statusReason(),
        t.entraTenantId(), t.organizationName(), t.verifiedDomains(), t.backupFrequency(), t.nextBackupAt(),
        t.lastBackup(), t.objectCounts(), TenantAction.availableIn(t.status(), at.isPresent()), t.registeredAt(), at);
    tenants.put(t.id().value(), view);
    return view;
  }

  /** Tenants whose backup is running, as the read model would say. */
  final java.util.Set<String> backingUp = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Override
  public CompletionStage<TenantPage> list(AccountId account, TenantQuery query) {
    List<TenantView> all = tenants.values().stream().filter(view -> view.account().equals(account)).toList();
    return CompletableFuture.completedFuture(TenantListing.answer(all, backingUp, query));
  }
}
