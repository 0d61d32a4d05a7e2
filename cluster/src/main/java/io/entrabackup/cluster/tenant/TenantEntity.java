package io.entrabackup.cluster.tenant;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.entrabackup.cluster.backup.BackupRunSpec;
import io.entrabackup.cluster.backup.BackupRunner;
import io.entrabackup.cluster.restore.RestoreRunner;
import io.entrabackup.cluster.tenant.ConsentRules.Decision;
import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.cluster.tenant.TenantState.RestoreJob;
import io.entrabackup.cluster.tenant.TenantState.RunningBackup;
import io.entrabackup.cluster.tenant.TenantState.Unregistered;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.tenant.TenantCommands.BackupAccepted;
import io.entrabackup.protocol.tenant.TenantCommands.BackupAlreadyRunning;
import io.entrabackup.protocol.tenant.TenantCommands.CheckConsentState;
import io.entrabackup.protocol.tenant.TenantCommands.ClaimRestorePassword;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.CompleteConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Current;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenant;
import io.entrabackup.protocol.tenant.TenantCommands.MarkAuthorizationLost;
import io.entrabackup.protocol.tenant.TenantCommands.NotFound;
import io.entrabackup.protocol.tenant.TenantCommands.OperatorCommand;
import io.entrabackup.protocol.tenant.TenantCommands.RefuseConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Register;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.RequestConsent;
import io.entrabackup.protocol.tenant.TenantCommands.StartBackup;
import io.entrabackup.protocol.tenant.TenantCommands.StartRestore;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreFailed;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreObjectRecreated;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreRequested;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreStarted;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantEvents.TypeBackedUp;
import io.entrabackup.protocol.tenant.TenantInternal.BackupFinished;
import io.entrabackup.protocol.tenant.TenantInternal.BackupRunFailed;
import io.entrabackup.protocol.tenant.TenantInternal.InternalCommand;
import io.entrabackup.protocol.tenant.TenantInternal.ReportObjectRecreated;
import io.entrabackup.protocol.tenant.TenantInternal.RestoreFinished;
import io.entrabackup.protocol.tenant.TenantInternal.RestorePasswordIssued;
import io.entrabackup.protocol.tenant.TenantInternal.RestoreReport;
import io.entrabackup.protocol.tenant.TenantInternal.RestoreRunFailed;
import io.entrabackup.protocol.tenant.TenantInternal.RunReport;
import io.entrabackup.protocol.tenant.TenantInternal.RunReportRecorded;
import io.entrabackup.protocol.tenant.TenantInternal.ScheduleDue;
import io.entrabackup.protocol.tenant.TenantInternal.TypeDone;
import io.entrabackup.protocol.tenant.TenantRegistration;
import io.entrabackup.protocol.tenant.TenantStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One tenant under backup, sharded by our tenant id and event-sourced in Cassandra. It alone decides
 * that a backup starts, so one tenant never runs two backups at once anywhere in the cluster. Its
 * registration, consent ({@link ConsentRules}), schedule, delta checkpoints and runs all live here; the run's work is
 * done by a child ({@link BackupRunner}) that reports milestones back. Restores are jobs of the entity too
 * ({@link TenantRestores}, done by a {@link RestoreRunner} child); one job that writes (a backup or a restore) runs at a
 * time, others wait (RESTORE.md).
 */
public final class TenantEntity
    extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, TenantState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Tenant");

  /** Every backup covers these, in this order (roles last: they refer to users and groups). */
  static final List<ObjectType> BACKED_UP_TYPES = List.of(ObjectType.USERS, ObjectType.GROUPS,
      ObjectType.DIRECTORY_ROLES, ObjectType.ROLE_DEFINITIONS, ObjectType.ROLE_ASSIGNMENTS);

  private static final String SCHEDULE_TIMER = "schedule";

  /**
   * What an entity works with, passed in so its rules are tested without Graph or Cassandra.
   *
   * @param backups makes the child that carries out a backup run
   * @param restores makes the child that carries out a restore ({@link RestoreRunner#UNAVAILABLE} where there are none)
   */
  public record Collaborators(Clock clock, BackupRunner backups, RestoreRunner restores) {}

  private final TenantId tenantId;
  private final Clock clock;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final BackupRunner backupRunner;
  private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;
  private final ConsentRules consentRules;
  private final TenantRestores restores;

  /** Registers the entity with Cluster Sharding on this node. */
  public static void init(ActorSystem<?> system, Collaborators deps) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY,
        entity -> create(TenantId.parse(entity.getEntityId()), deps, Optional.of(entity.getShard()))));
  }

  /** The entity outside sharding (tests): it answers an unknown tenant without asking to be passivated. */
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
    this.backupRunner = deps.backups();
    this.shard = shard;
    this.consentRules = new ConsentRules(tenantId, BACKED_UP_TYPES, TenantEntity::newRunId, clock);
    this.restores = new TenantRestores(tenantId, context, deps.restores(), Effect(), this::now, TenantEntity::newRunId,
        this::spawnWorkOrArmSchedule);
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
    return Set.of(TenantEvents.TAG);
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
    }
  }

  /** Whatever job that writes is running gets its worker (a no-op when it has one); with none, the schedule runs. */
  private void spawnWorkOrArmSchedule(Registered state) {
    if (state.restores().running().isPresent()) {
      timers.cancel(SCHEDULE_TIMER);
      restores.spawn(state, state.restores().running().get());
    } else if (state.backups().running().isPresent()) {
      spawnRun(state, state.backups().running().get());
    } else {
      armSchedule(state);
    }
  }

  @Override
  public CommandHandlerWithReply<Command, Event, TenantState> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forStateType(Unregistered.class)
        .onCommand(Register.class, this::onRegister)
        .onCommand(OperatorCommand.class, (state, command) -> unknownTenant(command.replyTo(), new NotFound()))
        .onCommand(RunReport.class, (state, report) -> unknownTenant(report.replyTo(), recorded(report)))
        .onCommand(RestoreReport.class,
            (state, report) -> unknownTenant(report.replyTo(), new RunReportRecorded(report.jobId())))
        .onCommand(ScheduleDue.class, this::onUnknownTenantUnanswered)
        .onCommand(RestorePasswordIssued.class, this::onUnknownTenantUnanswered);
    builder
        .forStateType(Registered.class)
        .onCommand(Register.class, this::onRegisterAgain)
        .onCommand(GetTenant.class, owned((state, command) -> Effect().reply(command.replyTo(),
            new Current(state.view()))))
        .onCommand(RequestConsent.class, owned(decidedBy(consentRules::onRequestConsent)))
        .onCommand(CheckConsentState.class, owned(decidedBy(consentRules::onCheckConsentState)))
        .onCommand(CompleteConsent.class, owned(decidedBy(consentRules::onCompleteConsent)))
        .onCommand(RefuseConsent.class, owned(decidedBy(consentRules::onRefuseConsent)))
        .onCommand(MarkAuthorizationLost.class, owned(decidedBy(consentRules::onMarkAuthorizationLost)))
        .onCommand(StartBackup.class, owned(this::onStartBackup))
        .onCommand(StartRestore.class, owned(restores::onStart))
        .onCommand(ClaimRestorePassword.class, owned(restores::onClaimPassword))
        .onCommand(ScheduleDue.class, this::onScheduleDue)
        .onCommand(TypeDone.class, this::onTypeDone)
        .onCommand(BackupFinished.class, this::onBackupFinished)
        .onCommand(BackupRunFailed.class, this::onBackupRunFailed)
        .onCommand(ReportObjectRecreated.class, restores::onObjectRecreated)
        .onCommand(RestoreFinished.class, restores::onFinished)
        .onCommand(RestoreRunFailed.class, restores::onFailed)
        .onCommand(RestorePasswordIssued.class, restores::onPasswordIssued);
    return builder.build();
  }

  /**
   * Answers for a tenant that does not exist, then stops: entities are remembered, and an id someone
   * merely asked about must not stay in memory or be restarted with the shard. A run's report is answered as
   * recorded: its tenant is gone, so there is nothing to wait for.
   */
  private <R> ReplyEffect<Event, TenantState> unknownTenant(ActorRef<R> replyTo, R reply) {
    passivate();
    return Effect().reply(replyTo, reply);
  }

  private ReplyEffect<Event, TenantState> onUnknownTenantUnanswered(Unregistered state, InternalCommand command) {
    passivate();
    return Effect().noReply();
  }

  private void passivate() {
    shard.ifPresent(ref -> ref.tell(new ClusterSharding.Passivate<>(context.getSelf())));
  }

  private ReplyEffect<Event, TenantState> onRegister(Unregistered state, Register command) {
    Optional<String> problem =
        TenantRegistration.displayNameProblem(command.displayName())
            .or(() -> TenantRegistration.entraTenantProblem(command.entraTenant()));
    if (problem.isPresent()) {
      return Effect().reply(command.replyTo(), new Rejected(problem.get()));
    }
    var event = new TenantRegistered(tenantId, command.account(), command.displayName().strip(),
        command.entraTenant().map(String::strip), now());
    return persistAndShow(List.of(event), command);
  }

  private ReplyEffect<Event, TenantState> onRegisterAgain(Registered state, Register command) {
    return Effect().reply(command.replyTo(), new Rejected("tenant " + tenantId + " is already registered"));
  }

  /** Consent, refusal and lost authorization follow {@link ConsentRules}: its events, or its refusal. */
  private <C extends OperatorCommand> BiFunction<Registered, C, ReplyEffect<Event, TenantState>> decidedBy(
      BiFunction<Registered, C, Decision> rule) {
    return (state, command) -> {
      Decision decision = rule.apply(state, command);
      if (decision.refusal().isPresent()) {
        return Effect().reply(command.replyTo(), decision.refusal().get());
      }
      if (decision.events().isEmpty()) {
        return Effect().reply(command.replyTo(), new Current(state.view()));
      }
      return persistAndShow(decision.events(), command);
    };
  }

  private ReplyEffect<Event, TenantState> onStartBackup(Registered state, StartBackup command) {
    if (state.status() != TenantStatus.AUTHORIZED) {
      return Effect().reply(command.replyTo(), new Rejected(
          "Tenant " + tenantId + " is not authorized (" + state.status() + "); use Activate Backup first"));
    }
    Optional<RunningBackup> running = state.backups().running();
    if (running.isPresent()) {
      return Effect().reply(command.replyTo(), new BackupAlreadyRunning(running.get().runId()));
    }
    Optional<RestoreJob> restoring = state.restores().running();
    if (restoring.isPresent()) {
      return Effect().reply(command.replyTo(), new Rejected("Restore " + restoring.get().jobId() + " of this tenant is"
          + " running; a backup waits until it ends (the scheduled one starts by itself then). Follow it at"
          + " /api/v1/jobs/" + restoring.get().jobId()));
    }
    BackupStarted started = backupStarted(state, command.trigger());
    return Effect().persist(started)
        .thenRun(this::spawnRunOf)
        .thenReply(command.replyTo(), updated -> new BackupAccepted(started.runId()));
  }

  private ReplyEffect<Event, TenantState> onScheduleDue(Registered state, ScheduleDue command) {
    boolean due = state.status() == TenantStatus.AUTHORIZED
        && !state.writing()
        && state.backups().nextBackupAt().filter(next -> !next.isAfter(clock.instant())).isPresent();
    if (!due) {
      armSchedule(state);
      return Effect().noReply();
    }
    return Effect().persist(backupStarted(state, BackupTrigger.SCHEDULED)).thenRun(this::spawnRunOf).thenNoReply();
  }

  private ReplyEffect<Event, TenantState> onTypeDone(Registered state, TypeDone done) {
    boolean pending = runningBackup(state, done).filter(run -> run.remaining().contains(done.type())).isPresent();
    if (!pending) {
      // A run already closed (a retry after a crash), or the same milestone again (the run asked again when our
      // answer was late): it is recorded already, and counting it twice would be wrong.
      return Effect().reply(done.replyTo(), recorded(done));
    }
    return Effect().persist(new TypeBackedUp(tenantId, state.account(), done.runId(), done.type(), done.counts(),
            done.graph(), done.deltaLink(), now()))
        .thenReply(done.replyTo(), updated -> recorded(done));
  }

  private ReplyEffect<Event, TenantState> onBackupFinished(Registered state, BackupFinished finished) {
    return runEnded(state, finished, run -> List.of(new BackupCompleted(tenantId, state.account(), run.runId(),
        run.counts(), run.graph(), finished.objectCounts(), now(), nextSlot(state))));
  }

  /** A run that lost the tenant's authorization marks the tenant lost, and no next backup is scheduled. */
  private ReplyEffect<Event, TenantState> onBackupRunFailed(Registered state, BackupRunFailed failed) {
    return runEnded(state, failed, run -> {
      var runFailed = new BackupFailed(tenantId, state.account(), run.runId(), failed.error(), now(),
          failed.authorizationLost() ? Optional.empty() : Optional.of(nextSlot(state)));
      return failed.authorizationLost()
          ? List.of(runFailed, new AuthorizationLost(tenantId, state.account(), failed.error(), now()))
          : List.of(runFailed);
    });
  }

  /** The run ended: its outcome is persisted, then a waiting restore starts, else the schedule is armed. */
  private ReplyEffect<Event, TenantState> runEnded(Registered state, RunReport report,
      Function<RunningBackup, List<Event>> outcome) {
    Optional<RunningBackup> running = runningBackup(state, report);
    if (running.isEmpty()) {
      // A report of a run already closed (a retry after a crash): it is recorded already.
      return Effect().reply(report.replyTo(), recorded(report));
    }
    List<Event> events = new ArrayList<>(outcome.apply(running.get()));
    restores.nextQueued(state).ifPresent(events::add);
    return Effect().persist(events)
        .thenRun(updated -> spawnWorkOrArmSchedule((Registered) updated))
        .thenReply(report.replyTo(), updated -> recorded(report));
  }

  private static Optional<RunningBackup> runningBackup(Registered state, RunReport report) {
    return state.backups().running().filter(run -> run.runId().equals(report.runId()));
  }

  private static RunReportRecorded recorded(RunReport report) {
    return new RunReportRecorded(report.runId());
  }

  private BackupStarted backupStarted(Registered state, BackupTrigger trigger) {
    return new BackupStarted(tenantId, state.account(), newRunId(), trigger, BACKED_UP_TYPES, now());
  }

  private Instant nextSlot(Registered state) {
    Duration frequency = state.consent().frequency().orElse(Duration.ofDays(1));
    return BackupSchedule.nextSlot(tenantId, frequency, clock.instant());
  }

  private void spawnRunOf(TenantState updated) {
    Registered state = (Registered) updated;
    state.backups().running().ifPresent(run -> spawnRun(state, run));
  }

  private void spawnRun(Registered state, RunningBackup run) {
    timers.cancel(SCHEDULE_TIMER);
    String name = "backup-" + run.runId();
    if (context.getChild(name).isPresent()) {
      return;
    }
    var spec = new BackupRunSpec(tenantId, state.account(), state.consent().entraTenantId().orElseThrow(),
        run.runId(), run.remaining(), state.backups().deltaLinks());
    context.spawn(backupRunner.run(spec, context.getSelf()), name);
    context.getLog().info("Tenant {}: backup {} runs {}", tenantId, run.runId(), run.remaining());
  }

  /** The tenant's own timer fires when its next backup is due; a missed slot fires at once. */
  private void armSchedule(Registered state) {
    if (state.status() != TenantStatus.AUTHORIZED || state.writing()) {
      timers.cancel(SCHEDULE_TIMER);
      return;
    }
    state.backups().nextBackupAt().ifPresent(next -> {
      Duration delay = Duration.between(clock.instant(), next);
      timers.startSingleTimer(SCHEDULE_TIMER, new ScheduleDue(), delay.isNegative() ? Duration.ZERO : delay);
    });
  }

  /** The handler, for the tenant's own account: another account's tenant is indistinguishable from a missing one. */
  private <C extends OperatorCommand> BiFunction<Registered, C, ReplyEffect<Event, TenantState>> owned(
      BiFunction<Registered, C, ReplyEffect<Event, TenantState>> handler) {
    return (state, command) -> state.ownedBy(command.account())
        ? handler.apply(state, command)
        : Effect().reply(command.replyTo(), new NotFound());
  }

  private ReplyEffect<Event, TenantState> persistAndShow(List<? extends Event> events, OperatorCommand command) {
    return Effect().persist(List.copyOf(events))
        .thenRun(updated -> spawnWorkOrArmSchedule((Registered) updated))
        .thenReply(command.replyTo(), updated -> new Current(((Registered) updated).view()));
  }

  // Cassandra keeps milliseconds; truncating here makes state and read model agree exactly.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  @Override
  public EventHandler<TenantState, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forStateType(Unregistered.class).onEvent(TenantRegistered.class, Unregistered::apply);
    builder.forStateType(Registered.class)
        .onEvent(TenantEvents.ConsentRequested.class, Registered::apply)
        .onEvent(TenantEvents.TenantAuthorized.class, Registered::apply)
        .onEvent(TenantEvents.AuthorizationRefused.class, Registered::apply)
        .onEvent(AuthorizationLost.class, Registered::apply)
        .onEvent(BackupStarted.class, Registered::apply)
        .onEvent(TypeBackedUp.class, Registered::apply)
        .onEvent(BackupCompleted.class, Registered::apply)
        .onEvent(BackupFailed.class, Registered::apply)
        .onEvent(RestoreRequested.class, Registered::apply)
        .onEvent(RestoreStarted.class, Registered::apply)
        .onEvent(RestoreObjectRecreated.class, Registered::apply)
        .onEvent(RestoreCompleted.class, Registered::apply)
        .onEvent(RestoreFailed.class, Registered::apply);
    return builder.build();
  }
}
