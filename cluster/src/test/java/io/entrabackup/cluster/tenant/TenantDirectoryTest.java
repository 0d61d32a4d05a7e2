package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.TenantQuery;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantStatus;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** tenants_by_account against the real local Cassandra: writes landing in any order end as the events say. */
class TenantDirectoryTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.withNodeSchema("tenantdir");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.000123Z");
  private static TenantDirectory directory;

  @BeforeAll
  static void openDirectory() {
    directory = new TenantDirectory(cassandra.session(), cassandra.keyspace());
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }

  private static TenantView only(AccountId account) {
    List<TenantView> tenants = await(directory.list(account, TenantQuery.byId(Optional.empty(), 10))).items();
    assertEquals(1, tenants.size());
    return tenants.get(0);
  }

  private static TenantRegistered registered(AccountId account, TenantId tenant) {
    return new TenantRegistered(tenant, account, "Contoso", Optional.empty(), T0);
  }

  private static TenantAuthorized authorized(AccountId account, TenantId tenant, Instant at) {
    return new TenantAuthorized(tenant, account, UUID.randomUUID().toString(), "Contoso Ltd", List.of("contoso.com"),
        Duration.ofHours(24), false, at, at.plusSeconds(3600));
  }

  @Test
  void aRegisteredTenantIsPendingUntilItsConsent() {
    AccountId account = new AccountId("acct-" + UUID.randomUUID());
    TenantId tenant = TenantId.random();
    await(directory.record(registered(account, tenant)));
    TenantView view = only(account);
    assertEquals(TenantStatus.PENDING_AUTHORIZATION, view.status());
    assertEquals(T0.truncatedTo(ChronoUnit.MILLIS), view.registeredAt(), "Cassandra keeps ms");
    assertEquals("Contoso", view.displayName());
  }

  @Test
  void theRegistrationWrittenAgainAfterTheConsentLeavesTheTenantAuthorized() {
    AccountId account = new AccountId("acct-" + UUID.randomUUID());
    TenantId tenant = TenantId.random();
    await(directory.record(registered(account, tenant)));
    await(directory.record(authorized(account, tenant, T0.plusSeconds(30))));
    // The projection repeats the registration (after the API wrote it, or replaying from an older offset).
    await(directory.record(registered(account, tenant)));
    assertEquals(TenantStatus.AUTHORIZED, only(account).status());
  }

  @Test
  void anOlderEventWrittenLateNeverUndoesANewerOne() {
    AccountId account = new AccountId("acct-" + UUID.randomUUID());
    TenantId tenant = TenantId.random();
    await(directory.record(registered(account, tenant)));
    await(directory.record(new AuthorizationLost(tenant, account, "consent revoked", T0.plusSeconds(60))));
    await(directory.record(authorized(account, tenant, T0.plusSeconds(30))));

    TenantView view = only(account);
    assertEquals(TenantStatus.AUTHORIZATION_LOST, view.status());
    assertEquals(Optional.of("consent revoked"), view.statusReason());
    assertEquals(Optional.empty(), view.nextBackupAt());
  }

  @Test
  void writeTimesAreTheEventsTimeInMicroseconds() {
    assertEquals(1_796_119_200_000_123L, TenantDirectory.writeTime(T0));
  }
}
