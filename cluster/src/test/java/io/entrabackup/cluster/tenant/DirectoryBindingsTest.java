package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/** The install-wide directory index against the real Cassandra, with two sessions racing as two nodes would. */
class DirectoryBindingsTest {

  @RegisterExtension
  static final TestKeyspace keyspace = TestKeyspace.withNodeSchema("directory_bindings");

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final AccountId ACCOUNT_A = new AccountId("contoso-msp");
  private static final AccountId ACCOUNT_B = new AccountId("fabrikam-msp");

  /** A second node: its own actor system and Cassandra session on the same keyspace. */
  private static ActorTestKit secondNode;
  private static DirectoryBindings nodeOne;
  private static DirectoryBindings nodeTwo;

  @BeforeAll
  static void twoNodes() {
    secondNode = ActorTestKit.create("DirectoryBindingsSecondNode", keyspace.config());
    CassandraSession secondSession = LocalCassandra.session(secondNode);
    nodeOne = new DirectoryBindings(keyspace.session(), keyspace.keyspace(), Clock.systemUTC());
    nodeTwo = new DirectoryBindings(secondSession, keyspace.keyspace(), Clock.systemUTC());
  }

  @AfterAll
  static void stopSecondNode() {
    secondNode.shutdownTestKit();
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }

  private static String directory() {
    return java.util.UUID.randomUUID().toString();
  }

  @Test
  void ofTwentyRacingClaimsByTwoAccountsExactlyOneWins() throws Exception {
    String directory = directory();
    List<TenantId> tenants = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tenants.add(TenantId.random());
    }
    ExecutorService threads = Executors.newFixedThreadPool(20);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<DirectoryBindings.Claim>> claims = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        int n = i;
        claims.add(threads.submit(() -> {
          start.await();
          DirectoryBindings node = n % 2 == 0 ? nodeOne : nodeTwo;
          // Upper case on one node: the index compares directory ids case-insensitively.
          String id = n % 2 == 0 ? directory : directory.toUpperCase();
          return await(node.claim(id, tenants.get(n), n % 2 == 0 ? ACCOUNT_A : ACCOUNT_B));
        }));
      }
      start.countDown();
      List<Integer> winners = new ArrayList<>();
      List<DirectoryBindings.Claim> results = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        DirectoryBindings.Claim claim = claims.get(i).get();
        results.add(claim);
        if (claim instanceof DirectoryBindings.Bound bound && bound.fresh()) {
          winners.add(i);
        }
      }
      assertEquals(1, winners.size(), "winners: " + winners + " of " + results);
      int winner = winners.get(0);
      TenantId winningTenant = tenants.get(winner);
      for (int i = 0; i < 20; i++) {
        if (i == winner) {
          continue;
        }
        if (i % 2 == winner % 2) {
          // The winner's account: told which of its tenants holds the directory.
          assertEquals(new DirectoryBindings.BoundToOwnTenant(winningTenant), results.get(i));
        } else {
          assertInstanceOf(DirectoryBindings.BoundToOtherAccount.class, results.get(i));
        }
      }
      // The losers changed nothing: the directory is still the winner's, whoever asks.
      AccountId winningAccount = winner % 2 == 0 ? ACCOUNT_A : ACCOUNT_B;
      assertEquals(new DirectoryBindings.Bound(false), await(nodeTwo.claim(directory, winningTenant, winningAccount)));
      assertEquals(new DirectoryBindings.Bound(false),
          await(nodeOne.lookup(directory, winningTenant, winningAccount)).orElseThrow());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void theSameTenantClaimsItsOwnDirectoryAgain() {
    String directory = directory();
    TenantId tenant = TenantId.random();

    assertEquals(new DirectoryBindings.Bound(true), await(nodeOne.claim(directory, tenant, ACCOUNT_A)));
    assertEquals(new DirectoryBindings.Bound(false), await(nodeTwo.claim(directory, tenant, ACCOUNT_A)));
  }

  @Test
  void aLookupClaimsNothingAndAReleaseFreesOnlyTheHoldersBinding() {
    String directory = directory();
    TenantId holder = TenantId.random();
    TenantId other = TenantId.random();

    assertEquals(java.util.Optional.empty(), await(nodeOne.lookup(directory, other, ACCOUNT_B)));
    await(nodeOne.claim(directory, holder, ACCOUNT_A));
    await(nodeTwo.release(directory, other));
    assertInstanceOf(DirectoryBindings.BoundToOtherAccount.class,
        await(nodeTwo.lookup(directory, other, ACCOUNT_B)).orElseThrow());

    await(nodeOne.release(directory, holder));
    assertEquals(new DirectoryBindings.Bound(true), await(nodeTwo.claim(directory, other, ACCOUNT_B)));
  }

  @Test
  void aDisputedDirectoryIsHeldByNobodyAndTakenByTheFirstDisputantToConsentOnly() {
    String directory = directory();
    TenantId victim = TenantId.random();
    TenantId attacker = TenantId.random();
    java.time.Instant at = java.time.Instant.parse("2026-12-01T10:00:00Z");

    DirectoryBindings.Binding disputed = await(nodeOne.dispute(directory, java.util.Set.of(victim, attacker), at));
    // A second node disputing it again finds the same dispute, from the first node's time.
    DirectoryBindings.Binding again = await(nodeTwo.dispute(directory.toUpperCase(), java.util.Set.of(victim), at
        .plusSeconds(5)));

    assertEquals(true, disputed.disputed());
    assertEquals(disputed, again);
    assertEquals(java.util.Set.of(victim, attacker), again.disputedBy());
    // Nobody else may claim it, and it says nothing of the disputants.
    assertInstanceOf(DirectoryBindings.BoundToOtherAccount.class,
        await(nodeOne.claim(directory, TenantId.random(), ACCOUNT_A)));
    assertInstanceOf(DirectoryBindings.BoundToOtherAccount.class,
        await(nodeOne.lookup(directory, TenantId.random(), ACCOUNT_B)).orElseThrow());

    assertEquals(new DirectoryBindings.Bound(true), await(nodeTwo.claim(directory, victim, ACCOUNT_A)));

    assertInstanceOf(DirectoryBindings.BoundToOtherAccount.class, await(nodeOne.claim(directory, attacker, ACCOUNT_B)));
    DirectoryBindings.Binding held = await(nodeOne.find(directory)).orElseThrow();
    assertEquals(java.util.Optional.of(victim), held.holder());
    assertEquals(java.util.Set.of(), held.disputedBy());
  }

  @Test
  void ofTwoDisputantsConsentingAtOnceOneTakesTheDirectory() throws Exception {
    String directory = directory();
    TenantId one = TenantId.random();
    TenantId two = TenantId.random();
    await(nodeOne.dispute(directory, java.util.Set.of(one, two), java.time.Instant.now()));

    CompletionStage<DirectoryBindings.Claim> first = nodeOne.claim(directory, one, ACCOUNT_A);
    CompletionStage<DirectoryBindings.Claim> second = nodeTwo.claim(directory, two, ACCOUNT_B);

    List<DirectoryBindings.Claim> claims = List.of(await(first), await(second));
    assertEquals(1, claims.stream().filter(DirectoryBindings.Bound.class::isInstance).count(), claims.toString());
    assertEquals(1, claims.stream().filter(DirectoryBindings.BoundToOtherAccount.class::isInstance).count(),
        claims.toString());
  }
}
