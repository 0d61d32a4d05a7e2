package io.entrabackup.cluster.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.entrabackup.protocol.tenant.TenantEvents;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.Test;

/** How tenant events are cut into slices: one stable slice per tenant, N tags, one projection per slice. */
class TenantEventSlicesTest {

  private static String persistenceId(String tenantId) {
    return PersistenceId.of(TenantEntity.ENTITY_TYPE_KEY.name(), tenantId).id();
  }

  @Test
  void aTenantsSliceIsTheSameInEveryProcessAndRelease() {
    // Pinned figures: String.hashCode is defined by the language; if these moved, tenants would change slices.
    assertEquals("Tenant|a", persistenceId("a"));
    assertEquals(-1_242_048_081, "Tenant|a".hashCode());
    assertEquals(7, TenantEvents.slice("Tenant|a", 8));
    assertEquals("tenant-7", new TenantEventSlices(8).tagFor("Tenant|a"));
    assertEquals(0, TenantEvents.slice("Tenant|a", 3));
  }

  @Test
  void everyEventOfOneTenantCarriesTheSameTag() {
    var slices = new TenantEventSlices(8);
    String tenant = persistenceId(UUID.randomUUID().toString());
    String first = slices.tagFor(tenant);
    for (int i = 0; i < 100; i++) {
      assertEquals(first, slices.tagFor(tenant));
    }
    assertTrue(slices.tags().contains(first));
  }

  @Test
  void tenantsSpreadOverAllSlices() {
    var slices = new TenantEventSlices(8);
    Map<String, Integer> perTag = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      perTag.merge(slices.tagFor(persistenceId(UUID.randomUUID().toString())), 1, Integer::sum);
    }
    assertEquals(new HashSet<>(slices.tags()), perTag.keySet());
    // An even spread is 1,250 a slice; random ids stay well within these bounds.
    perTag.values().forEach(count -> assertTrue(count > 1_000 && count < 1_500, "slice of " + count + " tenants"));
  }

  @Test
  void aReadModelRunsOneProjectionPerSliceEachWithItsOwnOffset() {
    var slices = new TenantEventSlices(8);
    List<String> tags = slices.tags();
    assertEquals(List.of("tenant-0", "tenant-1", "tenant-2", "tenant-3", "tenant-4", "tenant-5", "tenant-6",
        "tenant-7"), tags);
    assertEquals(8, tags.stream().map(tag -> TenantEventSlices.projectionId("job-directory", tag)).distinct().count());
    assertFalse(tags.contains(TenantEvents.LEGACY_TAG));
  }

  @Test
  void aSliceCountBelowOneIsRefused() {
    var refused = assertThrows(IllegalArgumentException.class, () -> new TenantEventSlices(0));
    assertTrue(refused.getMessage().contains("entra-backup.read-side.slices"));
  }
}
