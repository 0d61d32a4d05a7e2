package io.entrabackup.cluster.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.cluster.account.AccountSettingsStore;
import io.entrabackup.cluster.restore.RestorePlans;
import io.entrabackup.cluster.snapshot.ObjectSnapshot;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.account.FourEyes;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.download.DownloadScope;
import io.entrabackup.protocol.download.DownloadSpec;
import io.entrabackup.protocol.restore.RestorePlan;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whether a restore or download must wait for a second key's approval, by the account's four-eyes settings
 * ({@link FourEyes}) and, for "privileged restores only", by what the restore would grant ({@link PrivilegedRoles}).
 * Decided when the job is asked for, with the settings of that moment; the job's events keep why.
 */
public final class FourEyesRules {

  /** The job waits: {@code reason} (shown with it) and for how long at most. */
  public record Waiting(String reason, Duration window) {}

  private final AccountSettingsStore settings;
  private final RestorePlans plans;

  public FourEyesRules(AccountSettingsStore settings, RestorePlans plans) {
    this.settings = settings;
    this.plans = plans;
  }

  /** For a restore of the object to {@code target} (a version that holds a state). */
  public CompletionStage<Optional<Waiting>> restore(AccountId account, TenantId tenant, String entraTenantId,
      ObjectSnapshot target) {
    return settings.settings(account).thenCompose(current -> {
      FourEyes rule = current.fourEyes();
      if (!rule.everyRestore() && !rule.privilegedRestores()) {
        return CompletableFuture.completedFuture(Optional.<Waiting>empty());
      }
      // Only a user's plan says whether it grants a privileged role: read it only when the answer depends on it.
      CompletionStage<Optional<RestorePlan>> plan = rule.privilegedRestores() && !rule.everyRestore()
          && target.type() == ObjectType.USERS
          ? plans.plan(tenant, entraTenantId, target.type(), target.objectId(), target.versionId())
          : CompletableFuture.completedFuture(Optional.empty());
      return plan.thenApply(found -> restoreReason(rule, target.type(), target.state(), found)
          .map(reason -> new Waiting(reason, rule.window())));
    });
  }

  /** For a download: only whole-tenant downloads may wait. */
  public CompletionStage<Optional<Waiting>> download(AccountId account, DownloadSpec spec) {
    if (spec.scope() != DownloadScope.TENANT) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return settings.settings(account).thenApply(current -> current.fourEyes().tenantDownloads()
        ? Optional.of(new Waiting("the account's four-eyes rule: downloads of a whole tenant are approved by a"
            + " second key", current.fourEyes().window()))
        : Optional.empty());
  }

  /**
   * Why a restore waits under {@code rule}; empty when it runs at once. {@code plan} is the restore's plan when it
   * was read (users under "privileged restores only").
   */
  static Optional<String> restoreReason(FourEyes rule, ObjectType type, JsonNode state, Optional<RestorePlan> plan) {
    if (rule.everyRestore()) {
      return Optional.of("the account's four-eyes rule: every restore is approved by a second key");
    }
    if (!rule.privilegedRestores()) {
      return Optional.empty();
    }
    Optional<String> privilege = type == ObjectType.USERS
        ? plan.flatMap(PrivilegedRoles::grantedBy)
        : PrivilegedRoles.privilegeOf(type, state);
    return privilege.map(what -> "the account's four-eyes rule for privileged restores: this restore writes " + what);
  }
}
