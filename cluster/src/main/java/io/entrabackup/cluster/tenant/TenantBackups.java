package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.backup.BackupRunSpec;
import io.entrabackup.cluster.backup.BackupRunner;
import io.entrabackup.cluster.metrics.NodeMetrics;
import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.cluster.tenant.TenantState.RestoreJob;
import io.entrabackup.cluster.tenant.TenantState.RunningBackup;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantInternal;
import io.entrabackup.protocol.tenant.TenantStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The backup runs of one {@link TenantEntity}: started (Backup Now, the schedule), carried out by a
 * {@link BackupRunner} child, and recorded as it reports: each type's milestone, then the run's end. The entity routes
 * backup commands and reports here; the events are its own.
 */
final class TenantBackups {

  private final TenantId tenantId;
  private final ActorContext<Command> context;
  private final BackupRunner runner;
  private final EffectFactories<Event, TenantState> effects;
  private final Clock clock;
  private final Supplier<Instant> now;
  private final Supplier<String> newRunId;
  private final TenantRestores restores;
  /** The entity's "start whatever writes next, else arm the schedule", run after a run started or ended. */
  private final Consumer<Registered> nextWork;
  private final BackupSchedule schedule;

  TenantBackups(TenantId tenantId, ActorContext<Command> context, BackupRunner runner,
      EffectFactories<Event, TenantState> effects, Clock clock, Supplier<Instant> now, Supplier<String> newRunId,
      TenantRestores restores, Consumer<Registered> nextWork, BackupSchedule schedule) {
    this.schedule = schedule;
    this.tenantId = tenantId;
    this.context = context;
    this.runner = runner;
    this.effects = effects;
    this.clock = clock;
    this.now = now;
    this.newRunId = newRunId;
    this.restores = restores;
    this.nextWork = nextWork;
  }

  /** Backup Now: a run starts unless one runs already, or a restore writes. */
  ReplyEffect<Event, TenantState> onStartBackup(Registered state, TenantCommands.StartBackup command) {
    if (state.status() != TenantStatus.AUTHORIZED) {
      return effects.reply(command.replyTo(), new TenantCommands.Rejected(
          "Tenant " + tenantId + " is not authorized (" + state.status() + "); use Activate Backup first"));
    }
    Optional<RunningBackup> running = state.backups().running();
    if (running.isPresent()) {
      return effects.reply(command.replyTo(), new TenantCommands.BackupAlreadyRunning(running.get().runId()));
    }
    Optional<RestoreJob> restoring = state.restores().running();
    if (restoring.isPresent()) {
      return effects.reply(command.replyTo(), new TenantCommands.Rejected("Restore " + restoring.get().jobId()
          + " of this tenant is running; a backup waits until it ends (the scheduled one starts by itself then)."
          + " Follow it at /api/v1/jobs/" + restoring.get().jobId()));
    }
    TenantEvents.BackupStarted started = started(state, command.trigger(), command.requestId());
    return effects.persist(started)
        .thenRun(updated -> nextWork.accept((Registered) updated))
        .thenReply(command.replyTo(), updated -> new TenantCommands.BackupAccepted(started.runId()));
  }

  /** A new run of every backed-up type that no HTTP request asked for: its request id is its run id. */
  TenantEvents.BackupStarted started(Registered state, BackupTrigger trigger) {
    return started(state, trigger, Optional.empty());
  }

  /** A new run of every backed-up type, for the request {@code requestId} (absent: its run id stands in). */
  private TenantEvents.BackupStarted started(Registered state, BackupTrigger trigger, Optional<String> requestId) {
    return new TenantEvents.BackupStarted(tenantId, state.account(), newRunId.get(), trigger, ObjectType.inBackupOrder(),
        now.get(), requestId);
  }

  /** The queued run got a slot on its node: the job turns running, once per run (a resumed run is running already). */
  ReplyEffect<Event, TenantState> onSlotTaken(Registered state, TenantInternal.BackupSlotTaken taken) {
    boolean queued = state.backups().running()
        .filter(run -> run.runId().equals(taken.runId()) && run.runningSince().isEmpty()).isPresent();
    if (!queued) {
      return effects.noReply();
    }
    return effects.persist(new TenantEvents.BackupRunning(tenantId, state.account(), taken.runId(),
        taken.at().truncatedTo(ChronoUnit.MILLIS))).thenNoReply();
  }

  ReplyEffect<Event, TenantState> onTypeDone(Registered state, TenantInternal.TypeDone done) {
    boolean pending = running(state, done).filter(run -> run.remaining().contains(done.type())).isPresent();
    if (!pending) {
      // A run already closed (a retry after a crash), or the same milestone again (the run asked again when our
      // answer was late): it is recorded already, and counting it twice would be wrong.
      return effects.reply(done.replyTo(), recorded(done));
    }
    return effects.persist(new TenantEvents.TypeBackedUp(tenantId, state.account(), done.runId(), done.type(),
            done.counts(), done.graph(), done.deltaLink(), now.get()))
        .thenReply(done.replyTo(), updated -> recorded(done));
  }

  ReplyEffect<Event, TenantState> onBackupFinished(Registered state, TenantInternal.BackupFinished finished) {
    return ended(state, finished, run -> List.of(new TenantEvents.BackupCompleted(tenantId, state.account(),
        run.runId(), run.counts(), run.graph(), finished.objectCounts(), now.get(), nextSlot(state))));
  }

  /** A run that lost the tenant's authorization marks the tenant lost, and no next backup is scheduled. */
  ReplyEffect<Event, TenantState> onBackupRunFailed(Registered state, TenantInternal.BackupRunFailed failed) {
    return ended(state, failed, run -> {
      var runFailed = new TenantEvents.BackupFailed(tenantId, state.account(), run.runId(), failed.error(),
          now.get(), failed.authorizationLost() ? Optional.empty() : Optional.of(nextSlot(state)));
      return failed.authorizationLost()
          ? List.of(runFailed, new TenantEvents.AuthorizationLost(tenantId, state.account(), failed.error(), now.get()))
          : List.of(runFailed);
    });
  }

  /** The run ended: its outcome is persisted, then a waiting restore starts, else the schedule is armed. */
  private ReplyEffect<Event, TenantState> ended(Registered state, TenantInternal.RunReport report,
      Function<RunningBackup, List<Event>> outcome) {
    Optional<RunningBackup> running = running(state, report);
    if (running.isEmpty()) {
      // A report of a run already closed (a retry after a crash): it is recorded already.
      return effects.reply(report.replyTo(), recorded(report));
    }
    List<Event> events = new ArrayList<>(outcome.apply(running.get()));
    restores.nextQueued(state).ifPresent(events::add);
    return effects.persist(events)
        .thenRun(updated -> NodeMetrics.get(context.getSystem()).backups().ended(running.get().trigger(), events,
            state.consent().entraTenantId()))
        .thenRun(updated -> nextWork.accept((Registered) updated))
        .thenReply(report.replyTo(), updated -> recorded(report));
  }

  /** The running backup's worker, unless it has one already (after recovery it has none). */
  void spawn(Registered state, RunningBackup run) {
    String name = "backup-" + run.runId();
    if (context.getChild(name).isPresent()) {
      return;
    }
    // A run no request started (schedule, consent's first backup) has its run id as request id.
    var spec = new BackupRunSpec(tenantId, state.account(), state.consent().entraTenantId().orElseThrow(),
        run.runId(), run.remaining(), state.backups().deltaLinks(),
        Optional.of(run.requestId().orElse(run.runId())));
    NodeMetrics metrics = NodeMetrics.get(context.getSystem());
    metrics.tenantClasses().sized(spec.entraTenantId(), state.backups().objectCounts());
    context.spawn(metrics.backups().counted(run.trigger(), runner.run(spec, context.getSelf())), name);
    context.getLog().info("Tenant {}: backup {} runs {}", tenantId, run.runId(), run.remaining());
  }

  private Instant nextSlot(Registered state) {
    Duration frequency = state.consent().frequency().orElse(Duration.ofDays(1));
    return schedule.next(tenantId, frequency, clock.instant());
  }

  private static Optional<RunningBackup> running(Registered state, TenantInternal.RunReport report) {
    return state.backups().running().filter(run -> run.runId().equals(report.runId()));
  }

  private static TenantInternal.RunReportRecorded recorded(TenantInternal.RunReport report) {
    return new TenantInternal.RunReportRecorded(report.runId());
  }
}
