package io.entrabackup.cluster.download;

import io.entrabackup.cluster.download.DownloadJobState.AwaitingApproval;
import io.entrabackup.cluster.download.DownloadJobState.Building;
import io.entrabackup.cluster.download.DownloadJobState.New;
import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.approval.ApprovalOutcome;
import io.entrabackup.protocol.download.DownloadCommands.Accepted;
import io.entrabackup.protocol.download.DownloadCommands.ApprovalAnswer;
import io.entrabackup.protocol.download.DownloadCommands.Command;
import io.entrabackup.protocol.download.DownloadCommands.DecideApproval;
import io.entrabackup.protocol.download.DownloadCommands.Rejected;
import io.entrabackup.protocol.download.DownloadCommands.StartAwaitingApproval;
import io.entrabackup.protocol.download.DownloadEvents.BuildStarted;
import io.entrabackup.protocol.download.DownloadEvents.DownloadApprovalDecided;
import io.entrabackup.protocol.download.DownloadEvents.DownloadApprovalRequested;
import io.entrabackup.protocol.download.DownloadEvents.DownloadRequested;
import io.entrabackup.protocol.download.DownloadEvents.Event;
import io.entrabackup.protocol.download.DownloadInternal.ApprovalDue;
import io.entrabackup.protocol.download.DownloadInternal.SyncRows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * Four-eyes downloads of one {@link DownloadJobEntity}: a download the account's rule makes wait is recorded but
 * builds nothing until a second key of the account approves it (then it builds like any download), rejects it, or
 * its window ends. The window is the entity's timer, armed again on recovery from the persisted expiry and checked
 * against the clock on every decision.
 */
final class DownloadApprovals {

  private static final String TIMER = "approval";

  private final String jobId;
  private final ActorRef<Command> self;
  private final TimerScheduler<Command> timers;
  private final EffectFactories<Event, DownloadJobState> effects;
  private final Clock clock;
  /** Starts the build of a job just approved (the entity's own spawn). */
  private final Consumer<Building> build;
  /** Tells the audit trail a request expired: no API request shows it (approvals and rejections are requests). */
  private final Consumer<DownloadApprovalRequested> expiredNotice;

  DownloadApprovals(String jobId, ActorRef<Command> self, TimerScheduler<Command> timers,
      EffectFactories<Event, DownloadJobState> effects, Clock clock, Consumer<Building> build,
      Consumer<DownloadApprovalRequested> expiredNotice) {
    this.expiredNotice = expiredNotice;
    this.jobId = jobId;
    this.self = self;
    this.timers = timers;
    this.effects = effects;
    this.clock = clock;
    this.build = build;
  }

  /** The job is created waiting; answered once its System Status row exists. */
  ReplyEffect<Event, DownloadJobState> onStart(New state, StartAwaitingApproval command) {
    Instant now = clock.instant();
    var request = new DownloadApprovalRequested(jobId, command.account(), command.tenant(), command.spec(),
        command.requestedBy(), command.reason(), now, now.plus(command.window()));
    return effects.persist(request)
        .thenRun(updated -> arm((AwaitingApproval) updated))
        .thenRun(updated -> self.tell(new SyncRows(Optional.of(command.replyTo()))))
        .thenNoReply();
  }

  /** A repeated start (a client retry) answers the same job; another account gets nothing from it. */
  ReplyEffect<Event, DownloadJobState> onStartAgain(AwaitingApproval state, StartAwaitingApproval command) {
    return state.request().account().equals(command.account())
        ? effects.reply(command.replyTo(), new Accepted(jobId))
        : effects.reply(command.replyTo(), new Rejected("job " + jobId + " belongs to another account"));
  }

  ReplyEffect<Event, DownloadJobState> onDecide(AwaitingApproval state, DecideApproval command) {
    DownloadApprovalRequested request = state.request();
    if (!request.account().equals(command.account())) {
      return answer(command, new ApprovalOutcome.NotFound(jobId));
    }
    Instant now = clock.instant();
    if (!now.isBefore(request.expiresAt())) {
      return effects.persist(expired(request, now))
          .thenRun(updated -> expiredNotice.accept(request))
          .thenRun(updated -> self.tell(new SyncRows(Optional.empty())))
          .thenReply(command.replyTo(), updated -> new ApprovalAnswer(new ApprovalOutcome.NotAwaiting(jobId,
              "The approval window of download " + jobId + " ended at " + request.expiresAt()
              + "; ask for the download again")));
    }
    if (request.requestedBy().equals(command.decidedBy())) {
      return answer(command, new ApprovalOutcome.OwnRequest(jobId));
    }
    timers.cancel(TIMER);
    var decided = new DownloadApprovalDecided(jobId, request.account(), command.decision(),
        Optional.of(command.decidedBy()), now);
    if (command.decision() == ApprovalDecision.REJECTED) {
      return effects.persist(decided)
          .thenRun(updated -> self.tell(new SyncRows(Optional.empty())))
          .thenReply(command.replyTo(), updated -> decidedAnswer(ApprovalDecision.REJECTED));
    }
    var requested = new DownloadRequested(jobId, request.account(), request.tenant(), request.spec(), now);
    return effects.persist(List.of(decided, requested, new BuildStarted(jobId, request.account(), 1, now)))
        .thenRun(updated -> build.accept((Building) updated))
        .thenRun(updated -> self.tell(new SyncRows(Optional.empty())))
        .thenReply(command.replyTo(), updated -> decidedAnswer(ApprovalDecision.APPROVED));
  }

  /** Approve or reject of a job that does not (or no longer) wait. */
  ReplyEffect<Event, DownloadJobState> onDecideNotAwaiting(DecideApproval command) {
    return answer(command, new ApprovalOutcome.NotAwaiting(jobId,
        "Download " + jobId + " does not wait for approval (it was decided, expired, or never waited)"));
  }

  ReplyEffect<Event, DownloadJobState> onDue(AwaitingApproval state, ApprovalDue due) {
    Instant now = clock.instant();
    if (now.isBefore(state.request().expiresAt())) {
      arm(state);
      return effects.noReply();
    }
    return effects.persist(expired(state.request(), now))
        .thenRun(updated -> expiredNotice.accept(state.request()))
        .thenRun(updated -> self.tell(new SyncRows(Optional.empty())))
        .thenNoReply();
  }

  /** The expiry timer, to the persisted instant (after recovery too). */
  void arm(AwaitingApproval state) {
    Duration delay = Duration.between(clock.instant(), state.request().expiresAt());
    timers.startSingleTimer(TIMER, new ApprovalDue(), delay.isNegative() ? Duration.ZERO : delay);
  }

  private DownloadApprovalDecided expired(DownloadApprovalRequested request, Instant now) {
    return new DownloadApprovalDecided(jobId, request.account(), ApprovalDecision.EXPIRED, Optional.empty(), now);
  }

  private ApprovalAnswer decidedAnswer(ApprovalDecision decision) {
    return new ApprovalAnswer(new ApprovalOutcome.Decided(jobId, decision, false));
  }

  private ReplyEffect<Event, DownloadJobState> answer(DecideApproval command, ApprovalOutcome outcome) {
    return effects.reply(command.replyTo(), new ApprovalAnswer(outcome));
  }
}
