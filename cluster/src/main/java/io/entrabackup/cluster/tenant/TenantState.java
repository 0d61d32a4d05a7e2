package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Instant;
import java.util.Optional;

/** The tenant entity's state, one record per lifecycle phase; {@code forStateType} picks the handlers. */
sealed interface TenantState extends CborSerializable {

  /** No registration yet: the entity exists only because someone addressed its id. */
  record Unregistered() implements TenantState {
    Registered apply(TenantRegistered event) {
      return new Registered(
          event.tenantId(),
          event.account(),
          event.displayName(),
          event.entraTenant(),
          TenantStatus.PENDING_AUTHORIZATION,
          event.registeredAt());
    }
  }

  record Registered(
      TenantId tenantId,
      AccountId account,
      String displayName,
      Optional<String> entraTenant,
      TenantStatus status,
      Instant registeredAt)
      implements TenantState {

    TenantView view() {
      return new TenantView(tenantId, account, displayName, entraTenant, status, registeredAt);
    }

    boolean ownedBy(AccountId candidate) {
      return account.equals(candidate);
    }
  }
}
