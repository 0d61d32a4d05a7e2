package io.entrabackup.http.retention;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.retention.RetentionRun;
import io.entrabackup.protocol.retention.RetentionSetting;
import io.entrabackup.protocol.retention.RetentionView;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** What the retention routes need from the cluster: settings read and set, and a pass on demand. */
public interface RetentionClient {

  /** What asking for a pass found. */
  sealed interface RunAnswer permits Started, Unlimited, UnknownTenant {}

  record Started(RetentionRun run) implements RunAnswer {}

  /** The tenant keeps versions without limit: a pass would prune nothing. */
  record Unlimited() implements RunAnswer {}

  record UnknownTenant() implements RunAnswer {}

  CompletionStage<RetentionView> ofAccount(AccountId account);

  /** @param setting validated */
  CompletionStage<RetentionView> setAccount(AccountId account, RetentionSetting setting, String keyId);

  /** Empty when the tenant is not the account's. */
  CompletionStage<Optional<RetentionView>> ofTenant(AccountId account, TenantId tenant);

  /** @param setting validated; empty when the tenant is not the account's */
  CompletionStage<Optional<RetentionView>> setTenant(AccountId account, TenantId tenant, RetentionSetting setting,
      String keyId);

  CompletionStage<RunAnswer> runNow(AccountId account, TenantId tenant);
}
