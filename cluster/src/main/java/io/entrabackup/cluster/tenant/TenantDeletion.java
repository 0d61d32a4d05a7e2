package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.offboarding.TenantPurge;
import io.entrabackup.cluster.tenant.TenantState.Purging;
import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.cluster.tenant.TenantState.ScheduledDeletion;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantInternal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offboarding of one {@link TenantEntity} (cluster/OFFBOARDING.md): a deletion scheduled after a grace period (and
 * undone within it), then the purge, then the tombstone. The deadline is persisted and a timer armed from it on every
 * recovery, so it survives restarts; the purge is asynchronous and reports back, never blocking the entity.
 */
final class TenantDeletion {

  static final String DELETION_TIMER = "deletion";
  private static final Logger LOG = LoggerFactory.getLogger(TenantDeletion.class);

  private final TenantId tenantId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final EffectFactories<Event, TenantState> effects;
  private final Clock clock;
  private final Supplier<Instant> now;
  private final TenantPurge purge;
  private final Duration gracePeriod;
  private final Duration retryDelay;
  private final String persistenceId;
  /** The sequence number of the entity's last event (the tombstone, once written). */
  private final LongSupplier lastSequenceNr;
  /** The entity's "start whatever writes next, else arm the schedule", after a deletion was cancelled. */
  private final Consumer<Registered> resume;

  TenantDeletion(TenantId tenantId, ActorContext<Command> context, TimerScheduler<Command> timers,
      EffectFactories<Event, TenantState> effects, Clock clock, Supplier<Instant> now, TenantPurge purge,
      Duration gracePeriod, Duration retryDelay, String persistenceId, LongSupplier lastSequenceNr,
      Consumer<Registered> resume) {
    this.tenantId = tenantId;
    this.context = context;
    this.timers = timers;
    this.effects = effects;
    this.clock = clock;
    this.now = now;
    this.purge = purge;
    this.gracePeriod = gracePeriod;
    this.retryDelay = retryDelay;
    this.persistenceId = persistenceId;
    this.lastSequenceNr = lastSequenceNr;
    this.resume = resume;
  }

  /** Why a command that would start work is refused while the deletion is scheduled (the API's 409). */
  String refusal(Registered state) {
    Instant at = state.deletion().map(ScheduledDeletion::deleteAt).orElseThrow();
    return "Tenant " + tenantId + " is scheduled for deletion at " + at + "; nothing new runs until then. Cancel the"
        + " deletion first (POST /api/v1/tenants/" + tenantId + "/deletion/cancel) to back up or restore again.";
  }

  /** Delete: the deadline is now plus the grace period; asked again, the first deadline stands. */
  ReplyEffect<Event, TenantState> onSchedule(Registered state, TenantCommands.ScheduleDeletion command) {
    if (state.deletionScheduled()) {
      return effects.reply(command.replyTo(), new TenantCommands.Current(state.view()));
    }
    Instant at = now.get();
    var event = new TenantEvents.TenantDeletionScheduled(tenantId, state.account(), command.requestedBy(), at,
        at.plus(gracePeriod));
    return effects.persist(event)
        .thenRun(updated -> arm((Registered) updated))
        .thenReply(command.replyTo(), updated -> new TenantCommands.Current(((Registered) updated).view()));
  }

  /** Undo: the tenant is kept and its schedule resumes; without a scheduled deletion there is nothing to undo. */
  ReplyEffect<Event, TenantState> onCancel(Registered state, TenantCommands.CancelDeletion command) {
    if (!state.deletionScheduled()) {
      return effects.reply(command.replyTo(), new TenantCommands.Current(state.view()));
    }
    return effects.persist(new TenantEvents.TenantDeletionCancelled(tenantId, state.account(), command.cancelledBy(),
            now.get()))
        .thenRun(updated -> {
          timers.cancel(DELETION_TIMER);
          resume.accept((Registered) updated);
        })
        .thenReply(command.replyTo(), updated -> new TenantCommands.Current(((Registered) updated).view()));
  }

  /**
   * The deadline may have come. A backup or restore still writing (it began before the deletion was asked for) is
   * waited for: purging under a running job would leave rows it writes after.
   */
  ReplyEffect<Event, TenantState> onDue(Registered state, TenantInternal.DeletionDue due) {
    Optional<ScheduledDeletion> deletion = state.deletion();
    if (deletion.isEmpty()) {
      return effects.noReply();
    }
    if (deletion.get().deleteAt().isAfter(clock.instant()) || state.writing()) {
      arm(state);
      return effects.noReply();
    }
    context.getLog().info("Tenant {}: grace period over, purging its data", tenantId);
    return effects.persist(new TenantEvents.TenantPurgeStarted(tenantId, state.account(), now.get()))
        .thenRun(updated -> start((Purging) updated))
        .thenNoReply();
  }

  /** The deletion timer, from the persisted deadline (after recovery too); a job still writing is checked again. */
  void arm(Registered state) {
    state.deletion().ifPresent(deletion -> {
      Duration delay = Duration.between(clock.instant(), deletion.deleteAt());
      if (delay.compareTo(Duration.ZERO) <= 0 && state.writing()) {
        delay = retryDelay;
      }
      timers.startSingleTimer(DELETION_TIMER, new TenantInternal.DeletionDue(),
          delay.isNegative() ? Duration.ZERO : delay);
    });
  }

  /** Runs the purge (again, after a crash or failure: each step is idempotent); it reports back to the entity. */
  void start(Purging state) {
    var target = new TenantPurge.Target(tenantId, state.registration().account(), state.entraTenantId(),
        persistenceId);
    context.pipeToSelf(purge.purge(target), (done, error) -> error == null
        ? new TenantInternal.PurgeDone()
        : new TenantInternal.PurgeFailed(String.valueOf(error.getMessage())));
  }

  ReplyEffect<Event, TenantState> onPurgeFailed(Purging state, TenantInternal.PurgeFailed failed) {
    context.getLog().warn("Tenant {}: purge failed, trying again in {}: {}", tenantId, retryDelay, failed.error());
    timers.startSingleTimer(DELETION_TIMER, new TenantInternal.DeletionDue(), retryDelay);
    return effects.noReply();
  }

  ReplyEffect<Event, TenantState> onPurgeAgain(Purging state, TenantInternal.DeletionDue due) {
    start(state);
    return effects.noReply();
  }

  /** Every row is gone: the tombstone is written, then every event before it is deleted. */
  ReplyEffect<Event, TenantState> onPurgeDone(Purging state, TenantInternal.PurgeDone done) {
    return effects.persist(new TenantEvents.TenantPurged(tenantId, now.get()))
        .thenRun(updated -> {
          context.getLog().info("Tenant {}: purged", tenantId);
          clearJournal();
        })
        .thenNoReply();
  }

  /**
   * The events before the tombstone. Also run when a deleted tenant recovers, in case a crash came between the
   * tombstone and this: deleting events already deleted is harmless.
   */
  void clearJournal() {
    long upTo = lastSequenceNr.getAsLong() - 1;
    purge.clearEvents(persistenceId, upTo).whenComplete((done, error) -> {
      if (error != null) {
        LOG.warn("Tenant {}: its journal before the tombstone is deleted at its next start: {}",
            tenantId, error.getMessage());
      }
    });
  }
}
