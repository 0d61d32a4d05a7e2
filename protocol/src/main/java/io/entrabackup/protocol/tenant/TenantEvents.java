package io.entrabackup.protocol.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.restore.RestoreAction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tenant entity's persisted events: a schema. Add fields compatibly (optional, with a default);
 * never reuse a name for a new meaning; anything else goes through a {@code JacksonMigration}.
 */
public final class TenantEvents {

  private TenantEvents() {}

  /**
   * The one tag every tenant event carried before the read side was sliced. No deployment wrote it; an install that
   * had would keep one projection instance per read model on it until it drains (see {@link #tag(int)}).
   */
  public static final String LEGACY_TAG = "tenant";

  /** Tags of tenant events are this prefix and the tenant's slice: {@code tenant-0} ... {@code tenant-(N-1)}. */
  public static final String TAG_PREFIX = "tenant-";

  /**
   * The tag of one slice of the tenants. Each event carries its tenant's slice tag (and only it), so read models
   * follow all tenants through N queries, one per slice, each read by one projection instance somewhere in the
   * cluster.
   */
  public static String tag(int slice) {
    return TAG_PREFIX + slice;
  }

  /**
   * The slice of a tenant's events: a hash of its persistence id, modulo the number of slices. Stable: {@link
   * String#hashCode()} is defined by the language, the same in every JVM and release, so a tenant's events always land
   * in one slice and reach its read models in the order they were written. Changing {@code slices} moves tenants to
   * other slices (see entra-backup.read-side.slices).
   */
  public static int slice(String persistenceId, int slices) {
    if (slices < 1) {
      throw new IllegalArgumentException("slices must be at least 1, was " + slices);
    }
    return Math.floorMod(persistenceId.hashCode(), slices);
  }

  /** Every event after registration carries the owning account too, so read models need no lookup. */
  public sealed interface Event extends CborSerializable
      permits TenantRegistered, ConsentRequested, TenantAuthorized, AuthorizationRefused, AuthorizationLost,
          DirectoryDisputed,
          BackupStarted, BackupRunning, TypeBackedUp, BackupCompleted, BackupFailed, RestoreRequested, RestoreStarted,
          RestoreObjectRecreated, RestoreCompleted, RestoreFailed, RestoreApprovalRequested, RestoreApproved,
          RestoreApprovalRejected, RestoreApprovalExpired, TenantDeletionScheduled, TenantDeletionCancelled,
          TenantPurgeStarted, TenantPurged {
    TenantId tenantId();
  }

  public record TenantRegistered(
      TenantId tenantId,
      AccountId account,
      String displayName,
      Optional<String> entraTenant,
      Instant registeredAt)
      implements Event {}

  /** Activate Backup was pressed; the admin-consent round trip carries {@code nonce} in its state. */
  public record ConsentRequested(
      TenantId tenantId,
      String nonce,
      boolean immediateBackup,
      Duration frequency,
      Instant requestedAt,
      Instant expiresAt)
      implements Event {}

  /**
   * Consent given and confirmed by reading {@code /organization}. {@code nextBackupAt} is now when
   * an immediate backup was chosen, else the tenant's next slot in its schedule.
   */
  public record TenantAuthorized(
      TenantId tenantId,
      AccountId account,
      String entraTenantId,
      String organizationName,
      List<String> verifiedDomains,
      Duration frequency,
      boolean immediateBackup,
      Instant authorizedAt,
      Instant nextBackupAt)
      implements Event {}

  public record AuthorizationRefused(TenantId tenantId, AccountId account, String error, String description, Instant refusedAt)
      implements Event {}

  public record AuthorizationLost(TenantId tenantId, AccountId account, String reason, Instant lostAt) implements Event {}

  /**
   * The tenant's directory ({@code entraTenantId}) is claimed by another tenant too, authorized before directory
   * bindings existed, or is now held by another tenant: nothing runs until the tenant consents again.
   */
  public record DirectoryDisputed(TenantId tenantId, AccountId account, String entraTenantId, String reason,
      Instant disputedAt) implements Event {}

  /**
   * A backup run was asked for (it is queued until {@link BackupRunning}); {@code runId} is also its job id (a
   * time-based UUID, so jobs sort by time). {@code requestId}: the HTTP request that asked for it, or the run's own id
   * when the schedule started it; its log lines and Graph requests carry it (absent in events from before it existed).
   */
  public record BackupStarted(TenantId tenantId, AccountId account, String runId, BackupTrigger trigger,
      List<ObjectType> types, Instant startedAt, Optional<String> requestId) implements Event {

    public BackupStarted {
      requestId = requestId == null ? Optional.empty() : requestId;
    }

    public BackupStarted(TenantId tenantId, AccountId account, String runId, BackupTrigger trigger,
        List<ObjectType> types, Instant startedAt) {
      this(tenantId, account, runId, trigger, types, startedAt, Optional.empty());
    }
  }

  /**
   * The backup run, queued since {@link BackupStarted}, got a slot on its node and reads Graph from {@code at} on
   * (persisted once per run: a run resumed after a crash queues again without a second one).
   */
  public record BackupRunning(TenantId tenantId, AccountId account, String runId, Instant at) implements Event {}

  /**
   * A milestone: one type's snapshots are written. Persisted only then, so a run resumed after a crash
   * redoes at most the type that was in flight, and the delta link never runs ahead of the snapshots.
   */
  public record TypeBackedUp(TenantId tenantId, AccountId account, String runId, ObjectType type,
      TypeCounts counts, GraphTraffic graph, Optional<String> deltaLink, Instant at) implements Event {}

  /** @param objectCounts the tenant's objects per type after this backup (deleted ones not counted) */
  public record BackupCompleted(TenantId tenantId, AccountId account, String runId, TypeCounts counts,
      GraphTraffic graph, Map<String, Long> objectCounts, Instant finishedAt, Instant nextBackupAt) implements Event {}

  /** The run stopped; snapshots of types already backed up stay, the rest keep their previous state. */
  public record BackupFailed(TenantId tenantId, AccountId account, String runId, String error, Instant finishedAt,
      Optional<Instant> nextBackupAt) implements Event {}

  /**
   * An operator asked to restore one object to one of its versions: the audit record of who (account, API key id)
   * asked for what. {@code queued} when a backup or restore of the tenant was running, else it starts at once.
   */
  public record RestoreRequested(TenantId tenantId, AccountId account, String jobId, String requestedBy,
      ObjectType type, String objectId, String versionId, boolean queued, Instant requestedAt,
      Optional<String> requestId) implements Event {

    /** {@code requestId}: the HTTP request that asked (absent in events from before it was kept). */
    public RestoreRequested {
      requestId = requestId == null ? Optional.empty() : requestId;
    }

    public RestoreRequested(TenantId tenantId, AccountId account, String jobId, String requestedBy, ObjectType type,
        String objectId, String versionId, boolean queued, Instant requestedAt) {
      this(tenantId, account, jobId, requestedBy, type, objectId, versionId, queued, requestedAt, Optional.empty());
    }
  }

  /** A queued restore began (restores requested while nothing ran start with {@link RestoreRequested}). */
  public record RestoreStarted(TenantId tenantId, AccountId account, String jobId, Instant startedAt) implements Event {}

  /**
   * The restored object was created anew, under a new id (a milestone: a resumed restore goes on with it). Recorded
   * when the restore reports {@link TenantInternal.ReportObjectRecreated}.
   */
  public record RestoreObjectRecreated(TenantId tenantId, AccountId account, String jobId, String newObjectId,
      Instant at) implements Event {}

  /**
   * The restore ended: {@code skipped} > 0 means "completed with skipped items".
   *
   * @param action how the object came back (persisted as {@code update}, {@code undelete} or {@code recreate})
   * @param graph the restore's Graph requests and 429s (none in events written before it was recorded)
   */
  public record RestoreCompleted(TenantId tenantId, AccountId account, String jobId, RestoreAction action, long changes,
      long skipped, Optional<String> newObjectId, Instant finishedAt, GraphTraffic graph) implements Event {
    public RestoreCompleted {
      graph = graph == null ? GraphTraffic.NONE : graph;
    }
  }

  /** @param graph as in {@link RestoreCompleted} */
  public record RestoreFailed(TenantId tenantId, AccountId account, String jobId, String error, Instant finishedAt,
      GraphTraffic graph) implements Event {
    public RestoreFailed {
      graph = graph == null ? GraphTraffic.NONE : graph;
    }
  }

  /**
   * Four-eyes: an operator asked for a restore that waits for a second key's approval until {@code expiresAt}; the
   * audit record of who asked for what, and why it waits ({@code reason}). Nothing runs or queues until approved.
   */
  public record RestoreApprovalRequested(TenantId tenantId, AccountId account, String jobId, String requestedBy,
      ObjectType type, String objectId, String versionId, String reason, Instant requestedAt, Instant expiresAt)
      implements Event {}

  /**
   * A second key ({@code approvedBy}) approved the waiting restore: it starts at once, or {@code queued} behind the
   * tenant's backup or restore, exactly as a restore asked for at this moment.
   */
  public record RestoreApproved(TenantId tenantId, AccountId account, String jobId, String approvedBy,
      boolean queued, Instant approvedAt) implements Event {}

  /** A second key ({@code rejectedBy}) rejected the waiting restore: closed, nothing written to the directory. */
  public record RestoreApprovalRejected(TenantId tenantId, AccountId account, String jobId, String rejectedBy,
      Instant rejectedAt) implements Event {}

  /** Nobody approved the waiting restore within the account's window: closed, nothing written. */
  public record RestoreApprovalExpired(TenantId tenantId, AccountId account, String jobId, Instant expiredAt)
      implements Event {}

  /**
   * Offboarding was asked for by key {@code requestedBy}: the tenant's data is deleted at {@code deleteAt} unless the
   * deletion is cancelled first (cluster/OFFBOARDING.md).
   */
  public record TenantDeletionScheduled(TenantId tenantId, AccountId account, String requestedBy,
      Instant scheduledAt, Instant deleteAt) implements Event {}

  /** Key {@code cancelledBy} undid the scheduled deletion within its grace period. */
  public record TenantDeletionCancelled(TenantId tenantId, AccountId account, String cancelledBy, Instant cancelledAt)
      implements Event {}

  /**
   * The grace period ended: the purge began (data key destroyed first, then the rows). From here nothing can undo it;
   * a purge interrupted by a crash starts over, every step being idempotent.
   */
  public record TenantPurgeStarted(TenantId tenantId, AccountId account, Instant startedAt) implements Event {}

  /**
   * The tombstone: every row of the tenant is gone; the entity refuses everything from now on. Once written, the
   * journal's earlier events are deleted, so this is the only event left and it carries nothing but the id and time.
   */
  public record TenantPurged(TenantId tenantId, Instant purgedAt) implements Event {}
}
