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

/** Merges what a delta round sent into an object's last full state. Pure functions. */
public final class SnapshotMerge {

  static final String DELTA_SUFFIX = "@delta";

  private SnapshotMerge() {}

  /**
   * The full state after a delta round: {@code previous} (may be absent) merged with the changed
   * properties Graph sent. Properties present in the delta replace; {@code @odata.*} annotations and
   * {@code @removed} are not state; {@code members@delta}/{@code owners@delta} entries add references,
   * entries with {@code @removed} remove them; the resulting members/owners are sorted by id.
   * Other {@code x@delta} properties (such as {@code manager@delta}) are kept as sent, replacing. The result may
   * share value nodes with {@code delta}; neither is to be changed afterwards.
   */
  public static ObjectNode apply(Optional<ObjectNode> previous, ObjectNode delta) {
    // Sized for the delta when there is nothing to copy: a full round's user has ~70 properties, and growing a
    // default-sized map to hold them was a visible part of a full backup's CPU.
    ObjectNode result = previous.map(ObjectNode::deepCopy)
        .orElseGet(() -> new ObjectNode(JsonNodeFactory.instance, new LinkedHashMap<>(capacityFor(delta.size()))));
    Iterator<Map.Entry<String, JsonNode>> fields = delta.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      if (isAnnotation(name)) {
        continue;
      }
      if (name.endsWith(DELTA_SUFFIX)) {
        String relation = name.substring(0, name.length() - DELTA_SUFFIX.length());
        if (References.isReferenceProperty(relation)) {
          result.set(relation, mergeReferences(result.get(relation), field.getValue()));
          continue;
        }
      }
      if (References.isReferenceProperty(name) && field.getValue().isArray()) {
        // A full reference list (not a delta): kept in the same id order as merged ones.
        result.set(name, mergeReferences(null, field.getValue()));
        continue;
      }
      // Shared, not copied: the delta's values are never changed after the merge (the page they came in is
      // dropped), and copying every property of every object cost a few percent of a full backup's CPU.
      result.set(name, field.getValue());
    }
    return result;
  }

  /** Sorts the members/owners arrays of a state by id, in place, and returns it. */
  public static ObjectNode normalized(ObjectNode state) {
    for (String relation : References.PROPERTIES) {
      JsonNode references = state.get(relation);
      if (references != null && references.isArray()) {
        state.set(relation, mergeReferences(references, JsonNodeFactory.instance.arrayNode()));
      }
    }
    return state;
  }

  /** A hash map's initial capacity that holds {@code entries} without growing (at the default load factor). */
  private static int capacityFor(int entries) {
    return (int) (entries / 0.75f) + 1;
  }

  static boolean isAnnotation(String name) {
    return name.equals("@removed") || name.contains("@odata.");
  }

  private static ArrayNode mergeReferences(JsonNode current, JsonNode changes) {
    TreeMap<String, JsonNode> byId = referencesById(current, changes);
    ArrayNode merged = JsonNodeFactory.instance.arrayNode(byId.size());
    byId.values().forEach(merged::add);
    return merged;
  }

  /** The references of {@code current} (may be null) with {@code changes} (may be null) applied, by id. */
  static TreeMap<String, JsonNode> referencesById(JsonNode current, JsonNode changes) {
    TreeMap<String, JsonNode> byId = new TreeMap<>();
    if (current != null && current.isArray()) {
      current.forEach(reference -> byId.put(reference.path("id").asText(""), reference));
    }
    if (changes != null) {
      applyReferenceChanges(byId, changes);
    }
    return byId;
  }

  /** Adds the references of {@code changes}, and removes those marked {@code @removed}, in place. */
  static void applyReferenceChanges(TreeMap<String, JsonNode> byId, JsonNode changes) {
    if (!changes.isArray()) {
      return;
    }
    for (JsonNode change : changes) {
      String id = change.path("id").asText("");
      if (change.has("@removed")) {
        byId.remove(id);
      } else {
        ObjectNode reference = ((ObjectNode) change).deepCopy();
        reference.remove("@removed");
        byId.put(id, reference);
      }
    }
  }
}
