package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.BackupFrequency;
import io.entrabackup.protocol.tenant.TenantAction;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.ConsentRequested;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tenant entity's state: unregistered, or registered with where it stands with Microsoft. */
sealed interface TenantState extends CborSerializable {

  /** No registration yet: the entity exists only because someone addressed its id. */
  record Unregistered() implements TenantState {
    Registered apply(TenantRegistered event) {
      return new Registered(
          event.tenantId(), event.account(), event.displayName(), event.entraTenant(), event.registeredAt(),
          TenantStatus.PENDING_AUTHORIZATION, Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty(), List.of(), Optional.empty(), Optional.empty());
    }
  }

  /** A consent round trip in flight: its single-use nonce and the options chosen at Activate Backup. */
  record PendingConsent(String nonce, boolean immediateBackup, Duration frequency, Instant expiresAt)
      implements CborSerializable {

    boolean matches(String candidate, Instant now) {
      return nonce.equals(candidate) && now.isBefore(expiresAt);
    }
  }

  record Registered(
      TenantId tenantId,
      AccountId account,
      String displayName,
      Optional<String> entraTenant,
      Instant registeredAt,
      TenantStatus status,
      Optional<String> statusReason,
      Optional<PendingConsent> pendingConsent,
      Optional<String> entraTenantId,
      Optional<String> organizationName,
      List<String> verifiedDomains,
      Optional<Duration> frequency,
      Optional<Instant> nextBackupAt)
      implements TenantState {

    boolean ownedBy(AccountId candidate) {
      return account.equals(candidate);
    }

    TenantView view() {
      return new TenantView(
          tenantId, account, displayName, entraTenant, status, statusReason, entraTenantId, organizationName,
          verifiedDomains, frequency.map(BackupFrequency::format), nextBackupAt, Optional.empty(), Map.of(),
          TenantAction.availableIn(status), registeredAt);
    }

    Registered apply(ConsentRequested event) {
      var pending = new PendingConsent(event.nonce(), event.immediateBackup(), event.frequency(), event.expiresAt());
      return new Registered(tenantId, account, displayName, entraTenant, registeredAt, status, statusReason,
          Optional.of(pending), entraTenantId, organizationName, verifiedDomains, frequency, nextBackupAt);
    }

    Registered apply(TenantAuthorized event) {
      return new Registered(tenantId, account, displayName, entraTenant, registeredAt, TenantStatus.AUTHORIZED,
          Optional.empty(), Optional.empty(), Optional.of(event.entraTenantId()),
          Optional.of(event.organizationName()), List.copyOf(event.verifiedDomains()),
          Optional.of(event.frequency()), Optional.of(event.nextBackupAt()));
    }

    Registered apply(AuthorizationRefused event) {
      String reason = event.description().isBlank() ? event.error() : event.error() + ": " + event.description();
      return new Registered(tenantId, account, displayName, entraTenant, registeredAt,
          TenantStatus.AUTHORIZATION_REFUSED, Optional.of(reason), Optional.empty(), entraTenantId,
          organizationName, verifiedDomains, frequency, Optional.empty());
    }

    Registered apply(AuthorizationLost event) {
      return new Registered(tenantId, account, displayName, entraTenant, registeredAt,
          TenantStatus.AUTHORIZATION_LOST, Optional.of(event.reason()), pendingConsent, entraTenantId,
          organizationName, verifiedDomains, frequency, Optional.empty());
    }
  }
}
