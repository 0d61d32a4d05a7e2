package io.entrabackup.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.api.TenantStatusFilter;
import io.entrabackup.protocol.tenant.TenantEvents.Event;
import io.entrabackup.protocol.tenant.TenantEvents.TenantRegistered;
import java.net.URI;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The dashboard benchmark's pure parts: its options, its percentiles and the mix of tenants it seeds. */
class DashboardBenchLogicTest {

  @Test
  void optionsDefaultToTenThousandTenantsInPortalSizedPages() {
    DashboardOptions options = DashboardOptions.parse(new String[] {"--dashboard"});
    assertEquals(10_000, options.tenants());
    assertEquals(50, options.pageSize());
    assertEquals(10, options.repeats());
    assertEquals(5, options.pagesWalked());
    assertFalse(options.help());
  }

  @Test
  void optionsAreReadAndBadOnesNamed() {
    DashboardOptions options = DashboardOptions.parse(
        new String[] {"--dashboard", "--tenants", "2,000", "--repeats", "3", "--warmups", "0", "--keep-data"});
    assertEquals(2_000, options.tenants());
    assertEquals(3, options.repeats());
    assertEquals(0, options.warmups());
    assertTrue(options.keepData());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> DashboardOptions.parse(new String[] {"--tenants", "many"})).getMessage().contains("--tenants"));
    assertThrows(IllegalArgumentException.class, () -> DashboardOptions.parse(new String[] {"--tenants", "0"}));
    assertThrows(IllegalArgumentException.class, () -> DashboardOptions.parse(new String[] {"--repeats"}));
    assertThrows(IllegalArgumentException.class, () -> DashboardOptions.parse(new String[] {"--users", "5"}));
  }

  @Test
  void percentilesAreNearestRank() {
    double[] samples = {9, 1, 8, 2, 7, 3, 6, 4, 5, 10};
    assertEquals(5, DashboardQueries.percentile(samples, 50));
    assertEquals(10, DashboardQueries.percentile(samples, 95), "of 10 rounds the 95th percentile is the slowest");
    assertEquals(1, DashboardQueries.percentile(samples, 0));
    assertEquals(3, DashboardQueries.percentile(new double[] {3}, 95));
  }

  @Test
  void queriesCarryThePortalsParametersEncoded() {
    DashboardQueries queries = new DashboardQueries(URI.create("http://127.0.0.1:1"), "key", 50);
    assertEquals("/api/v1/tenants?limit=50&search=alpine+ski&status=needs_attention",
        queries.query("search", "alpine ski", "status", "needs_attention"));
  }

  @Test
  void theSeededMixNeedsAttentionInOneTenantOfEleven() {
    int attention = 0;
    Set<String> names = new HashSet<>();
    for (int n = 0; n < 10_000; n++) {
      attention += DashboardTenants.Kind.of(n).needsAttention() ? 1 : 0;
      names.add(DashboardTenants.displayName(n));
    }
    assertEquals(900, attention, "refused 2%, lost 3%, last backup failed 4%");
    assertEquals(10_000, names.size(), "every name distinct, so sorting by name has a single order");
    assertTrue(TenantStatusFilter.NEEDS_ATTENTION.apiName().equals("needs_attention"));
  }

  @Test
  void aTenantsEventsStartWithItsRegistrationUnderItsNameAndDomain() {
    Instant now = Instant.parse("2026-12-06T10:00:00Z");
    for (int n : new int[] {0, 3, 5, 8, 12, 13, 99}) {
      List<Event> events = DashboardTenants.events(new AccountId("acct"), n, now);
      TenantRegistered registered = (TenantRegistered) events.get(0);
      assertEquals(DashboardTenants.displayName(n), registered.displayName());
      assertEquals(DashboardTenants.domain(n), registered.entraTenant().orElseThrow());
      assertTrue(registered.registeredAt().isBefore(now));
    }
    assertEquals(1, DashboardTenants.events(new AccountId("acct"), 1, now).size(), "pending: registered only");
    assertEquals(5, DashboardTenants.events(new AccountId("acct"), 12, now).size(),
        "running: registered, authorized, a run started and completed, a second run started");
  }
}
