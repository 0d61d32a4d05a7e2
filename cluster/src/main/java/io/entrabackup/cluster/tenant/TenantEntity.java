package io.entrabackup.cluster.tenant;

import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.cluster.tenant.TenantState.Unregistered;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenant;
import io.entrabackup.protocol.tenant.TenantCommands.Register;
import io.entrabackup.protocol.tenant.TenantCommands.RegistrationAccepted;
import io.entrabackup.protocol.tenant.TenantCommands.RegistrationRejected;
import io.entrabackup.protocol.tenant.TenantCommands.TenantFound;
import io.entrabackup.protocol.tenant.TenantCommands.TenantNotFound;
import io.entrabackup.protocol.tenant.TenantEvents;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantRegistration;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
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
        .onCommand(GetTenant.class, this::onGetUnregistered);
    builder
        .forStateType(Registered.class)
        .onCommand(Register.class, this::onRegisterAgain)
        .onCommand(GetTenant.class, this::onGet);
    return builder.build();
  }

  private ReplyEffect<Event, TenantState> onRegister(Unregistered state, Register command) {
    Optional<String> problem =
        TenantRegistration.displayNameProblem(command.displayName())
            .or(() -> TenantRegistration.entraTenantProblem(command.entraTenant()));
    if (problem.isPresent()) {
      return Effect().reply(command.replyTo(), new RegistrationRejected(problem.get()));
    }
    var event =
        new TenantRegistered(
            tenantId,
            command.account(),
            command.displayName().strip(),
            command.entraTenant().map(String::strip),
            // Cassandra keeps milliseconds; truncating here makes state and read model agree exactly.
            clock.instant().truncatedTo(ChronoUnit.MILLIS));
    return Effect()
        .persist(event)
        .thenReply(command.replyTo(), registered -> new RegistrationAccepted(((Registered) registered).view()));
  }

  private ReplyEffect<Event, TenantState> onRegisterAgain(Registered state, Register command) {
    return Effect()
        .reply(command.replyTo(), new RegistrationRejected("tenant " + tenantId + " is already registered"));
  }

  private ReplyEffect<Event, TenantState> onGetUnregistered(Unregistered state, GetTenant command) {
    return Effect().reply(command.replyTo(), new TenantNotFound());
  }

  private ReplyEffect<Event, TenantState> onGet(Registered state, GetTenant command) {
    if (!state.ownedBy(command.account())) {
      // Another account's tenant is indistinguishable from a missing one.
      return Effect().reply(command.replyTo(), new TenantNotFound());
    }
    return Effect().reply(command.replyTo(), new TenantFound(state.view()));
  }

  @Override
  public EventHandler<TenantState, Event> eventHandler() {
    var builder = newEventHandlerBuilder();
    builder.forStateType(Unregistered.class).onEvent(TenantRegistered.class, Unregistered::apply);
    return builder.build();
  }
}
