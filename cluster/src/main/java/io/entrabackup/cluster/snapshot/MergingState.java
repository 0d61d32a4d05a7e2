package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An object's state being merged from many appearances in one round, with the result of {@link SnapshotMerge#apply}
 * applied to each in turn, but without copying the state and re-sorting its members on every appearance: a group
 * of 100,000 members comes on 200 pages, and merging each page into a fresh copy cost time quadratic in its size.
 * Members and owners are kept as id-sorted maps until {@link #state()}. Not thread-safe: one appearance at a time.
 */
public final class MergingState {

  private final ObjectNode properties = JsonNodeFactory.instance.objectNode();
  private final Map<String, TreeMap<String, JsonNode>> references = new LinkedHashMap<>();

  /** Starts from {@code base} (the last stored state), or from nothing. */
  public MergingState(Optional<ObjectNode> base) {
    base.ifPresent(state -> state.fields().forEachRemaining(field -> {
      if (References.isReferenceProperty(field.getKey()) && field.getValue().isArray()) {
        references.put(field.getKey(), SnapshotMerge.referencesById(field.getValue(), null));
      } else {
        properties.set(field.getKey(), field.getValue().deepCopy());
      }
    }));
  }

  /** Merges one appearance, as {@link SnapshotMerge#apply} would merge it into the state so far. */
  public void apply(ObjectNode delta) {
    Iterator<Map.Entry<String, JsonNode>> fields = delta.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      if (SnapshotMerge.isAnnotation(name)) {
        continue;
      }
      if (name.endsWith(SnapshotMerge.DELTA_SUFFIX)) {
        String relation = name.substring(0, name.length() - SnapshotMerge.DELTA_SUFFIX.length());
        if (References.isReferenceProperty(relation)) {
          SnapshotMerge.applyReferenceChanges(references.computeIfAbsent(relation, r -> new TreeMap<>()),
              field.getValue());
          continue;
        }
      }
      if (References.isReferenceProperty(name) && field.getValue().isArray()) {
        references.put(name, SnapshotMerge.referencesById(null, field.getValue()));
        continue;
      }
      properties.set(name, field.getValue().deepCopy());
    }
  }

  /** The merged state (a new node; members and owners sorted by id). */
  public ObjectNode state() {
    ObjectNode state = properties.deepCopy();
    references.forEach((relation, byId) -> {
      ArrayNode array = JsonNodeFactory.instance.arrayNode(byId.size());
      byId.values().forEach(array::add);
      state.set(relation, array);
    });
    return state;
  }
}
