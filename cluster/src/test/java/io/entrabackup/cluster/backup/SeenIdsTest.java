package io.entrabackup.cluster.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SeenIdsTest {

  @Test
  void remembersEveryIdOnceThroughManyGrowths() {
    SeenIds seen = new SeenIds();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      ids.add(UUID.randomUUID().toString());
    }
    ids.forEach(id -> assertTrue(seen.add(id)));
    ids.forEach(id -> assertFalse(seen.add(id)));
    ids.forEach(id -> assertTrue(seen.contains(id)));
    assertEquals(ids.size(), seen.size());
    assertFalse(seen.contains(UUID.randomUUID().toString()));
  }

  @Test
  void keepsIdsThatAreNotLowerCaseGuidsExactly() {
    SeenIds seen = new SeenIds();
    String guid = "00000000-0000-0000-0000-000000000000";
    assertTrue(seen.add(guid));
    assertTrue(seen.add("role-1"));
    assertTrue(seen.add(guid.toUpperCase(Locale.ROOT).replace('0', 'A')));
    assertTrue(seen.add("ab3f0c1e-9d2b-4c77-8e1a-5f6b7c8d9E0f"));
    assertTrue(seen.contains(guid));
    assertTrue(seen.contains("role-1"));
    assertFalse(seen.contains("ab3f0c1e-9d2b-4c77-8e1a-5f6b7c8d9e0f"));
    assertEquals(4, seen.size());
  }
}
