package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.cluster.tenant.TenantState.Unregistered;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.BackupFrequency;
import io.entrabackup.protocol.tenant.TenantCommands.CheckConsentState;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.CompleteConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Current;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenant;
import io.entrabackup.protocol.tenant.TenantCommands.MarkAuthorizationLost;
import io.entrabackup.protocol.tenant.TenantCommands.NotFound;
import io.entrabackup.protocol.tenant.TenantCommands.RefuseConsent;
import io.entrabackup.protocol.tenant.TenantCommands.Register;
import io.entrabackup.protocol.tenant.TenantCommands.Rejected;
import io.entrabackup.protocol.tenant.TenantCommands.RequestConsent;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationRefused;
import io.entrabackup.protocol.tenant.TenantEvents.ConsentRequested;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantRegistration;
import io.entrabackup.protocol.tenant.TenantStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * One tenant under backup, sharded by our tenant id and event-sourced in Cassandra. It alone decides
 * what happens to its tenant, so nothing about one tenant ever runs twice across the cluster.
 */
public final class TenantEntity
    extends EventSourcedBehaviorWithEnforcedReplies<Command, Event, TenantState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Tenant");

  private static final String STALE_CONSENT =
      "This consent link was already used, replaced by a newer Activate Backup, or has expired;"
          + " press Activate Backup again for a new one.";

  private final TenantId tenantId;
  private final Clock clock;

  /** Registers the entity with Cluster Sharding on this node. */
  public static void init(ActorSystem<?> system, Clock clock) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_TYPE_KEY, context -> create(TenantId.parse(context.getEntityId()), clock)));
  }

  public static Behavior<Command> create(TenantId tenantId, Clock clock) {
    return new TenantEntity(tenantId, clock);
  }

  private TenantEntity(TenantId tenantId, Clock clock) {
    super(
        PersistenceId.of(ENTITY_TYPE_KEY.name(), tenantId.value()),
        // Cassandra hiccups must not kill a tenant for good: restart, spaced out.
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.tenantId = tenantId;
    this.clock = clock;
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
  public CommandHandlerWithReply<Command, Event, TenantState> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forStateType(Unregistered.class)
        .onCommand(Register.class, this::onRegister)
        .onAnyCommand((state, command) -> Effect().reply(command.replyTo(), new NotFound()));
    builder
        .forStateType(Registered.class)
        .onCommand(Register.class, this::onRegisterAgain)
        .onCommand(GetTenant.class, (state, command) -> owned(state, command.account(), command,
            () -> Effect().reply(command.replyTo(), new Current(state.view()))))
        .onCommand(RequestConsent.class, this::onRequestConsent)
        .onCommand(CheckConsentState.class, this::onCheckConsentState)
        .onCommand(CompleteConsent.class, this::onCompleteConsent)
        .onCommand(RefuseConsent.class, this::onRefuseConsent)
        .onCommand(MarkAuthorizationLost.class, this::onAuthorizationLost);
    return builder.build();
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
    return persistAndShow(event, command);
  }

  private ReplyEffect<Event, TenantState> onRegisterAgain(Registered state, Register command) {
    return Effect().reply(command.replyTo(), new Rejected("tenant " + tenantId + " is already registered"));
  }

  private ReplyEffect<Event, TenantState> onRequestConsent(Registered state, RequestConsent command) {
    return owned(state, command.account(), command, () -> {
      if (!BackupFrequency.OFFERED.contains(command.frequency())) {
        return Effect().reply(command.replyTo(), new Rejected("frequency " + command.frequency() + " is not offered"));
      }
      return persistAndShow(new ConsentRequested(tenantId, command.nonce(), command.immediateBackup(),
          command.frequency(), now(), command.expiresAt()), command);
    });
  }

  private ReplyEffect<Event, TenantState> onCheckConsentState(Registered state, CheckConsentState command) {
    return owned(state, command.account(), command, () -> pendingConsentMatches(state, command.nonce())
        ? Effect().reply(command.replyTo(), new Current(state.view()))
        : Effect().reply(command.replyTo(), new Rejected(STALE_CONSENT)));
  }

  private ReplyEffect<Event, TenantState> onCompleteConsent(Registered state, CompleteConsent command) {
    return owned(state, command.account(), command, () -> {
      if (!pendingConsentMatches(state, command.nonce())) {
        return Effect().reply(command.replyTo(), new Rejected(STALE_CONSENT));
      }
      Optional<String> mismatch = EntraTenantMatch.mismatch(state.entraTenant(), command);
      if (mismatch.isPresent()) {
        return Effect().reply(command.replyTo(), new Rejected(mismatch.get()));
      }
      var consent = state.pendingConsent().orElseThrow();
      Instant now = now();
      Instant nextBackup = consent.immediateBackup()
          ? now
          : BackupSchedule.nextSlot(tenantId, consent.frequency(), now);
      return persistAndShow(new TenantAuthorized(tenantId, state.account(), command.entraTenantId(), command.organizationName(),
          command.verifiedDomains(), consent.frequency(), consent.immediateBackup(), now, nextBackup), command);
    });
  }

  private ReplyEffect<Event, TenantState> onRefuseConsent(Registered state, RefuseConsent command) {
    return owned(state, command.account(), command, () -> pendingConsentMatches(state, command.nonce())
        ? persistAndShow(new AuthorizationRefused(tenantId, state.account(), command.error(), command.description(), now()), command)
        : Effect().reply(command.replyTo(), new Rejected(STALE_CONSENT)));
  }

  private ReplyEffect<Event, TenantState> onAuthorizationLost(Registered state, MarkAuthorizationLost command) {
    return owned(state, command.account(), command, () -> state.status() == TenantStatus.AUTHORIZED
        ? persistAndShow(new AuthorizationLost(tenantId, state.account(), command.reason(), now()), command)
        // Already not authorized: nothing new to record.
        : Effect().reply(command.replyTo(), new Current(state.view())));
  }

  private boolean pendingConsentMatches(Registered state, String nonce) {
    return state.pendingConsent().filter(pending -> pending.matches(nonce, clock.instant())).isPresent();
  }

  /** Another account's tenant is indistinguishable from a missing one. */
  private ReplyEffect<Event, TenantState> owned(
      Registered state, AccountId account, Command command, Supplier<ReplyEffect<Event, TenantState>> effect) {
    return state.ownedBy(account) ? effect.get() : Effect().reply(command.replyTo(), new NotFound());
  }

  private ReplyEffect<Event, TenantState> persistAndShow(Event event, Command command) {
    return Effect().persist(event).thenReply(command.replyTo(), updated -> new Current(((Registered) updated).view()));
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
        .onEvent(ConsentRequested.class, Registered::apply)
        .onEvent(TenantAuthorized.class, Registered::apply)
        .onEvent(AuthorizationRefused.class, Registered::apply)
        .onEvent(AuthorizationLost.class, Registered::apply);
    return builder.build();
  }
}
