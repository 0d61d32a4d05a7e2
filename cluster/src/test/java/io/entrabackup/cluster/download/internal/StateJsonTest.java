package io.entrabackup.cluster.download.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrabackup.cluster.snapshot.PackedState;
import io.entrabackup.cluster.snapshot.StoredVersion;
import io.entrabackup.protocol.backup.ObjectType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static StoredVersion version(String properties, Map<String, List<String>> references) {
    return new StoredVersion(ObjectType.GROUPS, "g1", "9a7e0c2e-8f1d-11ee-b9d1-0242ac120002", "run", Instant.EPOCH,
        "hash", Optional.empty(), "Sales", PackedState.of(properties), references);
  }

  @Test
  void anObjectWithoutReferencesIsItsStoredTextByteForByte() {
    String stored = "{\"displayName\":\"Adele Vance\",\"id\":\"u1\",\"city\":\"Zürich\"}";
    assertArrayEquals(stored.getBytes(StandardCharsets.UTF_8), StateJson.of(version(stored, Map.of())));
  }

  @Test
  void referencesAreSplicedFromTheirChunksInOrderAndTheFileIsTheParsedStateAsJson() throws Exception {
    Map<String, List<String>> references = new LinkedHashMap<>();
    references.put("members", List.of("[{\"id\":\"a\"},{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"b\"}]",
        "[]", "[{\"id\":\"c\"}]"));
    references.put("owners", List.of("[{\"id\":\"o\"}]"));
    StoredVersion version = version("{\"displayName\":\"Sales\",\"id\":\"g1\"}", references);

    byte[] file = StateJson.of(version);

    assertEquals(version.snapshot().state(), JSON.readTree(file));
    assertEquals("{\"displayName\":\"Sales\",\"id\":\"g1\",\"members\":[{\"id\":\"a\"},"
            + "{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"b\"},{\"id\":\"c\"}],\"owners\":[{\"id\":\"o\"}]}",
        new String(file, StandardCharsets.UTF_8));
  }

  @Test
  void emptyReferenceSetsAndAnEmptyObjectStayValidJson() throws Exception {
    Map<String, List<String>> references = new LinkedHashMap<>();
    references.put("members", List.of());
    references.put("owners", List.of("[]"));
    byte[] file = StateJson.of(version("{}", references));
    assertEquals("{\"members\":[],\"owners\":[]}", new String(file, StandardCharsets.UTF_8));
  }

  @Test
  void aDamagedStoredTextIsRefusedNotShipped() {
    assertThrows(IllegalStateException.class, () -> StateJson.of(version("{\"id\":\"g1\"", Map.of())));
    assertThrows(IllegalStateException.class,
        () -> StateJson.of(version("{\"id\":\"g1\"}", Map.of("members", List.of("{\"id\":\"a\"}")))));
  }
}
