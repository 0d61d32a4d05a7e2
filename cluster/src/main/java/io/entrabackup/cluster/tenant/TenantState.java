package io.entrabackup.cluster.tenant;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.tenant.BackupFrequency;
import io.entrabackup.protocol.tenant.LastBackup;
import io.entrabackup.protocol.tenant.TenantAction;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.DirectoryDisputed;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.BackupRunning;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.ConsentRequested;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalExpired;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalRejected;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalRequested;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApproved;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreFailed;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreObjectRecreated;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreRequested;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreStarted;
import io.entrabackup.protocol.tenant.TenantEvents.TenantDeletionCancelled;
import io.entrabackup.protocol.tenant.TenantEvents.TenantDeletionScheduled;
import io.entrabackup.protocol.tenant.TenantEvents.TenantPurgeStarted;
import io.entrabackup.protocol.tenant.TenantEvents.TenantPurged;
import io.entrabackup.protocol.tenant.TenantEvents.TypeBackedUp;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tenant entity's state: unregistered; registered with its consent, backups, restores and perhaps a scheduled
 * deletion; then, once that deletion's grace period ended, purging and finally deleted (cluster/OFFBOARDING.md).
 */
sealed interface TenantState extends CborSerializable {

  /** No registration yet: the entity exists only because someone addressed its id. */
  record Unregistered() implements TenantState {
    Registered apply(TenantRegistered event) {
      return new Registered(
          new Registration(event.tenantId(), event.account(), event.displayName(), event.entraTenant(),
              event.registeredAt()),
          Consent.NOT_GIVEN,
          Backups.NONE,
          Restores.NONE,
          Optional.empty());
    }

    /** The journal was emptied under the tombstone (see {@link TenantPurged}): only the tombstone is replayed. */
    Deleted apply(TenantPurged event) {
      return new Deleted(event.tenantId(), event.purgedAt());
    }
  }

  /** Offboarding asked for by key {@code requestedBy} at {@code scheduledAt}: the purge starts at {@code deleteAt}. */
  record ScheduledDeletion(String requestedBy, Instant scheduledAt, Instant deleteAt) implements CborSerializable {}

  /**
   * The grace period ended and the tenant's data is being deleted: nothing but the purge happens, and the operator
   * sees no tenant any more. {@code entraTenantId} is the directory whose binding the purge releases.
   */
  record Purging(Registration registration, Optional<String> entraTenantId) implements TenantState {
    Deleted apply(TenantPurged event) {
      return new Deleted(event.tenantId(), event.purgedAt());
    }
  }

  /** The tombstone: the tenant and its data are gone; every command is refused as for an unknown tenant. */
  record Deleted(TenantId tenantId, Instant purgedAt) implements TenantState {
    Deleted apply(TenantPurged event) {
      return new Deleted(event.tenantId(), event.purgedAt());
    }
  }

  /** Who registered the tenant, and as what. Never changes. */
  record Registration(TenantId tenantId, AccountId account, String displayName, Optional<String> entraTenant,
      Instant registeredAt) implements CborSerializable {}

  /** A consent round trip in flight: its single-use nonce and the options chosen at Activate Backup. */
  record PendingConsent(String nonce, boolean immediateBackup, Duration frequency, Instant expiresAt)
      implements CborSerializable {

    boolean matches(String candidate, Instant now) {
      return nonce.equals(candidate) && now.isBefore(expiresAt);
    }
  }

  /**
   * The tenant's consent: where it stands with Microsoft (status and why), the consent request in flight, the Entra
   * organization that consented, and the backup frequency chosen with it.
   */
  record Consent(TenantStatus status, Optional<String> statusReason, Optional<PendingConsent> pendingConsent,
      Optional<String> entraTenantId, Optional<String> organizationName, List<String> verifiedDomains,
      Optional<Duration> frequency, Optional<Instant> authorizedAt) implements CborSerializable {

    static final Consent NOT_GIVEN = new Consent(TenantStatus.PENDING_AUTHORIZATION, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty());

    /** {@code authorizedAt}: the last authorization (absent in snapshots from before it was kept). */
    public Consent {
      authorizedAt = authorizedAt == null ? Optional.empty() : authorizedAt;
    }

    Consent withPending(PendingConsent pending) {
      return new Consent(status, statusReason, Optional.of(pending), entraTenantId, organizationName,
          verifiedDomains, frequency, authorizedAt);
    }

    Consent withStatus(TenantStatus newStatus, String reason) {
      return new Consent(newStatus, Optional.of(reason),
          newStatus == TenantStatus.AUTHORIZATION_REFUSED ? Optional.empty() : pendingConsent,
          entraTenantId, organizationName, verifiedDomains, frequency, authorizedAt);
    }
  }

  /**
   * A backup in flight; {@code remaining} are the types not yet backed up, in order; {@code runningSince} is when it
   * first got a backup slot (empty while it is queued); {@code requestId} the request that started it (absent in
   * snapshots from before it was kept).
   */
  record RunningBackup(String runId, BackupTrigger trigger, Instant startedAt, List<ObjectType> remaining,
      TypeCounts counts, GraphTraffic graph, Optional<Instant> runningSince, Optional<String> requestId)
      implements CborSerializable {

    public RunningBackup {
      requestId = requestId == null ? Optional.empty() : requestId;
    }

    RunningBackup running(BackupRunning event) {
      return new RunningBackup(runId, trigger, startedAt, remaining, counts, graph, Optional.of(event.at()),
          requestId);
    }

    RunningBackup after(TypeBackedUp event) {
      List<ObjectType> left = new ArrayList<>(remaining);
      left.remove(event.type());
      return new RunningBackup(runId, trigger, startedAt, List.copyOf(left), counts.plus(event.counts()),
          graph.plus(event.graph()), runningSince, requestId);
    }
  }

  /** The tenant's backups: schedule, the run in flight, where each type's delta round ended. */
  record Backups(Optional<Instant> nextBackupAt, Optional<RunningBackup> running, Map<ObjectType, String> deltaLinks,
      Optional<LastBackup> lastBackup, Map<String, Long> objectCounts) implements CborSerializable {

    static final Backups NONE = new Backups(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), Map.of());

    Backups scheduledAt(Optional<Instant> next) {
      return new Backups(next, running, deltaLinks, lastBackup, objectCounts);
    }

    Backups started(BackupStarted event) {
      var run = new RunningBackup(event.runId(), event.trigger(), event.startedAt(), List.copyOf(event.types()),
          TypeCounts.ZERO, GraphTraffic.NONE, Optional.empty(), event.requestId());
      return new Backups(nextBackupAt, Optional.of(run), deltaLinks, lastBackup, objectCounts);
    }

    Backups running(BackupRunning event) {
      return new Backups(nextBackupAt, running.map(run -> run.running(event)), deltaLinks, lastBackup, objectCounts);
    }

    Backups typeDone(TypeBackedUp event) {
      Map<ObjectType, String> links = new HashMap<>(deltaLinks);
      event.deltaLink().ifPresentOrElse(link -> links.put(event.type(), link), () -> links.remove(event.type()));
      return new Backups(nextBackupAt, running.map(run -> run.after(event)), Map.copyOf(links), lastBackup,
          objectCounts);
    }

    Backups completed(BackupCompleted event) {
      return new Backups(Optional.of(event.nextBackupAt()), Optional.empty(), deltaLinks,
          Optional.of(new LastBackup(LastBackup.Result.COMPLETED, event.finishedAt())),
          Map.copyOf(event.objectCounts()));
    }

    Backups failed(BackupFailed event) {
      return new Backups(event.nextBackupAt(), Optional.empty(), deltaLinks,
          Optional.of(new LastBackup(LastBackup.Result.FAILED, event.finishedAt())), objectCounts);
    }
  }

  /** One restore job of the tenant; {@code recreatedId} once the object was created anew. */
  record RestoreJob(String jobId, String requestedBy, ObjectType type, String objectId, String versionId,
      Optional<String> recreatedId, Optional<String> requestId) implements CborSerializable {

    /** {@code requestId}: the HTTP request that asked (absent in snapshots from before it was kept). */
    public RestoreJob {
      requestId = requestId == null ? Optional.empty() : requestId;
    }

    RestoreJob(String jobId, String requestedBy, ObjectType type, String objectId, String versionId,
        Optional<String> recreatedId) {
      this(jobId, requestedBy, type, objectId, versionId, recreatedId, Optional.empty());
    }

    RestoreJob recreatedAs(String newObjectId) {
      return new RestoreJob(jobId, requestedBy, type, objectId, versionId, Optional.of(newObjectId), requestId);
    }
  }

  /**
   * Four-eyes: a restore asked for by key {@code job.requestedBy()} that waits for a second key's approval until
   * {@code expiresAt}. It is not queued: it blocks nothing until approved.
   */
  record AwaitingRestore(RestoreJob job, Instant expiresAt) implements CborSerializable {}

  /**
   * The tenant's restores: the one running and those waiting, oldest first. A restore waits while a backup or
   * another restore runs (see cluster/RESTORE.md: one writing job per tenant at a time). Restores that wait for
   * four-eyes approval ({@code awaitingApproval}) are neither: they join the queue only once approved.
   */
  record Restores(Optional<RestoreJob> running, List<RestoreJob> queued, List<AwaitingRestore> awaitingApproval)
      implements CborSerializable {

    static final Restores NONE = new Restores(Optional.empty(), List.of(), List.of());

    public Restores {
      // Snapshots taken before four-eyes existed have none.
      awaitingApproval = awaitingApproval == null ? List.of() : List.copyOf(awaitingApproval);
    }

    Restores requested(RestoreRequested event) {
      var job = new RestoreJob(event.jobId(), event.requestedBy(), event.type(), event.objectId(), event.versionId(),
          Optional.empty(), event.requestId());
      return admitted(job, event.queued());
    }

    /** A restore that may write now joins the work: running at once, or last in the queue. */
    private Restores admitted(RestoreJob job, boolean queue) {
      if (queue) {
        List<RestoreJob> waiting = new ArrayList<>(queued);
        waiting.add(job);
        return new Restores(running, List.copyOf(waiting), awaitingApproval);
      }
      return new Restores(Optional.of(job), queued, awaitingApproval);
    }

    Restores started(RestoreStarted event) {
      Optional<RestoreJob> next = queued.stream().filter(job -> job.jobId().equals(event.jobId())).findFirst();
      List<RestoreJob> waiting = queued.stream().filter(job -> !job.jobId().equals(event.jobId())).toList();
      return new Restores(next, waiting, awaitingApproval);
    }

    Restores recreated(RestoreObjectRecreated event) {
      return new Restores(running.map(job -> job.recreatedAs(event.newObjectId())), queued, awaitingApproval);
    }

    Restores ended() {
      return new Restores(Optional.empty(), queued, awaitingApproval);
    }

    Optional<AwaitingRestore> awaiting(String jobId) {
      return awaitingApproval.stream().filter(waiting -> waiting.job().jobId().equals(jobId)).findFirst();
    }

    Restores approvalRequested(RestoreApprovalRequested event) {
      var job = new RestoreJob(event.jobId(), event.requestedBy(), event.type(), event.objectId(), event.versionId(),
          Optional.empty());
      List<AwaitingRestore> waiting = new ArrayList<>(awaitingApproval);
      waiting.add(new AwaitingRestore(job, event.expiresAt()));
      return new Restores(running, queued, waiting);
    }

    Restores approved(RestoreApproved event) {
      return awaiting(event.jobId())
          .map(waiting -> withoutAwaiting(event.jobId()).admitted(waiting.job(), event.queued()))
          .orElse(this);
    }

    Restores withoutAwaiting(String jobId) {
      return new Restores(running, queued,
          awaitingApproval.stream().filter(waiting -> !waiting.job().jobId().equals(jobId)).toList());
    }
  }

  /**
   * A registered tenant. Its consent is stored under {@code authorization}, the name snapshots taken before the rename
   * carry.
   */
  record Registered(Registration registration, @JsonProperty("authorization") Consent consent, Backups backups,
      Restores restores, Optional<ScheduledDeletion> deletion) implements TenantState {

    public Registered {
      // Snapshots taken before restores (or offboarding) existed have none.
      restores = restores == null ? Restores.NONE : restores;
      deletion = deletion == null ? Optional.empty() : deletion;
    }

    /** Whether offboarding was asked for and not cancelled: nothing new may start. */
    boolean deletionScheduled() {
      return deletion.isPresent();
    }

    /** Whether a job that writes (a backup or a restore) runs now. */
    boolean writing() {
      return backups.running().isPresent() || restores.running().isPresent();
    }

    TenantId tenantId() {
      return registration.tenantId();
    }

    AccountId account() {
      return registration.account();
    }

    TenantStatus status() {
      return consent.status();
    }

    boolean ownedBy(AccountId candidate) {
      return registration.account().equals(candidate);
    }

    TenantView view() {
      return new TenantView(
          registration.tenantId(), registration.account(), registration.displayName(), registration.entraTenant(),
          consent.status(), consent.statusReason(), consent.entraTenantId(), consent.organizationName(),
          consent.verifiedDomains(), consent.frequency().map(BackupFrequency::format), backups.nextBackupAt(),
          backups.lastBackup(), backups.objectCounts(),
          TenantAction.availableIn(consent.status(), deletionScheduled()), registration.registeredAt(),
          deletion.map(ScheduledDeletion::deleteAt));
    }

    Registered with(Consent newConsent) {
      return new Registered(registration, newConsent, backups, restores, deletion);
    }

    Registered with(Backups newBackups) {
      return new Registered(registration, consent, newBackups, restores, deletion);
    }

    Registered with(Restores newRestores) {
      return new Registered(registration, consent, backups, newRestores, deletion);
    }

    Registered apply(ConsentRequested event) {
      return with(consent.withPending(
          new PendingConsent(event.nonce(), event.immediateBackup(), event.frequency(), event.expiresAt())));
    }

    Registered apply(TenantAuthorized event) {
      return new Registered(registration,
          new Consent(TenantStatus.AUTHORIZED, Optional.empty(), Optional.empty(),
              Optional.of(event.entraTenantId()), Optional.of(event.organizationName()),
              List.copyOf(event.verifiedDomains()), Optional.of(event.frequency()), Optional.of(event.authorizedAt())),
          backups.scheduledAt(Optional.of(event.nextBackupAt())), restores, deletion);
    }

    Registered apply(AuthorizationRefused event) {
      String reason = event.description().isBlank() ? event.error() : event.error() + ": " + event.description();
      return new Registered(registration, consent.withStatus(TenantStatus.AUTHORIZATION_REFUSED, reason),
          backups.scheduledAt(Optional.empty()), restores, deletion);
    }

    Registered apply(AuthorizationLost event) {
      return new Registered(registration, consent.withStatus(TenantStatus.AUTHORIZATION_LOST, event.reason()),
          backups.scheduledAt(Optional.empty()), restores, deletion);
    }

    Registered apply(DirectoryDisputed event) {
      return new Registered(registration, consent.withStatus(TenantStatus.DIRECTORY_DISPUTED, event.reason()),
          backups.scheduledAt(Optional.empty()), restores, deletion);
    }

    Registered apply(BackupStarted event) {
      return with(backups.started(event));
    }

    Registered apply(BackupRunning event) {
      return with(backups.running(event));
    }

    Registered apply(TypeBackedUp event) {
      return with(backups.typeDone(event));
    }

    Registered apply(BackupCompleted event) {
      return with(backups.completed(event));
    }

    Registered apply(BackupFailed event) {
      return with(backups.failed(event));
    }

    Registered apply(RestoreRequested event) {
      return with(restores.requested(event));
    }

    Registered apply(RestoreStarted event) {
      return with(restores.started(event));
    }

    Registered apply(RestoreObjectRecreated event) {
      return with(restores.recreated(event));
    }

    Registered apply(RestoreCompleted event) {
      return with(restores.ended());
    }

    Registered apply(RestoreFailed event) {
      return with(restores.ended());
    }

    Registered apply(RestoreApprovalRequested event) {
      return with(restores.approvalRequested(event));
    }

    Registered apply(RestoreApproved event) {
      return with(restores.approved(event));
    }

    Registered apply(RestoreApprovalRejected event) {
      return with(restores.withoutAwaiting(event.jobId()));
    }

    Registered apply(RestoreApprovalExpired event) {
      return with(restores.withoutAwaiting(event.jobId()));
    }

    Registered apply(TenantDeletionScheduled event) {
      return new Registered(registration, consent, backups, restores,
          Optional.of(new ScheduledDeletion(event.requestedBy(), event.scheduledAt(), event.deleteAt())));
    }

    Registered apply(TenantDeletionCancelled event) {
      return new Registered(registration, consent, backups, restores, Optional.empty());
    }

    Purging apply(TenantPurgeStarted event) {
      return new Purging(registration, consent.entraTenantId());
    }
  }
}
