package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.protocol.backup.VersionDiff;
import io.entrabackup.protocol.backup.VersionDiff.Change;
import io.entrabackup.protocol.backup.VersionDiff.ReferenceChanges;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes what differs between two versions of an object, as the API shows it ({@link VersionDiff}):
 * properties added, removed and changed (compared in canonical form), and references added to and
 * removed from members/owners.
 */
public final class SnapshotDiff {

  private SnapshotDiff() {}

  public static VersionDiff between(ObjectSnapshot from, ObjectSnapshot to) {
    Map<String, JsonNode> added = new TreeMap<>();
    Map<String, JsonNode> removed = new TreeMap<>();
    Map<String, Change> changed = new TreeMap<>();
    ObjectNode before = from.state();
    ObjectNode after = to.state();
    after.fieldNames().forEachRemaining(name -> {
      if (References.isReferenceProperty(name)) {
        return;
      }
      JsonNode old = before.get(name);
      JsonNode now = after.get(name);
      if (old == null) {
        added.put(name, now);
      } else if (!sameValue(old, now)) {
        changed.put(name, new Change(old, now));
      }
    });
    before.fieldNames().forEachRemaining(name -> {
      if (!References.isReferenceProperty(name) && !after.has(name)) {
        removed.put(name, before.get(name));
      }
    });
    Map<String, ReferenceChanges> references = new LinkedHashMap<>();
    for (String relation : References.PROPERTIES) {
      if (before.has(relation) || after.has(relation)) {
        references.put(relation, referenceChanges(before.get(relation), after.get(relation)));
      }
    }
    return new VersionDiff(
        from.versionId(), to.versionId(), from.removedReason(), to.removedReason(),
        Collections.unmodifiableMap(added), Collections.unmodifiableMap(removed),
        Collections.unmodifiableMap(changed), Collections.unmodifiableMap(references));
  }

  private static ReferenceChanges referenceChanges(JsonNode before, JsonNode after) {
    Map<String, JsonNode> old = referencesById(before);
    Map<String, JsonNode> now = referencesById(after);
    List<JsonNode> added = new ArrayList<>();
    List<JsonNode> removed = new ArrayList<>();
    now.forEach((id, reference) -> {
      if (!old.containsKey(id)) {
        added.add(reference);
      }
    });
    old.forEach((id, reference) -> {
      if (!now.containsKey(id)) {
        removed.add(reference);
      }
    });
    return new ReferenceChanges(List.copyOf(added), List.copyOf(removed));
  }

  /** Whether two property values are the same in canonical form (key order and number spelling do not count). */
  public static boolean sameValue(JsonNode before, JsonNode after) {
    return CanonicalJson.canonical(before).equals(CanonicalJson.canonical(after));
  }

  /** A relation's references (a JSON array, or absent) by id, in id order; the reference JSON keeps its Graph type. */
  public static Map<String, JsonNode> referencesById(JsonNode references) {
    Map<String, JsonNode> byId = new TreeMap<>();
    if (references != null && references.isArray()) {
      references.forEach(reference -> byId.put(reference.path("id").asText(""), reference));
    }
    return byId;
  }
}
