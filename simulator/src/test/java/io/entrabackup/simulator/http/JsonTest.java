package io.entrabackup.simulator.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  /** The generator path writes byte for byte what the mapper writes, keys in the maps' order, nulls kept. */
  @Test
  void plainValuesSerialiseAsTheMapperWouldByteForByte() throws Exception {
    Map<String, Object> extension = new LinkedHashMap<>();
    extension.put("extensionAttribute1", "Sales");
    extension.put("extensionAttribute2", null);
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("id", "00000000-0000-0000-0000-000000000001");
    user.put("accountEnabled", true);
    user.put("ageGroup", null);
    user.put("businessPhones", List.of("+1 425 555 0100"));
    user.put("identities", List.of());
    user.put("onPremisesExtensionAttributes", extension);
    user.put("displayName", "Zoë \"Quote\" \\ Tab\t</script>");
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users");
    page.put("value", new ArrayList<>(List.of(user, Map.of("id", "2", "@removed", Map.of("reason", "deleted")))));
    page.put("count", 2);
    page.put("seq", 12345678901L);
    page.put("ratio", 0.25);
    page.put("exact", new BigDecimal("1.10"));
    page.put("when", Instant.parse("2026-11-29T00:00:00Z").toString());
    page.put("array", Arrays.asList("a", null, 3));

    assertArrayEquals(Json.MAPPER.writeValueAsBytes(page), Json.bytes(page));
  }

  @Test
  void aValueTheGeneratorDoesNotKnowGoesThroughTheMapper() throws Exception {
    record Link(String id) {}
    assertEquals(Json.MAPPER.writeValueAsString(Map.of("link", new Link("x"))),
        new String(Json.bytes(Map.of("link", new Link("x"))), java.nio.charset.StandardCharsets.UTF_8));
  }
}
