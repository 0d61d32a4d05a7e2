package io.entrabackup.cluster.retention;

import io.entrabackup.cluster.tenant.TenantDirectory;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.retention.RetentionView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node looks, every {@code check-interval}, for tenants whose retention is finite and whose last pass ended
 * more than {@code every} ago (or was deferred), and for passes whose node stopped: it claims each (the claim is a
 * lightweight transaction, so of two nodes looking at once one wins) and runs its pass. Accounts that never set
 * a retention are not looked at: unlimited is the default.
 */
public final class RetentionSchedule {

  private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

  private RetentionSchedule() {}

  public static void start(ActorSystem<?> system, Retention retention, TenantDirectory tenants) {
    RetentionSettings settings = retention.settings();
    if (!settings.scheduled()) {
      return;
    }
    Duration interval = settings.checkInterval();
    system.scheduler().scheduleWithFixedDelay(interval, interval, () -> check(retention, tenants)
        .whenComplete((done, error) -> {
          if (error != null) {
            log.warn("Retention check failed, next in {}: {}", interval, error.toString());
          }
        }), system.executionContext());
  }

  /** One look at every account with a setting. */
  static CompletionStage<Void> check(Retention retention, TenantDirectory tenants) {
    return retention.policies().all().thenCompose(accounts -> {
      CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
      for (RetentionPolicies.AccountPolicies account : accounts) {
        chain = chain.thenCompose(done -> tenants.tenants(new AccountId(account.accountId()))
            .thenCompose(views -> due(retention, account, views.stream().map(view -> view.id().value()).toList())));
      }
      return chain;
    });
  }

  private static CompletionStage<Void> due(Retention retention, RetentionPolicies.AccountPolicies account,
      List<String> tenantIds) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (String tenantId : tenantIds) {
      RetentionView view = account.forTenant(tenantId);
      if (view.keepDays() != null) {
        chain = chain.thenCompose(done -> retention.begin(account.accountId(), tenantId, view.keepDays(),
                BackupTrigger.SCHEDULED, retention.settings().every())
            .thenApply(run -> null));
      }
    }
    return chain;
  }
}
