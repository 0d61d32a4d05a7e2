package io.entrabackup.protocol.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.tenant.TenantCommands.GetTenant;
import io.entrabackup.protocol.tenant.TenantCommands.Register;
import io.entrabackup.protocol.tenant.TenantCommands.RegistrationAccepted;
import io.entrabackup.protocol.tenant.TenantCommands.RegistrationRejected;
import io.entrabackup.protocol.tenant.TenantCommands.TenantFound;
import io.entrabackup.protocol.tenant.TenantCommands.TenantNotFound;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every tenant command, reply and event crosses the wire as CBOR and comes back equal. */
class TenantProtocolSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SerializationTestKit serialization = new SerializationTestKit(testKit.system());

  private static final TenantId TENANT = TenantId.parse("3F2504E0-4F89-41D3-9A0C-0305E82C3301");
  private static final AccountId ACCOUNT = new AccountId("contoso-msp");
  private static final TenantView VIEW = new TenantView(TENANT, ACCOUNT, "Contoso", Optional.of("contoso.com"),
      TenantStatus.PENDING_AUTHORIZATION, Instant.parse("2026-11-28T10:15:30.123Z"));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyTenantMessageRoundTripsThroughCbor() {
    var registerReplies = testKit.<TenantCommands.RegisterReply>createTestProbe().ref();
    var getReplies = testKit.<TenantCommands.GetTenantReply>createTestProbe().ref();
    List<Object> messages = List.of(
        new Register(ACCOUNT, "Contoso", Optional.of("contoso.com"), registerReplies),
        new Register(ACCOUNT, "Contoso", Optional.empty(), registerReplies),
        new GetTenant(ACCOUNT, getReplies),
        new RegistrationAccepted(VIEW),
        new RegistrationRejected("tenant is already registered"),
        new TenantFound(VIEW),
        new TenantNotFound(),
        new TenantRegistered(TENANT, ACCOUNT, "Contoso", Optional.empty(), VIEW.registeredAt()));

    for (Object message : messages) {
      serialization.verifySerialization(message, true);
    }
  }

  @Test
  void everyTenantMessageUsesTheCborSerializer() {
    var serializer = SerializationExtension.get(testKit.system().classicSystem())
        .findSerializerFor(new TenantNotFound());
    assertEquals("JacksonCborSerializer", serializer.getClass().getSimpleName());
  }

  @Test
  void idsAreNormalisedAndValidated() {
    assertEquals("3f2504e0-4f89-41d3-9a0c-0305e82c3301", TENANT.value());
    assertThrows(IllegalArgumentException.class, () -> TenantId.parse("../etc/passwd"));
    assertThrows(IllegalArgumentException.class, () -> new AccountId("Has Spaces"));
  }
}
