package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.restore.RestoreRunner;
import io.entrabackup.cluster.restore.RestoreSpec;
import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.cluster.tenant.TenantState.RestoreJob;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.TenantCommands.ClaimRestorePassword;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.RestoreAccepted;
import io.entrabackup.protocol.tenant.TenantCommands.RestorePassword;
import io.entrabackup.protocol.tenant.TenantCommands.StartRestore;
import io.entrabackup.protocol.tenant.TenantInternal.ReportObjectRecreated;
import io.entrabackup.protocol.tenant.TenantInternal.RestoreFinished;
import io.entrabackup.protocol.tenant.TenantInternal.RestorePasswordIssued;
import io.entrabackup.protocol.tenant.TenantInternal.RestoreReport;
import io.entrabackup.protocol.tenant.TenantInternal.RestoreRunFailed;
import io.entrabackup.protocol.tenant.TenantInternal.RunReportRecorded;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreFailed;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreObjectRecreated;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreRequested;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreStarted;
import io.entrabackup.protocol.tenant.TenantStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The restore jobs of one {@link TenantEntity}: asked for (running at once, or queued behind the job that writes),
 * reported by their {@link RestoreRunner} child, and the next waiting one started when a writing job ends
 * (cluster/RESTORE.md). The entity routes restore commands and reports here, one handler each; the events are its own.
 */
final class TenantRestores {

  private final TenantId tenantId;
  private final ActorContext<Command> context;
  private final RestoreRunner runner;
  private final EffectFactories<Event, TenantState> effects;
  private final Supplier<Instant> now;
  private final Supplier<String> newJobId;
  /** The entity's "start whatever writes next, else arm the schedule", run after a job ended. */
  private final Consumer<Registered> nextWork;
  /** Restores that may wait behind the running writer; one more is refused (http-api/LIMITS.md). */
  private final int maxQueued;
  /**
   * Temporary passwords of users recreated by restores, by job id, until the operator reads the finished job once.
   * Deliberately only in memory: never in an event, a snapshot or a log line (lost if the entity stops first).
   */
  private final Map<String, String> passwords = new HashMap<>();

  TenantRestores(TenantId tenantId, ActorContext<Command> context, RestoreRunner runner,
      EffectFactories<Event, TenantState> effects, Supplier<Instant> now, Supplier<String> newJobId,
      Consumer<Registered> nextWork) {
    this.tenantId = tenantId;
    this.context = context;
    this.runner = runner;
    this.effects = effects;
    this.now = now;
    this.newJobId = newJobId;
    this.nextWork = nextWork;
    this.maxQueued = TenantSettings.create(context.getSystem()).maxQueuedRestores();
  }

  /** A restore asked for: it starts now when nothing writes, else waits its turn. */
  ReplyEffect<Event, TenantState> onStart(Registered state, StartRestore command) {
    if (state.status() != TenantStatus.AUTHORIZED) {
      return effects.reply(command.replyTo(), new Rejected(
          "Tenant " + tenantId + " is not authorized (" + state.status() + "); use Activate Backup first"));
    }
    boolean queued = state.writing();
    if (queued && state.restores().queued().size() >= maxQueued) {
      return effects.reply(command.replyTo(), new Rejected("The restore queue of tenant " + tenantId + " is full ("
          + maxQueued + " restores waiting, the limit); ask again once one of them has started"));
    }
    var requested = new RestoreRequested(tenantId, state.account(), newJobId.get(), command.requestedBy(),
        command.type(), command.objectId(), command.versionId(), queued, now.get(), command.requestId());
    return effects.persist(requested)
        .thenRun(updated -> nextWork.accept((Registered) updated))
        .thenReply(command.replyTo(), updated -> new RestoreAccepted(requested.jobId(), queued));
  }

  /** The first read of a finished job by its account takes the temporary password out; later reads have none. */
  ReplyEffect<Event, TenantState> onClaimPassword(Registered state, ClaimRestorePassword claim) {
    return effects.reply(claim.replyTo(), new RestorePassword(Optional.ofNullable(passwords.remove(claim.jobId()))));
  }

  /** Kept until claimed (see {@link #passwords}); the restore expects no answer. */
  ReplyEffect<Event, TenantState> onPasswordIssued(Registered state, RestorePasswordIssued issued) {
    passwords.put(issued.jobId(), issued.password());
    return effects.noReply();
  }

  /** The recreation milestone: recorded once, so a restore resumed after a crash goes on with that object. */
  ReplyEffect<Event, TenantState> onObjectRecreated(Registered state, ReportObjectRecreated report) {
    Optional<RestoreJob> notYetRecorded = running(state, report)
        .filter(job -> !job.recreatedId().equals(Optional.of(report.newObjectId())));
    if (notYetRecorded.isEmpty()) {
      return effects.reply(report.replyTo(), recorded(report));
    }
    return effects.persist(new RestoreObjectRecreated(tenantId, state.account(), report.jobId(), report.newObjectId(),
            now.get()))
        .thenReply(report.replyTo(), updated -> recorded(report));
  }

  ReplyEffect<Event, TenantState> onFinished(Registered state, RestoreFinished finished) {
    return ended(state, finished, job -> new RestoreCompleted(tenantId, state.account(), job.jobId(),
        finished.action(), finished.changes(), finished.skipped(), finished.newObjectId().or(job::recreatedId),
        now.get(), finished.graph()));
  }

  ReplyEffect<Event, TenantState> onFailed(Registered state, RestoreRunFailed failed) {
    return ended(state, failed, job -> new RestoreFailed(tenantId, state.account(), job.jobId(), failed.error(),
        now.get(), failed.graph()));
  }

  /** The running restore ended: its outcome is persisted, then the next job that writes starts. */
  private ReplyEffect<Event, TenantState> ended(Registered state, RestoreReport report,
      Function<RestoreJob, Event> outcome) {
    Optional<RestoreJob> running = running(state, report);
    if (running.isEmpty()) {
      // A report of a restore already closed (a retry after a crash) is recorded already: nothing to persist.
      return effects.reply(report.replyTo(), recorded(report));
    }
    List<Event> events = new ArrayList<>();
    events.add(outcome.apply(running.get()));
    // The next writing job: a waiting restore first (asked for by a person), then the schedule.
    nextQueued(state.with(state.restores().ended())).ifPresent(events::add);
    return effects.persist(events)
        .thenRun(updated -> nextWork.accept((Registered) updated))
        .thenReply(report.replyTo(), updated -> recorded(report));
  }

  private static Optional<RestoreJob> running(Registered state, RestoreReport report) {
    return state.restores().running().filter(job -> job.jobId().equals(report.jobId()));
  }

  private static RunReportRecorded recorded(RestoreReport report) {
    return new RunReportRecorded(report.jobId());
  }

  /** Starts the oldest waiting restore, unless something still writes. */
  Optional<Event> nextQueued(Registered state) {
    if (state.restores().queued().isEmpty() || state.restores().running().isPresent()) {
      return Optional.empty();
    }
    return Optional.of(new RestoreStarted(tenantId, state.account(), state.restores().queued().get(0).jobId(),
        now.get()));
  }

  /** The running restore's worker, unless it has one already (after recovery it has none). */
  void spawn(Registered state, RestoreJob job) {
    String name = "restore-" + job.jobId();
    if (context.getChild(name).isPresent()) {
      return;
    }
    var spec = new RestoreSpec(tenantId, state.account(), state.consent().entraTenantId().orElseThrow(),
        job.jobId(), job.type(), job.objectId(), job.versionId(), job.recreatedId(), job.requestId());
    context.spawn(runner.run(spec, context.getSelf()), name);
    context.getLog().info("Tenant {}: restore {} of {} {} runs", tenantId, job.jobId(), job.type().apiName(),
        job.objectId());
  }
}
