package io.entrabackup.cluster.tenant;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.entrabackup.cluster.backup.BackupRunSpec;
import io.entrabackup.cluster.backup.BackupRunner;
import io.entrabackup.cluster.restore.RestoreRunner;
import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.cluster.tenant.TenantState.RestoreJob;
import io.entrabackup.cluster.tenant.TenantState.RunningBackup;
import io.entrabackup.cluster.tenant.TenantState.Unregistered;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.tenant.TenantCommands.BackupAccepted;
import io.entrabackup.protocol.tenant.TenantCommands.BackupAlreadyRunning;
import io.entrabackup.protocol.tenant.TenantCommands.BackupFinished;
import io.entrabackup.protocol.tenant.TenantCommands.BackupRunFailed;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.Current;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenant;
import io.entrabackup.protocol.tenant.TenantCommands.NotFound;
import io.entrabackup.protocol.tenant.TenantCommands.OperatorCommand;
import io.entrabackup.protocol.tenant.TenantCommands.Register;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.RunReport;
import io.entrabackup.protocol.tenant.TenantCommands.RunReportRecorded;
import io.entrabackup.protocol.tenant.TenantCommands.ScheduleDue;
import io.entrabackup.protocol.tenant.TenantCommands.StartBackup;
import io.entrabackup.protocol.tenant.TenantCommands.TypeDone;
import io.entrabackup.protocol.tenant.TenantCommands.ClaimRestorePassword;
import io.entrabackup.protocol.tenant.TenantCommands.RestoreFinished;
import io.entrabackup.protocol.tenant.TenantCommands.RestoreReport;
import io.entrabackup.protocol.tenant.TenantCommands.RestoreRunFailed;
import io.entrabackup.protocol.tenant.TenantCommands.StartRestore;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreFailed;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreObjectRecreated;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreRequested;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreStarted;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantEvents.TypeBackedUp;
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
import java.util.function.Supplier;
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
 * registration, authorization, schedule, delta checkpoints and runs all live here; the run's work is
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

  private final TenantId tenantId;
  private final Clock clock;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final BackupRunner runner;
  private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;
  private final TenantAuthorizationRules authorizationRules;
  private final TenantRestores restores;

  /** Registers the entity with Cluster Sharding on this node. */
  public static void init(ActorSystem<?> system, Clock clock, BackupRunner runner) {
    init(system, clock, runner, RestoreRunner.UNAVAILABLE);
  }

  public static void init(ActorSystem<?> system, Clock clock, BackupRunner runner, RestoreRunner restoreRunner) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY,
        entity -> create(TenantId.parse(entity.getEntityId()), clock, runner, restoreRunner,
            Optional.of(entity.getShard()))));
  }

  public static Behavior<Command> create(TenantId tenantId, Clock clock, BackupRunner runner) {
    return create(tenantId, clock, runner, RestoreRunner.UNAVAILABLE, Optional.empty());
  }

  public static Behavior<Command> create(TenantId tenantId, Clock clock, BackupRunner runner,
      RestoreRunner restoreRunner) {
    return create(tenantId, clock, runner, restoreRunner, Optional.empty());
  }

  private static Behavior<Command> create(TenantId tenantId, Clock clock, BackupRunner runner,
      RestoreRunner restoreRunner, Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new TenantEntity(tenantId, clock, context, timers, runner, restoreRunner, shard)));
  }

  private TenantEntity(TenantId tenantId, Clock clock, ActorContext<Command> context,
      TimerScheduler<Command> timers, BackupRunner runner, RestoreRunner restoreRunner,
      Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
    super(
        PersistenceId.of(ENTITY_TYPE_KEY.name(), tenantId.value()),
        // Cassandra hiccups must not kill a tenant for good: restart, spaced out.
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.tenantId = tenantId;
    this.clock = clock;
    this.context = context;
    this.timers = timers;
    this.runner = runner;
    this.shard = shard;
    this.authorizationRules = new TenantAuthorizationRules(tenantId, BACKED_UP_TYPES, TenantEntity::newRunId);
    this.restores = new TenantRestores(tenantId, context, restoreRunner, Effect(), this::now, TenantEntity::newRunId,
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
        .onAnyCommand(this::onUnknownTenant);
    builder
        .forStateType(Registered.class)
        .onCommand(Register.class, this::onRegisterAgain)
        .onCommand(GetTenant.class, (state, command) -> owned(state, command,
            () -> Effect().reply(command.replyTo(), new Current(state.view()))))
        .onCommand(OperatorCommand.class, this::onAuthorizationCommand)
        .onCommand(ScheduleDue.class, this::onScheduleDue)
        .onCommand(RunReport.class, this::onRunReport)
        .onCommand(RestoreReport.class, restores::onReport);
    return builder.build();
  }

  /**
   * Answers for a tenant that does not exist, then stops: entities are remembered, and an id someone
   * merely asked about must not stay in memory or be restarted with the shard.
   */
  private ReplyEffect<Event, TenantState> onUnknownTenant(Unregistered state, Command command) {
    shard.ifPresent(ref -> ref.tell(new ClusterSharding.Passivate<>(context.getSelf())));
    if (command instanceof OperatorCommand operator) {
      return Effect().reply(operator.replyTo(), new NotFound());
    }
    if (command instanceof RunReport report) {
      return Effect().reply(report.replyTo(), new RunReportRecorded(report.runId()));
    }
    if (command instanceof RestoreFinished report) {
      return Effect().reply(report.replyTo(), new RunReportRecorded(report.jobId()));
    }
    if (command instanceof RestoreRunFailed report) {
      return Effect().reply(report.replyTo(), new RunReportRecorded(report.jobId()));
    }
    return Effect().noReply();
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

  /** Consent, refusal and lost authorization follow {@link TenantAuthorizationRules}; Backup Now is here. */
  private ReplyEffect<Event, TenantState> onAuthorizationCommand(Registered state, OperatorCommand command) {
    return owned(state, command, () -> {
      if (command instanceof StartBackup start) {
        return onStartBackup(state, start);
      }
      if (command instanceof StartRestore start) {
        return restores.onStart(state, start);
      }
      if (command instanceof ClaimRestorePassword claim) {
        return restores.onClaimPassword(claim);
      }
      var decision = authorizationRules.decide(state, command, now(), clock.instant());
      if (decision.refusal().isPresent()) {
        return Effect().reply(command.replyTo(), decision.refusal().get());
      }
      if (decision.events().isEmpty()) {
        return Effect().reply(command.replyTo(), new Current(state.view()));
      }
      return persistAndShow(decision.events(), command);
    });
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

  private ReplyEffect<Event, TenantState> onRunReport(Registered state, RunReport report) {
    Optional<RunningBackup> running = state.backups().running().filter(run -> run.runId().equals(report.runId()));
    if (running.isEmpty()) {
      // A report of a run already closed (a retry after a crash): it is recorded already.
      return Effect().reply(report.replyTo(), new RunReportRecorded(report.runId()));
    }
    if (report instanceof TypeDone done && !running.get().remaining().contains(done.type())) {
      // The same milestone again (the run asked again when our answer was late): counting it twice would be wrong.
      return Effect().reply(report.replyTo(), new RunReportRecorded(report.runId()));
    }
    List<Event> events = new ArrayList<>();
    if (report instanceof TypeDone done) {
      events.add(new TypeBackedUp(tenantId, state.account(), done.runId(), done.type(), done.counts(), done.graph(),
          done.deltaLink(), now()));
    } else if (report instanceof BackupFinished finished) {
      RunningBackup run = running.get();
      events.add(new BackupCompleted(tenantId, state.account(), run.runId(), run.counts(), run.graph(),
          finished.objectCounts(), now(), nextSlot(state)));
    } else if (report instanceof BackupRunFailed failed) {
      events.add(new BackupFailed(tenantId, state.account(), failed.runId(), failed.error(), now(),
          failed.authorizationLost() ? Optional.empty() : Optional.of(nextSlot(state))));
      if (failed.authorizationLost()) {
        events.add(new AuthorizationLost(tenantId, state.account(), failed.error(), now()));
      }
    }
    if (!(report instanceof TypeDone)) {
      restores.nextQueued(state).ifPresent(events::add);
    }
    return Effect().persist(events)
        .thenRun(updated -> spawnWorkOrArmSchedule((Registered) updated))
        .thenReply(report.replyTo(), updated -> new RunReportRecorded(report.runId()));
  }

  private BackupStarted backupStarted(Registered state, BackupTrigger trigger) {
    return new BackupStarted(tenantId, state.account(), newRunId(), trigger, BACKED_UP_TYPES, now());
  }

  private Instant nextSlot(Registered state) {
    Duration frequency = state.authorization().frequency().orElse(Duration.ofDays(1));
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
    var spec = new BackupRunSpec(tenantId, state.account(), state.authorization().entraTenantId().orElseThrow(), run.runId(),
        run.remaining(), state.backups().deltaLinks());
    context.spawn(runner.run(spec, context.getSelf()), name);
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

  /** Another account's tenant is indistinguishable from a missing one. */
  private ReplyEffect<Event, TenantState> owned(
      Registered state, OperatorCommand command, Supplier<ReplyEffect<Event, TenantState>> effect) {
    return state.ownedBy(command.account()) ? effect.get() : Effect().reply(command.replyTo(), new NotFound());
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
