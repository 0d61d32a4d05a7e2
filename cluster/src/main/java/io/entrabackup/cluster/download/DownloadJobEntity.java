package io.entrabackup.cluster.download;

import io.entrabackup.cluster.download.DownloadJobState.AwaitingApproval;
import io.entrabackup.cluster.download.DownloadJobState.Building;
import io.entrabackup.cluster.download.DownloadJobState.Closed;
import io.entrabackup.cluster.download.DownloadJobState.Failed;
import io.entrabackup.cluster.download.DownloadJobState.New;
import io.entrabackup.cluster.download.DownloadJobState.Published;
import io.entrabackup.cluster.download.DownloadStore.PublishedFile;
import io.entrabackup.protocol.approval.ApprovalOutcome;
import io.entrabackup.protocol.download.DownloadCommands;
import io.entrabackup.protocol.download.DownloadCommands.Accepted;
import io.entrabackup.protocol.download.DownloadCommands.Command;
import io.entrabackup.protocol.download.DownloadCommands.DecideApproval;
import io.entrabackup.protocol.download.DownloadCommands.StartAwaitingApproval;
import io.entrabackup.protocol.download.DownloadInternal.ApprovalDue;
import io.entrabackup.protocol.download.DownloadEvents.DownloadApprovalDecided;
import io.entrabackup.protocol.download.DownloadEvents.DownloadApprovalRequested;
import io.entrabackup.protocol.download.DownloadCommands.Rejected;
import io.entrabackup.protocol.download.DownloadCommands.Reply;
import io.entrabackup.protocol.download.DownloadCommands.Start;
import io.entrabackup.protocol.download.DownloadInternal.BuildFailed;
import io.entrabackup.protocol.download.DownloadInternal.BuildReport;
import io.entrabackup.protocol.download.DownloadInternal.BuildSucceeded;
import io.entrabackup.protocol.download.DownloadInternal.Resume;
import io.entrabackup.protocol.download.DownloadInternal.RetryDue;
import io.entrabackup.protocol.download.DownloadInternal.RowsSynced;
import io.entrabackup.protocol.download.DownloadInternal.SyncRows;
import io.entrabackup.protocol.download.DownloadInternal.Wake;
import io.entrabackup.protocol.download.DownloadEvents.BuildStarted;
import io.entrabackup.protocol.download.DownloadEvents.DownloadFailed;
import io.entrabackup.protocol.download.DownloadEvents.DownloadPublished;
import io.entrabackup.protocol.download.DownloadEvents.DownloadRequested;
import io.entrabackup.protocol.download.DownloadEvents.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
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
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One download job, sharded and event-sourced by job id. Not a child of the tenant: a download only
 * reads immutable snapshots, so it needs no ordering with backups and stays off the tenant's journal.
 * Sharding remembers it while it builds, so a node lost mid-build has the job resumed on another node
 * with a new attempt; after {@code max-attempts} it fails with the reason, never left "running". Once
 * published or failed, its rows written, it passivates and is forgotten.
 */
public final class DownloadJobEntity
    extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, DownloadJobState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "DownloadJob");

  private static final String RETRY_TIMER = "retry";
  private static final String SYNC_TIMER = "sync";
  /** Pause before writing the read-side rows again after Cassandra refused them. */
  private static final Duration SYNC_RETRY = Duration.ofSeconds(2);

  private final String jobId;
  private final Collaborators deps;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;
  private final DownloadApprovals approvals;

  /** What a job entity works with. */
  public record Collaborators(DownloadBuilder builder, DownloadStore store, DownloadJobRows rows,
      DownloadSettings settings, Clock clock) {}

  public static void init(ActorSystem<?> system, Collaborators deps) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY,
        entity -> create(entity.getEntityId(), deps, Optional.of(entity.getShard()))));
  }

  public static Behavior<Command> create(String jobId, Collaborators deps) {
    return create(jobId, deps, Optional.empty());
  }

  private static Behavior<Command> create(String jobId, Collaborators deps,
      Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new DownloadJobEntity(jobId, deps, context, timers, shard)));
  }

  private DownloadJobEntity(String jobId, Collaborators deps, ActorContext<Command> context,
      TimerScheduler<Command> timers, Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), jobId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.jobId = jobId;
    this.deps = deps;
    this.context = context;
    this.timers = timers;
    this.shard = shard;
    this.approvals = new DownloadApprovals(jobId, context.getSelf(), timers, Effect(), deps.clock(), this::spawnBuild,
        request -> deps.rows().approvalExpired(request, deps.clock().instant()));
  }

  @Override
  public DownloadJobState emptyState() {
    return new New();
  }

  @Override
  public SignalHandler<DownloadJobState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      if (!(state instanceof New)) {
        context.getSelf().tell(new Resume());
      }
    }).build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, DownloadJobState> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder.forStateType(New.class)
        .onCommand(Start.class, this::onStart)
        .onCommand(StartAwaitingApproval.class, approvals::onStart)
        .onCommand(DecideApproval.class, (state, command) -> onUnknownJobDecided(command))
        .onAnyCommand(this::onUnknownJob);
    builder.forStateType(AwaitingApproval.class)
        .onCommand(StartAwaitingApproval.class, approvals::onStartAgain)
        .onCommand(DecideApproval.class, approvals::onDecide)
        .onCommand(ApprovalDue.class, approvals::onDue)
        .onCommand(Resume.class, (state, command) -> {
          approvals.arm(state);
          return syncRows(Optional.empty());
        })
        .onCommand(SyncRows.class, (state, sync) -> onSyncRows(sync, writeRows(state)))
        .onCommand(RowsSynced.class, (state, synced) -> onRowsSynced(synced));
    builder.forStateType(Closed.class)
        .onCommand(SyncRows.class, (state, sync) -> onSyncRows(sync, writeRows(state)))
        .onCommand(RowsSynced.class, (state, synced) -> onFinishedRowsSynced(synced));
    builder.forStateType(Building.class)
        .onCommand(Start.class, (state, command) -> onStartAgain(state.job(), command))
        .onCommand(BuildSucceeded.class, this::onBuildSucceeded)
        .onCommand(BuildFailed.class, this::onBuildFailed)
        .onCommand(RetryDue.class, this::onRetryDue)
        .onCommand(Resume.class, this::onResumeBuilding)
        .onCommand(SyncRows.class, (state, sync) -> onSyncRows(sync, writeRows(state)))
        .onCommand(RowsSynced.class, (state, synced) -> onRowsSynced(synced));
    builder.forStateType(Published.class)
        .onCommand(Start.class, (state, command) -> onStartAgain(state.job(), command))
        .onCommand(SyncRows.class, (state, sync) -> onSyncRows(sync, writeRows(state)))
        .onCommand(RowsSynced.class, (state, synced) -> onFinishedRowsSynced(synced));
    builder.forStateType(Failed.class)
        .onCommand(Start.class, (state, command) -> onStartAgain(state.job(), command))
        .onCommand(SyncRows.class, (state, sync) -> onSyncRows(sync, writeRows(state)))
        .onCommand(RowsSynced.class, (state, synced) -> onFinishedRowsSynced(synced));
    builder.forAnyState()
        .onCommand(Resume.class, (state, command) -> syncRows(Optional.empty()))
        .onCommand(Wake.class, (state, wake) -> Effect().noReply())
        .onCommand(BuildReport.class, (state, report) -> Effect().noReply())
        .onCommand(RetryDue.class, (state, retry) -> Effect().noReply())
        .onCommand(ApprovalDue.class, (state, due) -> Effect().noReply())
        .onCommand(DecideApproval.class, (state, command) -> approvals.onDecideNotAwaiting(command))
        .onCommand(StartAwaitingApproval.class, (state, command) -> Effect().reply(command.replyTo(),
            new Rejected("job " + jobId + " exists already")));
    return builder.build();
  }

  // ------------------------------------------------------------------------------------- commands

  private ReplyEffect<Event, DownloadJobState> onStart(New state, Start command) {
    Instant now = deps.clock().instant();
    var requested = new DownloadRequested(jobId, command.account(), command.tenant(), command.spec(), now,
        command.requestId());
    return Effect().persist(List.of(requested, new BuildStarted(jobId, command.account(), 1, now)))
        .thenRun(started -> spawnBuild((Building) started))
        .thenRun(started -> context.getSelf().tell(new SyncRows(Optional.of(command.replyTo()))))
        .thenNoReply();
  }

  /** A repeated Start (a client retry) answers the same job; another account gets nothing from it. */
  private ReplyEffect<Event, DownloadJobState> onStartAgain(DownloadRequested job, Start command) {
    return job.account().equals(command.account())
        ? Effect().reply(command.replyTo(), new Accepted(jobId))
        : Effect().reply(command.replyTo(), new Rejected("job " + jobId + " belongs to another account"));
  }

  /** Approve or reject of a job never asked for: answered (the asker waits for one), then forgotten. */
  private ReplyEffect<Event, DownloadJobState> onUnknownJobDecided(DecideApproval command) {
    passivate();
    return Effect().reply(command.replyTo(), new DownloadCommands.ApprovalAnswer(new ApprovalOutcome.NotFound(jobId)));
  }

  private ReplyEffect<Event, DownloadJobState> onUnknownJob(New state, Command command) {
    passivate();
    return Effect().noReply();
  }

  private ReplyEffect<Event, DownloadJobState> onBuildSucceeded(Building state, BuildSucceeded report) {
    if (report.attempt() != state.attempt()) {
      return Effect().noReply();
    }
    Instant now = deps.clock().instant();
    var published = new DownloadPublished(jobId, state.job().account(), report.file(), now,
        now.plus(deps.settings().linkValidity()));
    return Effect().persist(published).thenRun(done -> context.getSelf().tell(new SyncRows(Optional.empty())))
        .thenNoReply();
  }

  private ReplyEffect<Event, DownloadJobState> onBuildFailed(Building state, BuildFailed report) {
    if (report.attempt() != state.attempt()) {
      return Effect().noReply();
    }
    if (report.retriable() && state.attempt() < deps.settings().maxAttempts()) {
      timers.startSingleTimer(RETRY_TIMER, new RetryDue(state.attempt() + 1), deps.settings().retryBackoff());
      return Effect().noReply();
    }
    String reason = report.retriable()
        ? report.reason() + " (after " + state.attempt() + " attempts)"
        : report.reason();
    return fail(state, reason);
  }

  private ReplyEffect<Event, DownloadJobState> onRetryDue(Building state, RetryDue retry) {
    if (retry.attempt() != state.attempt() + 1) {
      return Effect().noReply();
    }
    return Effect().persist(new BuildStarted(jobId, state.job().account(), retry.attempt(), deps.clock().instant()))
        .thenRun(started -> spawnBuild((Building) started))
        .thenNoReply();
  }

  /** After a restart, rebalance or node loss: the interrupted attempt counts; go on or give up. */
  private ReplyEffect<Event, DownloadJobState> onResumeBuilding(Building state, Resume command) {
    if (state.attempt() >= deps.settings().maxAttempts()) {
      return fail(state, "the build was interrupted " + state.attempt()
          + " times (node restarts or losses) and was given up");
    }
    return Effect().persist(new BuildStarted(jobId, state.job().account(), state.attempt() + 1, deps.clock().instant()))
        .thenRun(started -> spawnBuild((Building) started))
        .thenRun(started -> context.getSelf().tell(new SyncRows(Optional.empty())))
        .thenNoReply();
  }

  private ReplyEffect<Event, DownloadJobState> fail(Building state, String reason) {
    return Effect().persist(new DownloadFailed(jobId, state.job().account(), reason, deps.clock().instant()))
        .thenRun(done -> context.getSelf().tell(new SyncRows(Optional.empty())))
        .thenNoReply();
  }

  // ---------------------------------------------------------------------------- read-side rows

  private ReplyEffect<Event, DownloadJobState> syncRows(Optional<ActorRef<Reply>> replyTo) {
    context.getSelf().tell(new SyncRows(replyTo));
    return Effect().noReply();
  }

  private ReplyEffect<Event, DownloadJobState> onSyncRows(SyncRows command, CompletionStage<Done> rows) {
    context.pipeToSelf(rows, (done, error) -> new RowsSynced(command.replyTo(),
        Optional.ofNullable(error).map(Throwable::toString)));
    return Effect().noReply();
  }

  // Each state's rows, idempotent: the job's description and its System Status row.

  private CompletionStage<Done> writeRows(Building building) {
    CompletionStage<Done> approval = building.approval()
        .map(found -> deps.rows().awaiting(found.request()).thenCompose(done -> deps.rows().decided(found.decision())))
        .orElseGet(() -> CompletableFuture.completedFuture(Done.getInstance()));
    return approval.thenCompose(done -> deps.store().recordJob(building.job()))
        .thenCompose(done -> deps.rows().running(building.job()));
  }

  /** Four-eyes: the job's description (what it will hold once approved) and its awaiting_approval row. */
  private CompletionStage<Done> writeRows(AwaitingApproval awaiting) {
    return deps.store().recordJob(awaiting.asRequested())
        .thenCompose(done -> deps.rows().awaiting(awaiting.request()));
  }

  private CompletionStage<Done> writeRows(Closed closed) {
    return deps.store().recordJob(new AwaitingApproval(closed.request(), Optional.empty()).asRequested())
        .thenCompose(done -> deps.rows().closed(closed.request(), closed.decision()));
  }

  /** Once published, the file row first (what links serve) and the "completed" row after it. */
  private CompletionStage<Done> writeRows(Published published) {
    var file = new PublishedFile(jobId, published.job().account(), published.file(),
        DownloadBuilder.fileName(published.job()), published.publication().publishedAt(), published.expiresAt());
    Duration ttl = Duration.between(deps.clock().instant(), published.expiresAt())
        .plus(deps.settings().storageGrace());
    return deps.store().recordJob(published.job())
        .thenCompose(done -> deps.store().publish(file, ttl))
        .thenCompose(done -> deps.rows().published(published.publication()));
  }

  private CompletionStage<Done> writeRows(Failed failed) {
    return deps.store().recordJob(failed.job()).thenCompose(done -> deps.rows().failed(failed.failure()));
  }

  private ReplyEffect<Event, DownloadJobState> onRowsSynced(RowsSynced synced) {
    if (synced.error().isPresent()) {
      timers.startSingleTimer(SYNC_TIMER, new SyncRows(synced.replyTo()), SYNC_RETRY);
      return Effect().noReply();
    }
    synced.replyTo().ifPresent(replyTo -> replyTo.tell(new Accepted(jobId)));
    return Effect().noReply();
  }

  /** A finished job whose rows are written is done: it passivates (and is forgotten by remembered entities). */
  private ReplyEffect<Event, DownloadJobState> onFinishedRowsSynced(RowsSynced synced) {
    ReplyEffect<Event, DownloadJobState> effect = onRowsSynced(synced);
    if (synced.error().isEmpty()) {
      passivate();
    }
    return effect;
  }

  // -------------------------------------------------------------------------------------- helpers

  private void spawnBuild(Building state) {
    context.spawn(DownloadBuild.create(deps.builder(), state.job(), state.attempt(), context.getSelf()),
        "build-" + state.attempt());
  }

  /** Stops the entity; remembered entities forget it, so a finished job is not restarted with its shard. */
  private void passivate() {
    shard.ifPresent(ref -> ref.tell(new ClusterSharding.Passivate<>(context.getSelf())));
  }

  @Override
  public EventHandler<DownloadJobState, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forStateType(New.class)
        .onEvent(DownloadRequested.class, New::requested)
        .onEvent(DownloadApprovalRequested.class, New::awaiting);
    builder.forStateType(AwaitingApproval.class)
        .onEvent(DownloadApprovalDecided.class, AwaitingApproval::decided)
        .onEvent(DownloadRequested.class, AwaitingApproval::requested);
    builder.forStateType(Building.class)
        .onEvent(BuildStarted.class, Building::started)
        .onEvent(DownloadPublished.class, Building::published)
        .onEvent(DownloadFailed.class, Building::failed);
    // A finished job takes no further step; an event out of its place changes nothing (as it never did).
    builder.forAnyState()
        .onAnyEvent((state, event) -> state);
    return builder.build();
  }
}
