package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.tenant.TenantState.PendingConsent;
import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.tenant.BackupFrequency;
import io.entrabackup.protocol.tenant.TenantCommands.CheckConsentState;
import io.entrabackup.protocol.tenant.TenantCommands.CompleteConsent;
import io.entrabackup.protocol.tenant.TenantCommands.MarkAuthorizationLost;
import io.entrabackup.protocol.tenant.TenantCommands.MarkDirectoryDisputed;
import io.entrabackup.protocol.tenant.TenantCommands.RefuseConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.RequestConsent;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.ConsentRequested;
import io.entrabackup.protocol.tenant.TenantEvents.DirectoryDisputed;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The tenant's consent rules, without I/O: Activate Backup, the consent callback's outcomes, and lost authorization
 * (the Microsoft side of it is {@link AdminConsent}). Each command either yields events (possibly none) or is refused
 * with a reason.
 */
final class ConsentRules {

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
  /** A new backup run of the tenant (for the immediate backup chosen at Activate Backup). */
  private final BiFunction<Registered, BackupTrigger, BackupStarted> backupStarted;
  private final Clock clock;
  private final BackupSchedule schedule;

  ConsentRules(TenantId tenantId, BiFunction<Registered, BackupTrigger, BackupStarted> backupStarted, Clock clock,
      BackupSchedule schedule) {
    this.schedule = schedule;
    this.tenantId = tenantId;
    this.backupStarted = backupStarted;
    this.clock = clock;
  }

  Decision onRequestConsent(Registered state, RequestConsent request) {
    if (!BackupFrequency.OFFERED.contains(request.frequency())) {
      return Decision.refuse("frequency " + request.frequency() + " is not offered");
    }
    return Decision.accept(new ConsentRequested(tenantId, request.nonce(), request.immediateBackup(),
        request.frequency(), recordedNow(), request.expiresAt()));
  }

  /** Whether the nonce is this tenant's pending, unexpired consent request; changes nothing. */
  Decision onCheckConsentState(Registered state, CheckConsentState check) {
    return pendingMatches(state, check.nonce()) ? Decision.accept() : Decision.refuse(STALE_CONSENT);
  }

  Decision onCompleteConsent(Registered state, CompleteConsent command) {
    if (!pendingMatches(state, command.nonce())) {
      return Decision.refuse(STALE_CONSENT);
    }
    Optional<String> bound = state.consent().entraTenantId();
    if (bound.isPresent() && !bound.get().equalsIgnoreCase(command.entraTenantId())) {
      return Decision.refuse("This tenant protects Microsoft directory " + bound.get()
          + "; a tenant's directory never changes. Register another tenant for directory "
          + command.entraTenantId() + ". Nothing was changed.");
    }
    Optional<String> mismatch = EntraTenantMatch.mismatch(state.registration().entraTenant(), command);
    if (mismatch.isPresent()) {
      return Decision.refuse(mismatch.get());
    }
    Instant now = recordedNow();
    PendingConsent consent = state.consent().pendingConsent().orElseThrow();
    Instant nextBackup = consent.immediateBackup() ? now : schedule.next(tenantId, consent.frequency(), now);
    var authorized = new TenantAuthorized(tenantId, state.account(), command.entraTenantId(),
        command.organizationName(), command.verifiedDomains(), consent.frequency(), consent.immediateBackup(), now,
        nextBackup);
    if (!consent.immediateBackup() || state.backups().running().isPresent()) {
      return Decision.accept(authorized);
    }
    return Decision.accept(authorized, backupStarted.apply(state, BackupTrigger.IMMEDIATE));
  }

  Decision onRefuseConsent(Registered state, RefuseConsent refuse) {
    return pendingMatches(state, refuse.nonce())
        ? Decision.accept(new AuthorizationRefused(tenantId, state.account(), refuse.error(), refuse.description(),
            recordedNow()))
        : Decision.refuse(STALE_CONSENT);
  }

  Decision onMarkAuthorizationLost(Registered state, MarkAuthorizationLost lost) {
    // Already not authorized: nothing new to record.
    return state.status() == TenantStatus.AUTHORIZED
        ? Decision.accept(new AuthorizationLost(tenantId, state.account(), lost.reason(), recordedNow()))
        : Decision.accept();
  }

  /**
   * The backfill (DirectoryBindingBackfill) found the tenant's directory claimed by another tenant too: nothing runs
   * until the tenant consents again. A tenant authorized since the dispute was recorded proved itself through the
   * sign-in meanwhile and holds the binding, so a late mark changes nothing; so does one for another directory.
   */
  Decision onMarkDirectoryDisputed(Registered state, MarkDirectoryDisputed mark) {
    Optional<String> directory = state.consent().entraTenantId();
    boolean ours = directory.filter(id -> DirectoryBindings.key(id).equals(DirectoryBindings.key(mark.entraTenantId())))
        .isPresent();
    boolean authorizedSince = state.consent().authorizedAt().filter(at -> at.isAfter(mark.disputedAt())).isPresent();
    if (!ours || authorizedSince || state.status() == TenantStatus.DIRECTORY_DISPUTED) {
      return Decision.accept();
    }
    return Decision.accept(new DirectoryDisputed(tenantId, state.account(), directory.get(),
        disputeReason(directory.get()), recordedNow()));
  }

  /** For the operator; names no other account or tenant (the other tenant may be another account's). */
  static String disputeReason(String directory) {
    return "Microsoft directory " + directory + " is claimed by another tenant of this service as well (both were"
        + " authorized before a directory could belong to one tenant only), so neither is trusted: backups, downloads"
        + " and restores of this tenant are stopped. An administrator of the directory restores it by signing in and"
        + " consenting again (Activate Backup) for the tenant that should protect it; that tenant then holds the"
        + " directory, and any other stays stopped.";
  }

  /** Expiry is checked against the exact time. */
  private boolean pendingMatches(Registered state, String nonce) {
    Instant exactly = clock.instant();
    return state.consent().pendingConsent().filter(pending -> pending.matches(nonce, exactly)).isPresent();
  }

  // Cassandra keeps milliseconds; truncating here makes state and read model agree exactly.
  private Instant recordedNow() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
