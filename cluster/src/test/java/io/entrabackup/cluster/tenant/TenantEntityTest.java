package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.tenant.TenantState.Registered;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.TenantCommands.Command;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenant;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenantReply;
import io.entrabackup.protocol.tenant.TenantCommands.Register;
import io.entrabackup.protocol.tenant.TenantCommands.RegisterReply;
import io.entrabackup.protocol.tenant.TenantCommands.RegistrationAccepted;
import io.entrabackup.protocol.tenant.TenantCommands.RegistrationRejected;
import io.entrabackup.protocol.tenant.TenantCommands.TenantFound;
import io.entrabackup.protocol.tenant.TenantCommands.TenantNotFound;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TenantEntityTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config());

  private static final TenantId TENANT = TenantId.parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
  private static final AccountId ACCOUNT = new AccountId("contoso-msp");
  private static final Instant NOW = Instant.parse("2026-11-28T10:15:30.123Z");

  // Serialization of every command, event, reply and state is verified by the test kit itself.
  private final EventSourcedBehaviorTestKit<Command, Event, TenantState> entity =
      EventSourcedBehaviorTestKit.create(
          testKit.system(), TenantEntity.create(TENANT, Clock.fixed(NOW, ZoneOffset.UTC)));

  @BeforeEach
  void clear() {
    entity.clear();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void registeringRecordsTheTenantPendingAuthorization() {
    CommandResultWithReply<Command, Event, TenantState, RegisterReply> result =
        entity.<RegisterReply>runCommand(replyTo -> new Register(ACCOUNT, "  Contoso Ltd ", Optional.of("contoso.onmicrosoft.com"), replyTo));

    TenantRegistered event = result.eventOfType(TenantRegistered.class);
    assertEquals(TENANT, event.tenantId());
    assertEquals(ACCOUNT, event.account());
    assertEquals("Contoso Ltd", event.displayName());
    assertEquals(Optional.of("contoso.onmicrosoft.com"), event.entraTenant());
    assertEquals(NOW, event.registeredAt());

    var accepted = assertInstanceOf(RegistrationAccepted.class, result.reply());
    assertEquals(TenantStatus.PENDING_AUTHORIZATION, accepted.tenant().status());
    assertEquals("Contoso Ltd", accepted.tenant().displayName());
    assertEquals(ACCOUNT, result.stateOfType(Registered.class).account());
  }

  @Test
  void theOwningAccountReadsTheTenantBack() {
    entity.<RegisterReply>runCommand(replyTo -> new Register(ACCOUNT, "Contoso", Optional.empty(), replyTo));

    CommandResultWithReply<Command, Event, TenantState, GetTenantReply> result =
        entity.<GetTenantReply>runCommand(replyTo -> new GetTenant(ACCOUNT, replyTo));

    var found = assertInstanceOf(TenantFound.class, result.reply());
    assertEquals(TENANT, found.tenant().id());
    assertEquals("Contoso", found.tenant().displayName());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void anotherAccountCannotTellTheTenantExists() {
    entity.<RegisterReply>runCommand(replyTo -> new Register(ACCOUNT, "Contoso", Optional.empty(), replyTo));

    var result = entity.<GetTenantReply>runCommand(replyTo -> new GetTenant(new AccountId("fabrikam-msp"), replyTo));

    assertInstanceOf(TenantNotFound.class, result.reply());
  }

  @Test
  void anUnregisteredTenantIsNotFound() {
    var result = entity.<GetTenantReply>runCommand(replyTo -> new GetTenant(ACCOUNT, replyTo));

    assertInstanceOf(TenantNotFound.class, result.reply());
    assertInstanceOf(TenantState.Unregistered.class, result.state());
  }

  @Test
  void aBlankNameIsRejectedAndNothingIsPersisted() {
    var result = entity.<RegisterReply>runCommand(replyTo -> new Register(ACCOUNT, "   ", Optional.empty(), replyTo));

    var rejected = assertInstanceOf(RegistrationRejected.class, result.reply());
    assertTrue(rejected.reason().contains("displayName"), rejected.reason());
    assertTrue(result.hasNoEvents());
    assertInstanceOf(TenantState.Unregistered.class, result.state());
  }

  @Test
  void aMalformedEntraTenantIsRejected() {
    var result =
        entity.<RegisterReply>runCommand(replyTo -> new Register(ACCOUNT, "Contoso", Optional.of("not a domain"), replyTo));

    var rejected = assertInstanceOf(RegistrationRejected.class, result.reply());
    assertTrue(rejected.reason().contains("entraTenant"), rejected.reason());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void registeringTwiceIsRejectedAndKeepsTheFirstRegistration() {
    entity.<RegisterReply>runCommand(replyTo -> new Register(ACCOUNT, "Contoso", Optional.empty(), replyTo));

    var result = entity.<RegisterReply>runCommand(replyTo -> new Register(ACCOUNT, "Other name", Optional.empty(), replyTo));

    assertInstanceOf(RegistrationRejected.class, result.reply());
    assertTrue(result.hasNoEvents());
    assertEquals("Contoso", result.stateOfType(Registered.class).displayName());
  }

  @Test
  void theTenantRecoversItsRegistrationFromItsEvents() {
    entity.<RegisterReply>runCommand(replyTo -> new Register(ACCOUNT, "Contoso", Optional.of("contoso.com"), replyTo));

    var restarted = entity.restart();

    Registered state = (Registered) restarted.state();
    assertEquals("Contoso", state.displayName());
    assertEquals(Optional.of("contoso.com"), state.entraTenant());
    assertEquals(NOW, state.registeredAt());
  }
}
