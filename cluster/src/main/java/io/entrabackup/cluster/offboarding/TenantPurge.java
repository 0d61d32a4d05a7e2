package io.entrabackup.cluster.offboarding;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Deletes an offboarded tenant's data, for its entity (cluster/OFFBOARDING.md). Every step is idempotent, so a purge
 * interrupted by a crash is simply run again from the start.
 */
public interface TenantPurge {

  /** Whose data: the tenant, its account, the directory it is bound to, and its entity's persistence id. */
  record Target(TenantId tenantId, AccountId account, Optional<String> entraTenantId, String persistenceId) {}

  /**
   * The data key is destroyed first (crypto-shredding), then the tenant's rows in every table that holds them, then
   * the journal's tagged copies and snapshots of the entity. The entity's events themselves go last, see
   * {@link #clearEvents}.
   */
  CompletionStage<Done> purge(Target target);

  /** Deletes the entity's events up to {@code toSequenceNr}, inclusive (all but the tombstone). */
  CompletionStage<Done> clearEvents(String persistenceId, long toSequenceNr);

  /** Where no purge is wired (entity tests that do not offboard): every purge fails, and is retried. */
  TenantPurge UNAVAILABLE = new TenantPurge() {
    @Override
    public CompletionStage<Done> purge(Target target) {
      return CompletableFuture.failedFuture(new IllegalStateException("no purge is available here"));
    }

    @Override
    public CompletionStage<Done> clearEvents(String persistenceId, long toSequenceNr) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  };
}
