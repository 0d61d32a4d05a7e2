package io.entrabackup.node;

import io.entrabackup.cluster.tenant.TenantEntity;
import io.entrabackup.cluster.tenant.TenantSettings;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * "Is this tenant the account's?", asked of the tenant entity: the one place every client asks it. Another account's
 * tenant and a tenant that does not exist look the same, so the API answers 404 for both and never leaks which it is.
 */
final class TenantOwnership {

  private final ClusterSharding sharding;
  private final Duration askTimeout;

  TenantOwnership(ActorSystem<?> system) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = TenantSettings.create(system).askTimeout();
  }

  /** The tenant as the account sees it; empty when there is no such tenant in the account. */
  CompletionStage<Optional<TenantView>> tenant(AccountId account, TenantId tenant) {
    return sharding.entityRefFor(TenantEntity.ENTITY_TYPE_KEY, tenant.value())
        .<TenantCommands.Reply>ask(replyTo -> new TenantCommands.GetTenant(account, replyTo), askTimeout)
        .thenApply(reply -> reply instanceof TenantCommands.Current current
            ? Optional.of(current.tenant())
            : Optional.empty());
  }

  /** Runs {@code read} only when the tenant is the account's; empty otherwise. */
  <T> CompletionStage<Optional<T>> ifOwned(AccountId account, TenantId tenant,
      Function<TenantView, CompletionStage<T>> read) {
    return tenant(account, tenant).thenCompose(view -> view.isEmpty()
        ? CompletableFuture.completedFuture(Optional.<T>empty())
        : read.apply(view.get()).thenApply(Optional::of));
  }
}
