package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.tenant.TenantState.AwaitingRestore;
import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.approval.ApprovalOutcome;
import io.entrabackup.protocol.tenant.TenantCommands.ApprovalAnswer;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.DecideRestoreApproval;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.RestoreAwaitingApproval;
import io.entrabackup.protocol.tenant.TenantCommands.StartRestoreAwaitingApproval;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalExpired;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalRejected;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalRequested;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApproved;
import io.entrabackup.protocol.tenant.TenantInternal.ApprovalDue;
import io.entrabackup.protocol.tenant.TenantStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * Four-eyes restores of one {@link TenantEntity}: a restore asked for under the account's four-eyes rule is recorded
 * but waits, outside the queue (it blocks no backup or restore), until a second key of the account approves it (then
 * it runs or queues like any restore), rejects it, or its window ends. The window is the entity's timer, armed again
 * on recovery from the persisted expiry, and checked against the clock on every decision, so an approval after the
 * expiry is refused even when the timer has not fired yet (after a crash, say).
 */
final class TenantApprovals {

  private static final String TIMER_PREFIX = "approval-";

  private final TenantId tenantId;
  private final TimerScheduler<Command> timers;
  private final EffectFactories<Event, TenantState> effects;
  private final Supplier<Instant> now;
  private final Supplier<String> newJobId;
  /** The entity's "start whatever writes next, else arm the schedule", run after an approval. */
  private final Consumer<Registered> nextWork;

  TenantApprovals(TenantId tenantId, TimerScheduler<Command> timers, EffectFactories<Event, TenantState> effects,
      Supplier<Instant> now, Supplier<String> newJobId, Consumer<Registered> nextWork) {
    this.tenantId = tenantId;
    this.timers = timers;
    this.effects = effects;
    this.now = now;
    this.newJobId = newJobId;
    this.nextWork = nextWork;
  }

  /** A restore that must be approved first: recorded as waiting, with its expiry timer. */
  ReplyEffect<Event, TenantState> onStart(Registered state, StartRestoreAwaitingApproval command) {
    if (state.status() != TenantStatus.AUTHORIZED) {
      return effects.reply(command.replyTo(), new Rejected(
          "Tenant " + tenantId + " is not authorized (" + state.status() + "); use Activate Backup first"));
    }
    Instant at = now.get();
    var requested = new RestoreApprovalRequested(tenantId, state.account(), newJobId.get(), command.requestedBy(),
        command.type(), command.objectId(), command.versionId(), command.reason(), at, at.plus(command.window()));
    return effects.persist(requested)
        .thenRun(updated -> arm((Registered) updated))
        .thenReply(command.replyTo(), updated -> new RestoreAwaitingApproval(requested.jobId(),
            requested.reason(), requested.requestedAt(), requested.expiresAt()));
  }

  /** Approve or reject, by a key other than the requester's, before the window ends. */
  ReplyEffect<Event, TenantState> onDecide(Registered state, DecideRestoreApproval command) {
    Optional<AwaitingRestore> awaiting = state.restores().awaiting(command.jobId());
    if (awaiting.isEmpty()) {
      return answer(command, new ApprovalOutcome.NotAwaiting(command.jobId(),
          "Restore " + command.jobId() + " does not wait for approval (it was decided, expired, or never waited)"));
    }
    AwaitingRestore waiting = awaiting.get();
    Instant at = now.get();
    if (!at.isBefore(waiting.expiresAt())) {
      return effects.persist(expired(state, waiting, at))
          .thenReply(command.replyTo(), updated -> new ApprovalAnswer(new ApprovalOutcome.NotAwaiting(
              command.jobId(), "The approval window of restore " + command.jobId() + " ended at "
              + waiting.expiresAt() + "; ask for the restore again")));
    }
    if (waiting.job().requestedBy().equals(command.decidedBy())) {
      return answer(command, new ApprovalOutcome.OwnRequest(command.jobId()));
    }
    timers.cancel(TIMER_PREFIX + command.jobId());
    if (command.decision() == ApprovalDecision.REJECTED) {
      return effects.persist(new RestoreApprovalRejected(tenantId, state.account(), command.jobId(),
              command.decidedBy(), at))
          .thenReply(command.replyTo(), updated -> new ApprovalAnswer(
              new ApprovalOutcome.Decided(command.jobId(), ApprovalDecision.REJECTED, false)));
    }
    if (state.status() != TenantStatus.AUTHORIZED) {
      return effects.reply(command.replyTo(), new Rejected("Tenant " + tenantId + " is not authorized ("
          + state.status() + "); the restore can be approved once the tenant is activated again"));
    }
    boolean queued = state.writing();
    return effects.persist(new RestoreApproved(tenantId, state.account(), command.jobId(), command.decidedBy(),
            queued, at))
        .thenRun(updated -> nextWork.accept((Registered) updated))
        .thenReply(command.replyTo(), updated -> new ApprovalAnswer(
            new ApprovalOutcome.Decided(command.jobId(), ApprovalDecision.APPROVED, queued)));
  }

  /** The timer of one waiting restore fired: expired now, or (a clock that moved back) armed again. */
  ReplyEffect<Event, TenantState> onDue(Registered state, ApprovalDue due) {
    Optional<AwaitingRestore> awaiting = state.restores().awaiting(due.jobId());
    if (awaiting.isEmpty()) {
      return effects.noReply();
    }
    Instant at = now.get();
    if (at.isBefore(awaiting.get().expiresAt())) {
      arm(state);
      return effects.noReply();
    }
    return effects.persist(expired(state, awaiting.get(), at)).thenNoReply();
  }

  /** One timer per waiting restore, to its persisted expiry (after recovery too). */
  void arm(Registered state) {
    Instant at = now.get();
    for (AwaitingRestore waiting : state.restores().awaitingApproval()) {
      Duration delay = Duration.between(at, waiting.expiresAt());
      timers.startSingleTimer(TIMER_PREFIX + waiting.job().jobId(), new ApprovalDue(waiting.job().jobId()),
          delay.isNegative() ? Duration.ZERO : delay);
    }
  }

  private RestoreApprovalExpired expired(Registered state, AwaitingRestore waiting, Instant at) {
    return new RestoreApprovalExpired(tenantId, state.account(), waiting.job().jobId(), at);
  }

  private ReplyEffect<Event, TenantState> answer(DecideRestoreApproval command, ApprovalOutcome outcome) {
    return effects.reply(command.replyTo(), new ApprovalAnswer(outcome));
  }
}
