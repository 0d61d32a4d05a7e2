package io.entrabackup.cluster.tenant;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.entrabackup.cluster.backup.BackupRunner;
import io.entrabackup.cluster.restore.RestoreRunner;
import io.entrabackup.cluster.sharding.PinnedOrEvenAllocationStrategy;
import io.entrabackup.cluster.tenant.ConsentRules.Decision;
import io.entrabackup.cluster.offboarding.OffboardingSettings;
import io.entrabackup.cluster.offboarding.TenantPurge;
import io.entrabackup.cluster.tenant.TenantState.Deleted;
import io.entrabackup.cluster.tenant.TenantState.Purging;
import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.cluster.tenant.TenantState.Unregistered;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.tenant.TenantCommands;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.OperatorCommand;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantInternal;
import io.entrabackup.protocol.tenant.TenantRegistration;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One tenant under backup, sharded by our tenant id and event-sourced in Cassandra. It alone decides that a backup
 * starts, so one tenant never runs two backups at once anywhere in the cluster. Its registration, consent
 * ({@link ConsentRules}), schedule, delta checkpoints and runs ({@link TenantBackups}) all live here; a run's work is
 * done by a child ({@link BackupRunner}) that reports milestones back. Restores are jobs of the entity too
 * ({@link TenantRestores}, done by a {@link RestoreRunner} child); one job that writes (a backup or a restore) runs at
 * a time, others wait (RESTORE.md).
 */
public final class TenantEntity
    extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, TenantState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Tenant");

  private static final String SCHEDULE_TIMER = "schedule";

  /**
   * What an entity works with, passed in so its rules are tested without Graph or Cassandra.
   *
   * @param backups makes the child that carries out a backup run
   * @param restores makes the child that carries out a restore ({@link RestoreRunner#UNAVAILABLE} where there are none)
   * @param purge deletes an offboarded tenant's data when its grace period ends
   */
  public record Collaborators(Clock clock, BackupRunner backups, RestoreRunner restores, TenantPurge purge) {

    /** Without offboarding's purge (entity tests of other rules): a purge fails and is retried. */
    public Collaborators(Clock clock, BackupRunner backups, RestoreRunner restores) {
      this(clock, backups, restores, TenantPurge.UNAVAILABLE);
    }
  }

  private final TenantId tenantId;
  private final Clock clock;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;
  private final TenantRestores restores;
  private final TenantBackups backups;
  private final TenantApprovals approvals;
  private final ConsentRules consentRules;
  private final TenantDeletion deletion;

  /** Registers the entity with Cluster Sharding on this node. */
  public static void init(ActorSystem<?> system, Collaborators deps) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY,
        entity -> create(TenantId.parse(entity.getEntityId()), deps, Optional.of(entity.getShard())))
        // Ops' shard moves are honoured, every other shard is spread evenly (cluster/SHARDING.md).
        .withAllocationStrategy(PinnedOrEvenAllocationStrategy.create(system, ENTITY_TYPE_KEY.name())));
  }

  /** The entity outside sharding (tests): an unknown tenant is answered without asking to be passivated. */
  public static Behavior<Command> create(TenantId tenantId, Collaborators deps) {
    return create(tenantId, deps, Optional.empty());
  }

  private static Behavior<Command> create(TenantId tenantId, Collaborators deps,
      Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new TenantEntity(tenantId, deps, context, timers, shard)));
  }

  private TenantEntity(TenantId tenantId, Collaborators deps, ActorContext<Command> context,
      TimerScheduler<Command> timers, Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
    super(
        PersistenceId.of(ENTITY_TYPE_KEY.name(), tenantId.value()),
        // Cassandra hiccups must not kill a tenant for good: restart, spaced out.
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.tenantId = tenantId;
    this.clock = deps.clock();
    this.context = context;
    this.timers = timers;
    this.shard = shard;
    this.restores = new TenantRestores(tenantId, context, deps.restores(), Effect(), this::now, TenantEntity::newRunId,
        this::spawnWorkOrArmSchedule);
    BackupSchedule schedule = BackupSchedule.create(context.getSystem().settings().config());
    this.backups = new TenantBackups(tenantId, context, deps.backups(), Effect(), clock, this::now,
        TenantEntity::newRunId, restores, this::spawnWorkOrArmSchedule, schedule);
    this.consentRules = new ConsentRules(tenantId, backups::started, clock, schedule);
    this.approvals = new TenantApprovals(tenantId, timers, Effect(), this::now, TenantEntity::newRunId,
        this::spawnWorkOrArmSchedule);
    OffboardingSettings offboarding = OffboardingSettings.create(context.getSystem().settings().config());
    this.deletion = new TenantDeletion(tenantId, context, timers, Effect(), clock, this::now, deps.purge(),
        offboarding.gracePeriod(), offboarding.retryDelay(), persistenceId().id(),
        () -> lastSequenceNumber(context), this::spawnWorkOrArmSchedule);
  }

  /** Run ids are time-based UUIDs, so jobs list newest first by id. */
  private static String newRunId() {
    return Uuids.timeBased().toString();
  }

  @Override
  public TenantState emptyState() {
    return new Unregistered();
  }

  @Override
  public Set<String> tagsFor(Event event) {
    if (event instanceof TenantEvents.TenantPurged) {
      // The tombstone outlives the journal's other events: untagged, no copy of it stays in the tag views.
      return Set.of();
    }
    // Always the tenant's one slice, so its events reach every read model in order (TenantEventSlices).
    return Set.of(TenantEventSlices.get(context.getSystem()).tagFor(persistenceId().id()));
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public SignalHandler<TenantState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecovered).build();
  }

  /** After a restart, rebalance or node loss: resume the job that was in flight, or arm the schedule. */
  private void onRecovered(TenantState state) {
    if (state instanceof Registered registered) {
      spawnWorkOrArmSchedule(registered);
      approvals.arm(registered);
      deletion.arm(registered);
    } else if (state instanceof Purging purging) {
      deletion.start(purging);
    } else if (state instanceof Deleted) {
      // Remembered entities are started again with their shard: a deleted one tidies up and goes.
      deletion.clearJournal();
      passivate();
    }
  }

  /** Whatever job that writes is running gets its worker (a no-op when it has one); with none, the schedule runs. */
  private void spawnWorkOrArmSchedule(Registered state) {
    if (!state.writing()) {
      armSchedule(state);
      return;
    }
    timers.cancel(SCHEDULE_TIMER);
    if (state.restores().running().isPresent()) {
      restores.spawn(state, state.restores().running().get());
    } else {
      backups.spawn(state, state.backups().running().get());
    }
  }

  /** The tenant's own timer fires when its next backup is due; a missed slot fires at once. */
  private void armSchedule(Registered state) {
    if (state.status() != TenantStatus.AUTHORIZED || state.writing() || state.deletionScheduled()) {
      timers.cancel(SCHEDULE_TIMER);
      return;
    }
    state.backups().nextBackupAt().ifPresent(next -> {
      Duration delay = Duration.between(clock.instant(), next);
      timers.startSingleTimer(SCHEDULE_TIMER, new TenantInternal.ScheduleDue(),
          delay.isNegative() ? Duration.ZERO : delay);
    });
  }

  /**
   * One handler per command: the API's ({@link TenantCommands}) first, then the internal messages of the schedule
   * timer and the workers ({@link TenantInternal}).
   */
  @Override
  public CommandHandlerWithReply<Command, Event, TenantState> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    answeringAsUnknown(builder.forStateType(Unregistered.class)
        .onCommand(TenantCommands.Register.class, this::onRegister))
        .onCommand(TenantInternal.ScheduleDue.class, this::onUnknownTenantUnanswered)
        .onCommand(TenantInternal.BackupSlotTaken.class, this::onUnknownTenantUnanswered)
        .onCommand(TenantInternal.ApprovalDue.class, this::onUnknownTenantUnanswered)
        .onCommand(TenantInternal.RestorePasswordIssued.class, this::onUnknownTenantUnanswered)
        .onCommand(TenantInternal.InternalCommand.class, this::onUnknownTenantUnanswered);
    builder
        .forStateType(Registered.class)
        .onCommand(TenantCommands.Register.class, this::onRegisterAgain)
        .onCommand(TenantCommands.GetTenant.class, owned(this::onGetTenant))
        .onCommand(TenantCommands.RequestConsent.class,
            owned(unlessLeaving(decidedBy(consentRules::onRequestConsent))))
        .onCommand(TenantCommands.CheckConsentState.class, owned(decidedBy(consentRules::onCheckConsentState)))
        .onCommand(TenantCommands.CompleteConsent.class,
            owned(decidedBy(consentRules::onCompleteConsent, TenantEntity::consentCompleted)))
        .onCommand(TenantCommands.RefuseConsent.class, owned(decidedBy(consentRules::onRefuseConsent)))
        .onCommand(TenantCommands.MarkAuthorizationLost.class,
            owned(decidedBy(consentRules::onMarkAuthorizationLost)))
        .onCommand(TenantCommands.MarkDirectoryDisputed.class,
            owned(decidedBy(consentRules::onMarkDirectoryDisputed)))
        .onCommand(TenantCommands.StartBackup.class, owned(unlessLeaving(backups::onStartBackup)))
        .onCommand(TenantCommands.StartRestore.class, owned(unlessLeaving(restores::onStart)))
        .onCommand(TenantCommands.ClaimRestorePassword.class, owned(restores::onClaimPassword))
        .onCommand(TenantCommands.StartRestoreAwaitingApproval.class, owned(unlessLeaving(approvals::onStart)))
        .onCommand(TenantCommands.DecideRestoreApproval.class, owned(unlessLeaving(approvals::onDecide)))
        .onCommand(TenantCommands.ScheduleDeletion.class, owned(deletion::onSchedule))
        .onCommand(TenantCommands.CancelDeletion.class, owned(deletion::onCancel))
        .onCommand(TenantInternal.DeletionDue.class, deletion::onDue)
        .onCommand(TenantInternal.PurgeDone.class, (state, command) -> Effect().noReply())
        .onCommand(TenantInternal.PurgeFailed.class, (state, command) -> Effect().noReply())
        .onCommand(TenantInternal.ApprovalDue.class, approvals::onDue)
        .onCommand(TenantInternal.ScheduleDue.class, this::onScheduleDue)
        .onCommand(TenantInternal.BackupSlotTaken.class, backups::onSlotTaken)
        .onCommand(TenantInternal.TypeDone.class, backups::onTypeDone)
        .onCommand(TenantInternal.BackupFinished.class, backups::onBackupFinished)
        .onCommand(TenantInternal.BackupRunFailed.class, backups::onBackupRunFailed)
        .onCommand(TenantInternal.ReportObjectRecreated.class, restores::onObjectRecreated)
        .onCommand(TenantInternal.RestoreFinished.class, restores::onFinished)
        .onCommand(TenantInternal.RestoreRunFailed.class, restores::onFailed)
        .onCommand(TenantInternal.RestorePasswordIssued.class, restores::onPasswordIssued);
    builder
        .forStateType(Purging.class)
        .onCommand(OperatorCommand.class, (state, command) -> Effect().reply(command.replyTo(),
            new TenantCommands.NotFound()))
        .onCommand(TenantInternal.RunReport.class, (state, report) -> Effect().reply(report.replyTo(),
            new TenantInternal.RunReportRecorded(report.runId())))
        .onCommand(TenantInternal.RestoreReport.class, (state, report) -> Effect().reply(report.replyTo(),
            new TenantInternal.RunReportRecorded(report.jobId())))
        .onCommand(TenantInternal.DeletionDue.class, deletion::onPurgeAgain)
        .onCommand(TenantInternal.PurgeDone.class, deletion::onPurgeDone)
        .onCommand(TenantInternal.PurgeFailed.class, deletion::onPurgeFailed)
        .onCommand(TenantInternal.InternalCommand.class, (state, command) -> Effect().noReply());
    answeringAsUnknown(builder.forStateType(Deleted.class))
        .onCommand(TenantInternal.InternalCommand.class, (state, command) -> Effect().noReply());
    return builder.build();
  }

  /** A tenant never registered, or deleted: what asks for it is answered as for no tenant at all. */
  private <S extends TenantState> CommandHandlerWithReplyBuilderByState<Command, Event, S, TenantState>
      answeringAsUnknown(CommandHandlerWithReplyBuilderByState<Command, Event, S, TenantState> byState) {
    return byState
        .onCommand(OperatorCommand.class,
            (state, command) -> unknownTenant(command.replyTo(), new TenantCommands.NotFound()))
        .onCommand(TenantInternal.RunReport.class,
            (state, report) -> unknownTenant(report.replyTo(), new TenantInternal.RunReportRecorded(report.runId())))
        .onCommand(TenantInternal.RestoreReport.class,
            (state, report) -> unknownTenant(report.replyTo(), new TenantInternal.RunReportRecorded(report.jobId())));
  }

  /** The handler, unless the tenant's deletion is scheduled: then nothing new starts (the API's 409). */
  private <C extends OperatorCommand> BiFunction<Registered, C, ReplyEffect<Event, TenantState>> unlessLeaving(
      BiFunction<Registered, C, ReplyEffect<Event, TenantState>> handler) {
    return (state, command) -> state.deletionScheduled()
        ? Effect().reply(command.replyTo(), new TenantCommands.Rejected(deletion.refusal(state)))
        : handler.apply(state, command);
  }

  /**
   * Answers for a tenant that does not exist, then stops: entities are remembered, and an id someone merely asked
   * about must not stay in memory or be restarted with the shard. A run's report is answered as recorded: there is
   * no tenant to record it, and the run must not ask again and again.
   */
  private <R> ReplyEffect<Event, TenantState> unknownTenant(ActorRef<R> replyTo, R reply) {
    passivate();
    return Effect().reply(replyTo, reply);
  }

  private ReplyEffect<Event, TenantState> onUnknownTenantUnanswered(Unregistered state,
      TenantInternal.InternalCommand command) {
    passivate();
    return Effect().noReply();
  }

  private void passivate() {
    shard.ifPresent(ref -> ref.tell(new ClusterSharding.Passivate<>(context.getSelf())));
  }

  private ReplyEffect<Event, TenantState> onRegister(Unregistered state, TenantCommands.Register command) {
    Optional<String> problem =
        TenantRegistration.displayNameProblem(command.displayName())
            .or(() -> TenantRegistration.entraTenantProblem(command.entraTenant()));
    if (problem.isPresent()) {
      return Effect().reply(command.replyTo(), new TenantCommands.Rejected(problem.get()));
    }
    var event = new TenantEvents.TenantRegistered(tenantId, command.account(), command.displayName().strip(),
        command.entraTenant().map(String::strip), now());
    return persistAndShow(List.of(event), command);
  }

  private ReplyEffect<Event, TenantState> onRegisterAgain(Registered state, TenantCommands.Register command) {
    return Effect().reply(command.replyTo(),
        new TenantCommands.Rejected("tenant " + tenantId + " is already registered"));
  }

  private ReplyEffect<Event, TenantState> onGetTenant(Registered state, TenantCommands.GetTenant command) {
    return Effect().reply(command.replyTo(), new TenantCommands.Current(state.view()));
  }

  private ReplyEffect<Event, TenantState> onScheduleDue(Registered state, TenantInternal.ScheduleDue command) {
    boolean due = state.status() == TenantStatus.AUTHORIZED
        && !state.writing()
        && !state.deletionScheduled()
        && state.backups().nextBackupAt().filter(next -> !next.isAfter(clock.instant())).isPresent();
    if (!due) {
      armSchedule(state);
      return Effect().noReply();
    }
    return Effect().persist(backups.started(state, BackupTrigger.SCHEDULED))
        .thenRun(updated -> spawnWorkOrArmSchedule((Registered) updated))
        .thenNoReply();
  }

  /** Consent, refusal and lost authorization follow {@link ConsentRules}: its events, or its refusal. */
  private <C extends OperatorCommand> BiFunction<Registered, C, ReplyEffect<Event, TenantState>> decidedBy(
      BiFunction<Registered, C, Decision> rule) {
    return decidedBy(rule, (tenant, events) -> new TenantCommands.Current(tenant));
  }

  /** As {@link #decidedBy(BiFunction)}, answering the tenant after the events with {@code answer}. */
  private <C extends OperatorCommand> BiFunction<Registered, C, ReplyEffect<Event, TenantState>> decidedBy(
      BiFunction<Registered, C, Decision> rule, BiFunction<TenantView, List<Event>, TenantCommands.Reply> answer) {
    return (state, command) -> {
      Decision decision = rule.apply(state, command);
      if (decision.refusal().isPresent()) {
        return Effect().reply(command.replyTo(), decision.refusal().get());
      }
      if (decision.events().isEmpty()) {
        return Effect().reply(command.replyTo(), new TenantCommands.Current(state.view()));
      }
      return persistAndAnswer(decision.events(), command, tenant -> answer.apply(tenant, decision.events()));
    };
  }

  /** Consent answers with the event that authorized the tenant, which the callback writes to the dashboard's row. */
  private static TenantCommands.Reply consentCompleted(TenantView tenant, List<Event> events) {
    TenantEvents.TenantAuthorized authorized = events.stream()
        .filter(TenantEvents.TenantAuthorized.class::isInstance).map(TenantEvents.TenantAuthorized.class::cast)
        .findFirst().orElseThrow();
    return new TenantCommands.ConsentCompleted(tenant, authorized);
  }

  /** The handler, for the tenant's own account: another account's tenant is indistinguishable from a missing one. */
  private <C extends OperatorCommand> BiFunction<Registered, C, ReplyEffect<Event, TenantState>> owned(
      BiFunction<Registered, C, ReplyEffect<Event, TenantState>> handler) {
    return (state, command) -> state.ownedBy(command.account())
        ? handler.apply(state, command)
        : Effect().reply(command.replyTo(), new TenantCommands.NotFound());
  }

  private ReplyEffect<Event, TenantState> persistAndShow(List<? extends Event> events, OperatorCommand command) {
    return persistAndAnswer(events, command, TenantCommands.Current::new);
  }

  /** Persists the events, starts the work they call for, and answers the tenant as they left it. */
  private ReplyEffect<Event, TenantState> persistAndAnswer(List<? extends Event> events, OperatorCommand command,
      Function<TenantView, TenantCommands.Reply> answer) {
    return Effect().persist(List.copyOf(events))
        .thenRun(updated -> spawnWorkOrArmSchedule((Registered) updated))
        .thenReply(command.replyTo(), updated -> answer.apply(((Registered) updated).view()));
  }

  // Cassandra keeps milliseconds; truncating here makes state and read model agree exactly.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  @Override
  public EventHandler<TenantState, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forStateType(Unregistered.class)
        .onEvent(TenantEvents.TenantRegistered.class, Unregistered::apply)
        .onEvent(TenantEvents.TenantPurged.class, Unregistered::apply);
    builder.forStateType(Purging.class).onEvent(TenantEvents.TenantPurged.class, Purging::apply);
    // Events sealed under a destroyed key replay as tombstones (SealedTenantEventSerializer), then the real one comes.
    builder.forStateType(Deleted.class).onEvent(TenantEvents.TenantPurged.class, Deleted::apply);
    builder.forStateType(Registered.class)
        .onEvent(TenantEvents.ConsentRequested.class, Registered::apply)
        .onEvent(TenantEvents.TenantAuthorized.class, Registered::apply)
        .onEvent(TenantEvents.AuthorizationRefused.class, Registered::apply)
        .onEvent(TenantEvents.AuthorizationLost.class, Registered::apply)
        .onEvent(TenantEvents.DirectoryDisputed.class, Registered::apply)
        .onEvent(TenantEvents.BackupStarted.class, Registered::apply)
        .onEvent(TenantEvents.BackupRunning.class, Registered::apply)
        .onEvent(TenantEvents.TypeBackedUp.class, Registered::apply)
        .onEvent(TenantEvents.BackupCompleted.class, Registered::apply)
        .onEvent(TenantEvents.BackupFailed.class, Registered::apply)
        .onEvent(TenantEvents.RestoreRequested.class, Registered::apply)
        .onEvent(TenantEvents.RestoreStarted.class, Registered::apply)
        .onEvent(TenantEvents.RestoreObjectRecreated.class, Registered::apply)
        .onEvent(TenantEvents.RestoreCompleted.class, Registered::apply)
        .onEvent(TenantEvents.RestoreFailed.class, Registered::apply)
        .onEvent(TenantEvents.RestoreApprovalRequested.class, Registered::apply)
        .onEvent(TenantEvents.RestoreApproved.class, Registered::apply)
        .onEvent(TenantEvents.RestoreApprovalRejected.class, Registered::apply)
        .onEvent(TenantEvents.RestoreApprovalExpired.class, Registered::apply)
        .onEvent(TenantEvents.TenantDeletionScheduled.class, Registered::apply)
        .onEvent(TenantEvents.TenantDeletionCancelled.class, Registered::apply)
        .onEvent(TenantEvents.TenantPurgeStarted.class, Registered::apply);
    return builder.build();
  }
}
