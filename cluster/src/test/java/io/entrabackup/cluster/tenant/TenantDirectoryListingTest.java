package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.cluster.store.LocalCassandra;
import io.entrabackup.cluster.store.TestKeyspace;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.api.TenantCursor;
import io.entrabackup.protocol.api.TenantPage;
import io.entrabackup.protocol.api.TenantQuery;
import io.entrabackup.protocol.api.TenantSort;
import io.entrabackup.protocol.api.TenantStatusFilter;
import io.entrabackup.protocol.backup.BackupTrigger;
import io.entrabackup.protocol.backup.GraphTraffic;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.backup.TypeCounts;
import io.entrabackup.protocol.tenant.TenantEvents.AuthorizationLost;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.TenantAuthorized;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import io.entrabackup.protocol.tenant.TenantView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's list over 10,000 tenants of one account in the real Cassandra: search, filter, sort and cursor
 * pages answer the right tenants, the summary counts exactly, and each read's time is printed (not asserted).
 */
class TenantDirectoryListingTest {

  @RegisterExtension
  static final TestKeyspace cassandra = TestKeyspace.withNodeSchema("tenantlist");
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final int TENANTS = 10_000;
  private static final AccountId ACCOUNT = new AccountId("acct-" + UUID.randomUUID());
  private static TenantDirectory directory;

  /** Every 100th tenant lost its consent, every 50th (not lost) had a failed backup, 7 are backing up now. */
  @BeforeAll
  static void tenThousandTenants() {
    directory = new TenantDirectory(cassandra.session(), cassandra.keyspace());
    List<CompletionStage<?>> writes = new ArrayList<>();
    for (int i = 0; i < TENANTS; i++) {
      writes.add(write(i));
      if (writes.size() == 256) {
        await(CompletableFuture.allOf(writes.stream().map(CompletionStage::toCompletableFuture)
            .toArray(CompletableFuture[]::new)));
        writes.clear();
      }
    }
    await(CompletableFuture.allOf(writes.stream().map(CompletionStage::toCompletableFuture)
        .toArray(CompletableFuture[]::new)));
  }

  private static CompletionStage<?> write(int i) {
    TenantId id = new TenantId(String.format(Locale.ROOT, "00000000-0000-4000-8000-%012d", i));
    Instant at = T0.plusSeconds(i);
    String name = String.format(Locale.ROOT, "Customer %05d", i);
    CompletionStage<?> done = directory.record(new TenantRegistered(id, ACCOUNT, name, Optional.empty(), at))
        .thenCompose(d -> directory.record(new TenantAuthorized(id, ACCOUNT, UUID.randomUUID().toString(), name,
            List.of("customer" + i + ".example"), Duration.ofDays(1), false, at.plusSeconds(1),
            at.plusSeconds(86_400))));
    if (i % 100 == 0) {
      return done.thenCompose(d -> directory.record(new AuthorizationLost(id, ACCOUNT, "consent revoked",
          at.plusSeconds(5))));
    }
    if (i % 50 == 0) {
      return done.thenCompose(d -> directory.record(new BackupFailed(id, ACCOUNT, "run-" + i, "Graph said no",
          at.plusSeconds(3), Optional.of(at.plusSeconds(90_000)))));
    }
    if (i % 1000 == 7) {
      return done.thenCompose(d -> directory.record(new BackupStarted(id, ACCOUNT, "run-" + i, BackupTrigger.MANUAL,
          List.of(ObjectType.USERS), at.plusSeconds(3))));
    }
    if (i % 1000 == 9) {
      // A run that started and completed is not running.
      return done.thenCompose(d -> directory.record(new BackupStarted(id, ACCOUNT, "run-" + i, BackupTrigger.MANUAL,
              List.of(ObjectType.USERS), at.plusSeconds(3))))
          .thenCompose(d -> directory.record(new BackupCompleted(id, ACCOUNT, "run-" + i, TypeCounts.ZERO,
              GraphTraffic.NONE, Map.of("users", 3L), at.plusSeconds(4), at.plusSeconds(90_000))));
    }
    return done;
  }

  @Test
  void theSummaryCountsEveryTenantExactly() {
    TenantPage page = timed("first page by name", () -> query(Optional.empty(), Optional.empty(), TenantSort.NAME, false,
        Optional.empty(), 50));
    assertEquals(TENANTS, page.summary().tenants());
    assertEquals(TENANTS, page.summary().matching());
    assertEquals(100 + 100, page.summary().needAttention(), "100 lost consent, 100 more failed their backup");
    assertEquals(10, page.summary().backupsRunning());
    assertEquals(TENANTS - 100, page.summary().authorized());
    assertEquals(0, page.summary().pending());
    assertEquals("Customer 00000", page.items().get(0).displayName());
    assertEquals(50, page.items().size());
  }

  @Test
  void searchFindsByNameAndDomainIgnoringCase() {
    TenantPage byName = timed("search by name", () -> query(Optional.of("CUSTOMER 0421"), Optional.empty(),
        TenantSort.NAME, false, Optional.empty(), 50));
    assertEquals(10, byName.summary().matching(), "Customer 04210 .. 04219");
    assertEquals("Customer 04210", byName.items().get(0).displayName());

    TenantPage byDomain = timed("search by domain", () -> query(Optional.of("customer9999.example"), Optional.empty(),
        TenantSort.ID, false, Optional.empty(), 50));
    assertEquals(List.of("Customer 09999"), byDomain.items().stream().map(TenantView::displayName).toList());
  }

  @Test
  void theNeedsAttentionFilterWalkedByCursorFindsExactlyThoseTenants() {
    List<String> seen = new ArrayList<>();
    Optional<TenantCursor> after = Optional.empty();
    long started = System.nanoTime();
    int pages = 0;
    while (true) {
      TenantPage page = query(Optional.empty(), Optional.of(TenantStatusFilter.NEEDS_ATTENTION), TenantSort.NAME,
          true, after, 30);
      pages++;
      page.items().forEach(t -> seen.add(t.displayName()));
      if (page.next() == null) {
        break;
      }
      after = TenantCursor.parse(page.next(), TenantSort.NAME, true);
      assertTrue(after.isPresent());
    }
    System.out.printf(Locale.ROOT, "TenantDirectory %d tenants: %d pages of needs_attention by name desc in %d ms%n",
        TENANTS, pages, (System.nanoTime() - started) / 1_000_000);
    assertEquals(200, seen.size());
    assertEquals("Customer 09950", seen.get(0));
    assertEquals("Customer 00000", seen.get(seen.size() - 1));
    assertEquals(seen.stream().sorted(java.util.Comparator.reverseOrder()).toList(), seen);
  }

  @Test
  void sortByLastBackupPutsTheNeverBackedUpFirstAndByStatusTheLostFirst() {
    TenantPage byLast = timed("sort by last backup desc", () -> query(Optional.empty(), Optional.empty(),
        TenantSort.LAST_BACKUP, true, Optional.empty(), 5));
    assertEquals("Customer 09950", byLast.items().get(0).displayName(), "the latest finished backup (failed)");

    TenantPage byStatus = timed("sort by status", () -> query(Optional.empty(), Optional.empty(), TenantSort.STATUS, false,
        Optional.empty(), 200));
    assertTrue(byStatus.items().subList(0, 100).stream().allMatch(t -> t.statusReason().isPresent()),
        "lost consent first");
    assertFalse(byStatus.items().get(100).statusReason().isPresent());
  }

  private static TenantPage query(Optional<String> search, Optional<TenantStatusFilter> status, TenantSort sort,
      boolean descending, Optional<TenantCursor> after, int limit) {
    return await(directory.list(ACCOUNT, new TenantQuery(search, status, sort, descending, after, limit)));
  }

  /** The page, with the time the read, search, sort and paging took printed (a figure, never asserted). */
  private static TenantPage timed(String what, Supplier<TenantPage> list) {
    long started = System.nanoTime();
    TenantPage page = list.get();
    System.out.printf(Locale.ROOT, "TenantDirectory %d tenants: %s in %d ms%n", TENANTS, what,
        (System.nanoTime() - started) / 1_000_000);
    return page;
  }

  private static <T> T await(CompletionStage<T> stage) {
    return LocalCassandra.await(stage, TIMEOUT);
  }
}
