package io.entrabackup.protocol.tenant;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.approval.ApprovalOutcome;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.ObjectType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The commands a tenant entity accepts from the API and the replies it gives. The entity is addressed by tenant
 * id; commands from an operator carry the account, and another account's tenant is not found. What its own timer and
 * workers tell it is in {@link TenantInternal}.
 */
public final class TenantCommands {

  private TenantCommands() {}

  /** Everything the entity accepts: the API's commands below, and the internal messages of {@link TenantInternal}. */
  public sealed interface Command extends CborSerializable permits OperatorCommand, TenantInternal.InternalCommand {}

  /** A command on behalf of an operator's account: answered, and refused for another account's tenant. */
  public sealed interface OperatorCommand extends Command
      permits Register, GetTenant, RequestConsent, CheckConsentState, CompleteConsent, RefuseConsent,
          MarkAuthorizationLost, MarkDirectoryDisputed, StartBackup, StartRestore, ClaimRestorePassword, StartRestoreAwaitingApproval,
          DecideRestoreApproval, ScheduleDeletion, CancelDeletion {
    AccountId account();

    ActorRef<Reply> replyTo();
  }

  /**
   * Backup Now (manual) and the immediate backup after consent: starts one unless one is running. {@code requestId}
   * is the HTTP request's id (io.entrabackup.protocol.RequestId), kept with the run; absent, the run gets its own.
   */
  public record StartBackup(AccountId account, BackupTrigger trigger, ActorRef<Reply> replyTo,
      Optional<String> requestId) implements OperatorCommand {

    public StartBackup(AccountId account, BackupTrigger trigger, ActorRef<Reply> replyTo) {
      this(account, trigger, replyTo, Optional.empty());
    }
  }

  /**
   * Restore one object to one of its versions: a job that writes, so it waits (queued) while a backup or another
   * restore of the tenant runs. {@code requestedBy} is the API key id, for the audit trail; {@code requestId} the HTTP
   * request's id, kept with the job (absent: the job id stands in).
   */
  public record StartRestore(AccountId account, String requestedBy, ObjectType type, String objectId,
      String versionId, ActorRef<Reply> replyTo, Optional<String> requestId) implements OperatorCommand {

    public StartRestore(AccountId account, String requestedBy, ObjectType type, String objectId, String versionId,
        ActorRef<Reply> replyTo) {
      this(account, requestedBy, type, objectId, versionId, replyTo, Optional.empty());
    }
  }

  /**
   * Four-eyes: a restore that waits for a second key of the account to approve it before it runs or queues; it
   * expires after {@code window}. {@code reason} says which of the account's rules made it wait. Waiting, it blocks
   * nothing: the tenant's backups and other restores go on.
   */
  public record StartRestoreAwaitingApproval(AccountId account, String requestedBy, ObjectType type, String objectId,
      String versionId, String reason, Duration window, ActorRef<Reply> replyTo) implements OperatorCommand {}

  /**
   * Four-eyes: key {@code decidedBy} approves ({@link ApprovalDecision#APPROVED}) or rejects the restore {@code jobId}
   * waiting for approval; the key that asked for it cannot.
   */
  public record DecideRestoreApproval(AccountId account, String jobId, String decidedBy, ApprovalDecision decision,
      ActorRef<Reply> replyTo) implements OperatorCommand {}

  /**
   * The temporary password of the user a finished restore recreated, handed out once and then forgotten; empty when
   * there is none (any more). Kept only in the entity's memory, never persisted.
   */
  public record ClaimRestorePassword(AccountId account, String jobId, ActorRef<Reply> replyTo)
      implements OperatorCommand {}

  /**
   * Offboarding: the tenant and all its data are deleted once the grace period (entra-backup.offboarding.grace-period)
   * has passed, unless {@link CancelDeletion} comes first; no backup or restore starts meanwhile. {@code requestedBy}
   * is the API key id. Asking again changes nothing: the first deadline stands.
   */
  public record ScheduleDeletion(AccountId account, String requestedBy, ActorRef<Reply> replyTo)
      implements OperatorCommand {}

  /** Undo within the grace period: the tenant is kept and its schedule resumes. */
  public record CancelDeletion(AccountId account, String cancelledBy, ActorRef<Reply> replyTo)
      implements OperatorCommand {}

  /** Registers the tenant for an MSP account; names are validated by the caller and again here. */
  public record Register(
      AccountId account, String displayName, Optional<String> entraTenant, ActorRef<Reply> replyTo)
      implements OperatorCommand {}

  /** Asks for the tenant as the given account sees it. */
  public record GetTenant(AccountId account, ActorRef<Reply> replyTo) implements OperatorCommand {}

  /**
   * Activate Backup: remembers a single-use consent {@code nonce} and the options the operator chose,
   * until {@code expiresAt}. A newer request replaces an older one.
   */
  public record RequestConsent(
      AccountId account,
      String nonce,
      boolean immediateBackup,
      Duration frequency,
      Instant expiresAt,
      ActorRef<Reply> replyTo)
      implements OperatorCommand {}

  /** Whether {@code nonce} is this tenant's pending, unexpired consent request; changes nothing. */
  public record CheckConsentState(AccountId account, String nonce, ActorRef<Reply> replyTo)
      implements OperatorCommand {}

  /**
   * The admin consented and the tenant's organization was read with an app-only token: the tenant is
   * authorized with the options of the consent request {@code nonce}, which is used up.
   */
  public record CompleteConsent(
      AccountId account,
      String nonce,
      String entraTenantId,
      String organizationName,
      List<String> verifiedDomains,
      ActorRef<Reply> replyTo)
      implements OperatorCommand {}

  /** The admin declined: Microsoft's error and description are kept; {@code nonce} is used up. */
  public record RefuseConsent(
      AccountId account, String nonce, String error, String description, ActorRef<Reply> replyTo)
      implements OperatorCommand {}

  /** Microsoft refuses our tokens or calls for this tenant; {@code reason} says how, for the operator. */
  public record MarkAuthorizationLost(AccountId account, String reason, ActorRef<Reply> replyTo)
      implements OperatorCommand {}

  /**
   * The directory binding backfill found {@code entraTenantId} claimed by another tenant as well (a dispute it
   * recorded at {@code disputedAt}), or held by another tenant. Ignored by a tenant authorized since then, or for
   * another directory.
   */
  public record MarkDirectoryDisputed(AccountId account, String entraTenantId, Instant disputedAt,
      ActorRef<Reply> replyTo) implements OperatorCommand {}

  public sealed interface Reply extends CborSerializable
      permits Current, ConsentCompleted, Rejected, NotFound, BackupAccepted, BackupAlreadyRunning, RestoreAccepted,
          RestorePassword, RestoreAwaitingApproval, ApprovalAnswer {}

  /** Four-eyes: the restore job was created and waits for approval until {@code expiresAt}; {@code reason}: why. */
  public record RestoreAwaitingApproval(String jobId, String reason, Instant requestedAt, Instant expiresAt)
      implements Reply {}

  /** How an approve or reject went. */
  public record ApprovalAnswer(ApprovalOutcome outcome) implements Reply {}

  /** A backup started: {@code jobId} is its job on System Status. */
  public record BackupAccepted(String jobId) implements Reply {}

  /** A backup of this tenant is already running: {@code jobId} is that one. */
  public record BackupAlreadyRunning(String jobId) implements Reply {}

  /** A restore job was created: running now, or {@code queued} behind the tenant's backup or restore. */
  public record RestoreAccepted(String jobId, boolean queued) implements Reply {}

  /** A recreated user's temporary password, once; empty when there is none or it was handed out already. */
  public record RestorePassword(Optional<String> password) implements Reply {
    @Override
    public String toString() {
      return "RestorePassword[" + (password.isPresent() ? "<hidden>" : "none") + "]";
    }
  }

  /** The command was carried out (or only read); this is the tenant now. */
  public record Current(TenantView tenant) implements Reply {}

  /**
   * Consent was recorded: the tenant now, and the event that authorized it, so the consent callback can write the
   * dashboard's row before it answers (at the event's own write time, as the projection does later).
   */
  public record ConsentCompleted(TenantView tenant, TenantEvents.TenantAuthorized authorized) implements Reply {}

  /** The command was refused; {@code reason} is written for the operator. */
  public record Rejected(String reason) implements Reply, ActivationReply {}

  /** No such tenant in the caller's account. */
  public record NotFound() implements Reply, ActivationReply {}
}
