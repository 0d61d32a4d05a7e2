package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One members or owners set, sorted by id and held compactly: a plain reference
 * {@code {"@odata.type": T, "id": I}} costs a tree entry, its id and a shared type string (about 120 bytes, against
 * ~370 as a JSON node), so a 1,000,000-member group fits a small heap. A reference that carries anything else keeps
 * its JSON, so nothing is lost. References with equal ids are one reference (the last one put wins), as in
 * {@link SnapshotMerge}. Not thread-safe.
 */
public final class ReferenceSet {

  private static final String TYPE = "@odata.type";
  /** The few distinct {@code @odata.type} values (user, group, servicePrincipal, ...), shared by all sets. */
  private static final Map<String, String> TYPES = new ConcurrentHashMap<>();

  /** id to the interned type of a plain reference, or to the JSON of any other reference. */
  private final TreeMap<String, Object> byId = new TreeMap<>();

  /** The references of a stored or full array (elements that are not objects are ignored, as ids of ""). */
  public static ReferenceSet of(JsonNode array) {
    ReferenceSet set = new ReferenceSet();
    if (array != null && array.isArray()) {
      array.forEach(set::put);
    }
    return set;
  }

  /** Adds (or replaces) a reference; its {@code @removed} marker, if any, is not part of it. */
  public void put(JsonNode reference) {
    String id = reference.path("id").asText("");
    JsonNode type = reference.get(TYPE);
    boolean plain = reference.size() == 2 && type != null && type.isTextual() && reference.path("id").isTextual();
    if (plain) {
      byId.put(id, TYPES.computeIfAbsent(type.asText(), t -> t));
    } else {
      ObjectNode copy = reference.isObject() ? ((ObjectNode) reference).deepCopy()
          : JsonNodeFactory.instance.objectNode();
      copy.remove("@removed");
      byId.put(id, copy);
    }
  }

  public void remove(String id) {
    byId.remove(id);
  }

  public int size() {
    return byId.size();
  }

  /** The references in id order, each a short-lived view. */
  public Iterator<Reference> iterator() {
    Iterator<Map.Entry<String, Object>> entries = byId.entrySet().iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return entries.hasNext();
      }

      @Override
      public Reference next() {
        Map.Entry<String, Object> entry = entries.next();
        return new Reference(entry.getKey(), entry.getValue());
      }
    };
  }

  /** The references as a JSON array in id order (a new node per reference: for small sets and tests). */
  public ArrayNode toArray() {
    ArrayNode array = JsonNodeFactory.instance.arrayNode(byId.size());
    byId.forEach((id, value) -> array.add(new Reference(id, value).toJson()));
    return array;
  }

  /** One reference: {@code value} is its interned type (plain) or its JSON (anything else). */
  public record Reference(String id, Object value) {

    /** Writes the canonical form, byte for byte what {@link CanonicalJson} writes for {@link #toJson()}. */
    public void writeCanonical(JsonGenerator generator) throws IOException {
      if (value instanceof String type) {
        // Canonical key order: "@odata.type" sorts before "id".
        generator.writeStartObject();
        generator.writeStringField(TYPE, type);
        generator.writeStringField("id", id);
        generator.writeEndObject();
      } else {
        CanonicalJson.write(generator, (JsonNode) value);
      }
    }

    public ObjectNode toJson() {
      if (value instanceof String type) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put(TYPE, type);
        node.put("id", id);
        return node;
      }
      return ((ObjectNode) value).deepCopy();
    }
  }
}
