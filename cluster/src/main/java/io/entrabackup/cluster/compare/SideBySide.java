package io.entrabackup.cluster.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.entrabackup.cluster.snapshot.References;
import io.entrabackup.cluster.snapshot.SnapshotDiff;
import io.entrabackup.protocol.backup.ObjectComparison.PropertyRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pure part of a comparison: two property sets row by row, and two reference sets as added, removed and
 * unchanged ids. Values are compared in canonical form, so key order and number spelling do not count as a change.
 */
final class SideBySide {

  static final String UNCHANGED = "unchanged";
  static final String CHANGED = "changed";
  static final String ADDED = "added";
  static final String REMOVED = "removed";

  private SideBySide() {}

  /**
   * Every property of either side, by name, members and owners apart. {@code liveRight}: the right side is Graph's
   * answer, which carries request annotations ({@code @odata.context}) and no manager (a restore does not read it), so
   * neither counts as a difference; nor does a snapshot's {@code manager@delta} (or any annotated name).
   */
  static List<PropertyRow> properties(Optional<ObjectNode> left, Optional<ObjectNode> right, boolean liveRight) {
    Map<String, JsonNode> before = own(left, liveRight);
    Map<String, JsonNode> after = own(right, liveRight);
    Set<String> names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    List<PropertyRow> rows = new ArrayList<>(names.size());
    for (String name : names) {
      Optional<JsonNode> old = Optional.ofNullable(before.get(name));
      Optional<JsonNode> now = Optional.ofNullable(after.get(name));
      rows.add(new PropertyRow(name, change(old, now), old, now));
    }
    return rows;
  }

  private static String change(Optional<JsonNode> before, Optional<JsonNode> after) {
    if (before.isEmpty()) {
      return ADDED;
    }
    if (after.isEmpty()) {
      return REMOVED;
    }
    return SnapshotDiff.sameValue(before.get(), after.get()) ? UNCHANGED : CHANGED;
  }

  private static Map<String, JsonNode> own(Optional<ObjectNode> state, boolean liveComparison) {
    Map<String, JsonNode> properties = new TreeMap<>();
    state.ifPresent(node -> node.fields().forEachRemaining(field -> {
      String name = field.getKey();
      boolean notRead = liveComparison && (name.contains("@") || name.equals("manager"));
      if (!References.isReferenceProperty(name) && !notRead) {
        properties.put(name, field.getValue());
      }
    }));
    return properties;
  }

  /** A snapshot's references of one relation by id (the reference JSON keeps the member's Graph type). */
  static Map<String, JsonNode> references(Optional<ObjectNode> state, String relation) {
    return SnapshotDiff.referencesById(state.map(node -> node.get(relation)).orElse(null));
  }

  /** Ids on the right only, on the left only, and how many on both. */
  static Delta delta(Set<String> left, Set<String> right) {
    Set<String> added = new TreeSet<>(right);
    added.removeAll(left);
    Set<String> removed = new TreeSet<>(left);
    removed.removeAll(right);
    return new Delta(List.copyOf(added), List.copyOf(removed), right.size() - added.size());
  }

  /** @param added / removed sorted ids */
  record Delta(List<String> added, List<String> removed, int unchanged) {}
}
