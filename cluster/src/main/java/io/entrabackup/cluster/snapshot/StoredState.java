package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An object's full state split as the store keeps it: its own properties (one JSON text) and each reference set
 * (members, owners: content-defined chunks). A large group's merged membership reaches the store in this compact
 * form and is chunked one chunk at a time, never as one JSON node per member.
 *
 * @param references reference sets by relation (only the relations the state has, possibly empty sets)
 */
public record StoredState(ObjectNode properties, Map<String, ReferenceSet> references) {

  /** Splits a full state (members/owners arrays in any order); {@code state} is not changed. */
  public static StoredState of(ObjectNode state) {
    if (References.PROPERTIES.stream().noneMatch(state::has)) {
      return new StoredState(state, Map.of());
    }
    ObjectNode properties = state.objectNode();
    Map<String, ReferenceSet> references = new LinkedHashMap<>();
    state.fields().forEachRemaining(field -> {
      JsonNode value = field.getValue();
      if (References.isReferenceProperty(field.getKey()) && value.isArray()) {
        references.put(field.getKey(), ReferenceSet.of(value));
      } else {
        properties.set(field.getKey(), value);
      }
    });
    return new StoredState(properties, references);
  }

  public String id() {
    return properties.path("id").asText("");
  }
}
