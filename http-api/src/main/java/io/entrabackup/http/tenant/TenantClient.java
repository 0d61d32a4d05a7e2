package io.entrabackup.http.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.api.TenantQuery;
import io.entrabackup.protocol.tenant.ActivationReply;
import io.entrabackup.protocol.tenant.TenantCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the tenant routes need from the cluster: asks to the tenant entity, reads of the tenant read
 * model, and the Microsoft round trips around authorization. The node wires it to the cluster;
 * route tests use an in-memory one.
 */
public interface TenantClient {

  CompletionStage<TenantCommands.Reply> register(
      TenantId tenantId, AccountId account, String displayName, Optional<String> entraTenant);

  CompletionStage<TenantCommands.Reply> get(TenantId tenantId, AccountId account);

  /** One page of the account's tenants as the query asks, with the account's summary. */
  CompletionStage<TenantPage> list(AccountId account, TenantQuery query);

  /** Activate Backup: a single-use, signed, expiring admin-consent link for this tenant and account. */
  CompletionStage<ActivationReply> activate(
      TenantId tenantId, AccountId account, boolean immediateBackup, Duration frequency);

  /** Backup Now: starts a backup unless one is running. */
  CompletionStage<TenantCommands.Reply> startBackup(TenantId tenantId, AccountId account);

  /** Backup Now for the HTTP request {@code requestId}, which the run keeps (clients that do not, drop it). */
  default CompletionStage<TenantCommands.Reply> startBackup(TenantId tenantId, AccountId account, String requestId) {
    return startBackup(tenantId, account);
  }

  /**
   * Delete (offboarding): the tenant is deleted with its data once the grace period has passed, unless cancelled;
   * {@code requestedBy} is the API key id. Clients without offboarding (route tests of other rules) refuse it.
   */
  default CompletionStage<TenantCommands.Reply> scheduleDeletion(TenantId tenantId, AccountId account,
      String requestedBy) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("no offboarding in this client"));
  }

  /** Undo of {@link #scheduleDeletion} within the grace period. */
  default CompletionStage<TenantCommands.Reply> cancelDeletion(TenantId tenantId, AccountId account,
      String cancelledBy) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("no offboarding in this client"));
  }

  /** Tries an app-only token and a Graph read now; a refusal marks the tenant's authorization lost. */
  CompletionStage<TenantCommands.Reply> checkAuthorization(TenantId tenantId, AccountId account);
}
