package io.entrabackup.protocol.download;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.CborSerializable;
import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.approval.ApprovalOutcome;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The commands a download job entity accepts from the API's side (addressed by job id) and its replies. What the
 * entity's own build, timers and side effects tell it is in {@link DownloadInternal}.
 */
public final class DownloadCommands {

  private DownloadCommands() {}

  /** Everything the entity accepts: {@link Start}, and the internal messages of {@link DownloadInternal}. */
  public sealed interface Command extends CborSerializable permits Start, StartAwaitingApproval, DecideApproval,
      DownloadInternal.InternalCommand {}

  /** Starts the job; answered {@link Accepted} once its System Status row exists (again for a repeat). */
  public record Start(AccountId account, TenantLabel tenant, DownloadSpec spec, ActorRef<Reply> replyTo,
      Optional<String> requestId) implements Command {

    /** {@code requestId}: the HTTP request's id, kept with the job (absent: the job id stands in). */
    public Start(AccountId account, TenantLabel tenant, DownloadSpec spec, ActorRef<Reply> replyTo) {
      this(account, tenant, spec, replyTo, Optional.empty());
    }
  }

  /**
   * Four-eyes: the job is created but builds nothing until a second key of the account approves it; it expires after
   * {@code window}. {@code reason} says which rule of the account made it wait.
   */
  public record StartAwaitingApproval(AccountId account, TenantLabel tenant, DownloadSpec spec, String requestedBy,
      String reason, Duration window, ActorRef<Reply> replyTo) implements Command {}

  /** Four-eyes: key {@code decidedBy} approves or rejects the waiting job; the key that asked for it cannot. */
  public record DecideApproval(AccountId account, String decidedBy, ApprovalDecision decision,
      ActorRef<Reply> replyTo) implements Command {}

  public sealed interface Reply extends CborSerializable permits Accepted, Rejected, ApprovalAnswer {}

  /** How an approve or reject went. */
  public record ApprovalAnswer(ApprovalOutcome outcome) implements Reply {}

  public record Accepted(String jobId) implements Reply {}

  public record Rejected(String reason) implements Reply {}
}
