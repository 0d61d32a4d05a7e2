package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.tenant.TenantState.PendingConsent;
import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.tenant.BackupFrequency;
import io.entrabackup.protocol.tenant.TenantCommands.CheckConsentState;
import io.entrabackup.protocol.tenant.TenantCommands.CompleteConsent;
import io.entrabackup.protocol.tenant.TenantCommands.MarkAuthorizationLost;
import io.entrabackup.protocol.tenant.TenantCommands.OperatorCommand;
import io.entrabackup.protocol.tenant.TenantCommands.RefuseConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.RequestConsent;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.ConsentRequested;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The tenant's authorization rules: Activate Backup, the consent callback's outcomes, and lost
 * authorization. Each command either yields events (possibly none) or is refused with a reason.
 */
final class TenantAuthorizationRules {

  static final String STALE_CONSENT =
      "This consent link was already used, replaced by a newer Activate Backup, or has expired;"
          + " press Activate Backup again for a new one.";

  /** Events to persist, or the refusal to answer instead. */
  record Decision(List<Event> events, Optional<Rejected> refusal) {
    static Decision accept(Event... events) {
      return new Decision(List.of(events), Optional.empty());
    }

    static Decision refuse(String reason) {
      return new Decision(List.of(), Optional.of(new Rejected(reason)));
    }
  }

  private final TenantId tenantId;
  private final List<ObjectType> backedUpTypes;
  private final Supplier<String> newRunId;

  TenantAuthorizationRules(TenantId tenantId, List<ObjectType> backedUpTypes, Supplier<String> newRunId) {
    this.tenantId = tenantId;
    this.backedUpTypes = backedUpTypes;
    this.newRunId = newRunId;
  }

  /** @param now the time to record (milliseconds); {@code clock} the exact time, for expiry checks */
  Decision decide(Registered state, OperatorCommand command, Instant now, Instant clock) {
    if (command instanceof RequestConsent request) {
      return onRequestConsent(request, now);
    } else if (command instanceof CheckConsentState check) {
      return pendingMatches(state, check.nonce(), clock) ? Decision.accept() : Decision.refuse(STALE_CONSENT);
    } else if (command instanceof CompleteConsent complete) {
      return onCompleteConsent(state, complete, now, clock);
    } else if (command instanceof RefuseConsent refuse) {
      return pendingMatches(state, refuse.nonce(), clock)
          ? Decision.accept(new AuthorizationRefused(tenantId, state.account(), refuse.error(), refuse.description(), now))
          : Decision.refuse(STALE_CONSENT);
    } else if (command instanceof MarkAuthorizationLost lost) {
      // Already not authorized: nothing new to record.
      return state.status() == TenantStatus.AUTHORIZED
          ? Decision.accept(new AuthorizationLost(tenantId, state.account(), lost.reason(), now))
          : Decision.accept();
    }
    throw new IllegalArgumentException("not an authorization command: " + command.getClass().getSimpleName());
  }

  private Decision onRequestConsent(RequestConsent request, Instant now) {
    if (!BackupFrequency.OFFERED.contains(request.frequency())) {
      return Decision.refuse("frequency " + request.frequency() + " is not offered");
    }
    return Decision.accept(new ConsentRequested(tenantId, request.nonce(), request.immediateBackup(),
        request.frequency(), now, request.expiresAt()));
  }

  private Decision onCompleteConsent(Registered state, CompleteConsent command, Instant now, Instant clock) {
    if (!pendingMatches(state, command.nonce(), clock)) {
      return Decision.refuse(STALE_CONSENT);
    }
    Optional<String> mismatch = EntraTenantMatch.mismatch(state.registration().entraTenant(), command);
    if (mismatch.isPresent()) {
      return Decision.refuse(mismatch.get());
    }
    PendingConsent consent = state.authorization().pendingConsent().orElseThrow();
    Instant nextBackup = consent.immediateBackup() ? now : BackupSchedule.nextSlot(tenantId, consent.frequency(), now);
    var authorized = new TenantAuthorized(tenantId, state.account(), command.entraTenantId(),
        command.organizationName(), command.verifiedDomains(), consent.frequency(), consent.immediateBackup(), now,
        nextBackup);
    if (!consent.immediateBackup() || state.backups().running().isPresent()) {
      return Decision.accept(authorized);
    }
    return Decision.accept(authorized, new BackupStarted(tenantId, state.account(), newRunId.get(),
        BackupTrigger.IMMEDIATE, backedUpTypes, now));
  }

  private static boolean pendingMatches(Registered state, String nonce, Instant clock) {
    return state.authorization().pendingConsent().filter(pending -> pending.matches(nonce, clock)).isPresent();
  }
}
