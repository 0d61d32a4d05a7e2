package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.testing.MovableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The tenants-per-account limit against the real Cassandra, with two sessions racing as two nodes would. */
class TenantQuotaTest {

  @RegisterExtension
  static final TestKeyspace keyspace = TestKeyspace.withNodeSchema("tenant_quota");

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration GRACE = Duration.ofMinutes(10);
  private static final MovableClock clock = MovableClock.at(Instant.parse("2026-12-01T10:00:00Z"));

  private static ActorTestKit secondNode;
  private static CassandraSession secondSession;

  @BeforeAll
  static void twoNodes() {
    secondNode = ActorTestKit.create("TenantQuotaSecondNode", keyspace.config());
    secondSession = LocalCassandra.session(secondNode);
  }

  @AfterAll
  static void stopSecondNode() {
    secondNode.shutdownTestKit();
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }

  private static TenantQuota quota(CassandraSession session, int max) {
    return new TenantQuota(session, keyspace.keyspace(), clock, max, GRACE);
  }

  private static AccountId account() {
    return new AccountId("acct-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** A tenant as the projection lists it once registered. */
  private static void listed(AccountId account, TenantId tenant) {
    await(keyspace.session().executeWrite("INSERT INTO " + keyspace.keyspace() + ".tenants_by_account (account_id,"
        + " tenant_id, display_name, status) VALUES (?, ?, 'x', 'PENDING_AUTHORIZATION')", account.value(),
        tenant.value()));
  }

  @Test
  void anAccountGetsExactlyItsLimitOfTenantsAndTheNextIsRefusedNamingIt() {
    AccountId account = account();
    TenantQuota quota = quota(keyspace.session(), 3);
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(TenantQuota.Reserved.class, await(quota.reserve(account, TenantId.random())));
    }
    var full = assertInstanceOf(TenantQuota.Full.class, await(quota.reserve(account, TenantId.random())));
    assertTrue(full.refusal().contains("limit of 3 tenants"), full.refusal());
    assertInstanceOf(TenantQuota.Reserved.class, await(quota.reserve(account(), TenantId.random())),
        "another account has its own limit");
  }

  @Test
  void ofManyRegistrationsRacingOnTwoNodesOnlyTheLimitGetSlots() throws Exception {
    AccountId account = account();
    List<TenantQuota> nodes = List.of(quota(keyspace.session(), 5), quota(secondSession, 5));
    ExecutorService threads = Executors.newFixedThreadPool(12);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<TenantQuota.Reservation>> outcomes = new ArrayList<>();
    try {
      for (int i = 0; i < 12; i++) {
        TenantQuota node = nodes.get(i % 2);
        outcomes.add(threads.submit(() -> {
          start.await();
          return await(node.reserve(account, TenantId.random()));
        }));
      }
      start.countDown();
      long reserved = 0;
      for (var outcome : outcomes) {
        if (outcome.get() instanceof TenantQuota.Reserved) {
          reserved++;
        }
      }
      assertEquals(5, reserved);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aRefusedRegistrationGivesItsSlotBack() {
    AccountId account = account();
    TenantQuota quota = quota(keyspace.session(), 1);
    TenantId refused = TenantId.random();
    var slot = assertInstanceOf(TenantQuota.Reserved.class, await(quota.reserve(account, refused)));
    await(quota.release(account, refused, slot));
    assertInstanceOf(TenantQuota.Reserved.class, await(quota.reserve(account, TenantId.random())));
  }

  @Test
  void tenantsRegisteredBeforeSlotsExistedCountAgainstTheLimit() {
    AccountId account = account();
    listed(account, TenantId.random());
    listed(account, TenantId.random());
    TenantQuota quota = quota(keyspace.session(), 3);
    assertInstanceOf(TenantQuota.Reserved.class, await(quota.reserve(account, TenantId.random())));
    assertInstanceOf(TenantQuota.Full.class, await(quota.reserve(account, TenantId.random())));
  }

  @Test
  void aSlotWhoseTenantNeverAppearedIsReusedAfterTheGraceButARegisteredOneNever() {
    AccountId account = account();
    TenantQuota quota = quota(keyspace.session(), 2);
    TenantId registered = TenantId.random();
    await(quota.reserve(account, registered));
    listed(account, registered);
    await(quota.reserve(account, TenantId.random()));
    assertInstanceOf(TenantQuota.Full.class, await(quota.reserve(account, TenantId.random())),
        "within the grace a registration may still be under way");

    clock.advance(GRACE.plusMinutes(1));
    assertInstanceOf(TenantQuota.Reserved.class, await(quota.reserve(account, TenantId.random())));
    assertInstanceOf(TenantQuota.Full.class, await(quota.reserve(account, TenantId.random())));
  }
}
